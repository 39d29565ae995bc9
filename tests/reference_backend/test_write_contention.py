"""Many writers at once on one SQLite file: every answer is a 2xx or the expected 4xx, never a 500.

The console API runs each request in a worker thread; its use cases read (the permission check, the
code's uniqueness) and then write, in one transaction. Meanwhile a 1.6 station charges over a real
WebSocket, so the OCPP side writes too (heartbeats, the write-behind flush of meter samples). Threads
start together at a barrier; some of them race for the same PIN code, which exactly one may get.
Afterwards the database holds exactly what was acknowledged: no lost write, no extra row.

A use case's reads belong to its transaction: of many identical changes racing, one changes the row
and writes the audit entry, the others see the change made and do nothing (or find nothing to delete).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.permissions import Role
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.persistence.station_tables import station_audit
from evharness.reference_backend.persistence.tables import identifications, local_users
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.portal import BackgroundLoop

from .helpers import at, boot_16, register_16

STATION = "WC-1"
THREADS = 12
ROUNDS = 8


@dataclass
class Live:
    backend: BackendServer
    api_url: str
    token: str

    def client(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=f"{self.api_url}/api/stations/{STATION}/", headers=headers, timeout=60)

    def audit_subjects(self) -> list[str]:
        with self.backend.store.engine.connect() as conn:
            return list(conn.scalars(sa.select(station_audit.c.subject).order_by(station_audit.c.id)))


@dataclass
class Outcome:
    """What one client thread was told."""

    statuses: list[tuple[str, int, str]] = field(default_factory=list)  # (what, status, body)
    users: set[int] = field(default_factory=set)  # acknowledged local users
    codes: set[str] = field(default_factory=set)  # acknowledged identification codes


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{tmp_path / 'contention.sqlite3'}",
        outbox_dir=str(tmp_path / "outbox"),
        log_level="warning",
    )
    with BackgroundLoop("contention") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        now = backend.console.now()
        token = new_token()
        with backend.stations.store.begin() as tx:
            station = tx.add_station(STATION, now)
            user = tx.add_user("owner@example.com", "owner", None, now, confirmed=True)
            tx.add_session(token_hash(token), user, now, now + timedelta(hours=1))
            grant = {"role": Role.FACILITY_OWNER, "email": "owner@example.com"}
            tx.add_grant(station, grant, None, now, "test")
        try:
            yield Live(backend, backend.api_url.removesuffix("/api/"), token)
        finally:
            loop.run(backend.stop())


def _console_client(live: Live, worker: int, start: threading.Barrier, outcome: Outcome) -> None:
    """Each round: a new local user, then a PIN for it — its own, or one every thread wants."""
    base = "local-users"
    with live.client() as client:
        start.wait()
        for round_ in range(ROUNDS):
            body = {"first_name": f"W{worker}", "last_name": f"R{round_}"}
            created = client.post(base, json=body)
            outcome.statuses.append(("user", created.status_code, created.text))
            if created.status_code != 201:
                continue
            user_id = created.json()["id"]
            outcome.users.add(user_id)
            shared = round_ % 2 == 0  # every thread wants this one: one 201, the others 409
            code = f"#9{round_:03d}" if shared else f"#{worker:02d}{round_:03d}"
            added = client.post(f"{base}/{user_id}/identifications", json={"type": "pin", "code": code})
            outcome.statuses.append(("pin", added.status_code, added.text))
            if added.status_code == 201:
                outcome.codes.add(code)
            blocked = client.patch(f"{base}/{user_id}", json={"blocked": True})
            outcome.statuses.append(("block", blocked.status_code, blocked.text))


def _charging_station(live: Live, stop: threading.Event, start: threading.Barrier) -> int:
    """A 1.6 station sending meter values as fast as answered until told to stop; how many it sent."""
    url = live.backend.ocpp_url + "WC-OCPP"
    with connect(url, subprotocols=[Subprotocol("ocpp1.6")]) as ws:

        def call(action: str, payload: dict[str, Any]) -> dict[str, Any]:
            ws.send(orjson.dumps([2, action, action, payload]).decode())
            answer = orjson.loads(ws.recv())
            assert answer[0] == 3, answer
            result: dict[str, Any] = answer[2]
            return result

        call("BootNotification", boot_16())
        start_tx = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
        tx = call("StartTransaction", start_tx)["transactionId"]
        start.wait()
        sent = 0
        while not stop.is_set():
            sent += 1
            values = [register_16(sent, 10.0 * sent)]
            call("MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": values})
            call("Heartbeat", {})
        call("StopTransaction", {"transactionId": tx, "meterStop": 10 * sent, "timestamp": at(sent + 1)})
        return sent


def test_concurrent_console_writes_beside_ocpp_traffic_never_fail_and_lose_nothing(live: Live) -> None:
    start, stop = threading.Barrier(THREADS + 1), threading.Event()
    outcomes = [Outcome() for _ in range(THREADS)]
    station_sent: list[int] = []
    station_errors: list[BaseException] = []

    def station() -> None:
        try:
            station_sent.append(_charging_station(live, stop, start))
        except BaseException as exc:  # reported below, with the console's answers
            station_errors.append(exc)
            start.abort()

    clients = [
        threading.Thread(target=_console_client, args=(live, n, start, outcomes[n])) for n in range(THREADS)
    ]
    charger = threading.Thread(target=station)
    charger.start()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    stop.set()
    charger.join()

    answers = [answer for outcome in outcomes for answer in outcome.statuses]
    failed = [answer for answer in answers if answer[1] >= 500]
    assert not failed, f"{len(failed)} of {len(answers)} answers were server errors: {failed[:3]}"
    assert not station_errors, station_errors
    unexpected = [
        a for a in answers if (a[0], a[1]) not in {("user", 201), ("pin", 201), ("pin", 409), ("block", 200)}
    ]
    assert not unexpected, unexpected[:3]

    users = set().union(*(o.users for o in outcomes))
    codes = set().union(*(o.codes for o in outcomes))
    assert len(users) == THREADS * ROUNDS
    shared = {f"#9{r:03d}" for r in range(0, ROUNDS, 2)}
    assert shared <= codes  # each shared code went to exactly one thread …
    assert sum(code in shared for o in outcomes for code in o.codes) == len(shared)
    conflicts = [a for a in answers if a[:2] == ("pin", 409)]
    assert len(conflicts) == len(shared) * (THREADS - 1)  # … and every other thread heard 409
    with live.backend.store.engine.connect() as conn:
        stored_users = dict(conn.execute(sa.select(local_users.c.id, local_users.c.blocked)).all())
        stored_codes = set(conn.scalars(sa.select(identifications.c.code)))
    assert set(stored_users) == users
    assert all(stored_users.values())  # every block was acknowledged, so every user is blocked
    assert stored_codes == codes

    (record,) = live.backend.store.transactions("WC-OCPP")
    (sent,) = station_sent
    assert record.state == "ended"
    assert len(live.backend.store.meter_values(record.id)) == sent


def _all_at_once(request: Callable[[httpx.Client], httpx.Response], live: Live) -> list[int]:
    """`request` from THREADS threads released together; the status codes they got."""
    start, statuses = threading.Barrier(THREADS), []

    def run() -> None:
        with live.client() as client:
            start.wait()
            statuses.append(request(client).status_code)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_of_identical_changes_racing_one_changes_and_is_audited(live: Live) -> None:
    with live.client() as client:
        user = client.post("local-users", json={"first_name": "Ada", "last_name": "Lovelace"}).json()
    path = f"local-users/{user['id']}"
    before = live.audit_subjects()

    statuses = _all_at_once(lambda client: client.patch(path, json={"blocked": True}), live)

    assert statuses == [200] * THREADS  # the same answer for all: the user is blocked
    assert live.audit_subjects()[len(before) :] == [f"local user {user['id']}: blocked"]


def test_of_deletions_racing_one_deletes_and_the_others_find_nothing(live: Live) -> None:
    with live.client() as client:
        user = client.post("local-users", json={"first_name": "Ada", "last_name": "Lovelace"}).json()
        path = f"local-users/{user['id']}/identifications"
        pin = client.post(path, json={"type": "pin", "code": "#4711"}).json()
    before = live.audit_subjects()

    statuses = _all_at_once(lambda client: client.delete(f"{path}/{pin['id']}"), live)

    assert statuses == [204] + [404] * (THREADS - 1)
    assert live.audit_subjects()[len(before) :] == ["pin #****"]
