"""Changes made through the local-users API reach an online station's Local Authorization List, on 1.6
and 2.0.1: the first code as a Full list, every later change as a Differential — blocking makes the
user's entries Blocked, unblocking Accepted again, deleting removes them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.permissions import Role
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation

VERSIONS = [OcppVersion.V16, OcppVersion.V201]
IDENTITY = "SIM-LU"


def owner_of_station(backend: BackendServer) -> str:
    """The station, and a facility owner's session token."""
    now = backend.console.now()
    token = new_token()
    with backend.stations.store.begin() as tx:
        station = tx.add_station(IDENTITY, now)
        user = tx.add_user("fred@example.com", "Fred", None, now, confirmed=True)
        tx.add_session(token_hash(token), user, now, now + timedelta(hours=1))
        tx.add_grant(station, {"role": Role.FACILITY_OWNER, "email": "fred@example.com"}, None, now, "test")
    return token


def held(station: LiveStation) -> dict[str, str]:
    return {code: info.status for code, info in station.station.local_list.entries.items()}


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(250):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the station's local list never got there")


Ok = Callable[
    ..., Awaitable[Any]
]  # (method, path under the station's local-users, body?) → the answer's JSON


@asynccontextmanager
async def online(
    tmp_path: Path, version: OcppVersion, on_frame: Callable[[str, str, float], None]
) -> AsyncIterator[tuple[BackendServer, LiveStation, int, Ok]]:
    """A backend on a SQLite file, its booted station, the station's id, and the owner's console calls."""
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{tmp_path / 'sync.sqlite3'}",
        outbox_dir=str(tmp_path / "outbox"),
        log_level="warning",
    )
    async with BackendServer(settings) as backend:
        token = owner_of_station(backend)
        station_id = backend.store.find_station_id(IDENTITY)
        assert station_id is not None
        backend.ocpp.gate.records.save(IDENTITY, pins_on_profile_0=True)  # docs/security.md
        station = LiveStation(IDENTITY, version, backend.ocpp_url, on_frame=on_frame)
        await station.connect()
        base = f"{backend.api_url}stations/{IDENTITY}/local-users"
        try:
            assert await station.boot() == "Accepted"
            async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:

                async def ok(method: str, path: str, body: Any = None) -> Any:
                    answer = await client.request(method, f"{base}{path}", json=body)
                    assert answer.status_code < 300, answer.text
                    return answer.json() if answer.content else None

                yield backend, station, station_id, ok
        finally:
            await station.close()


def list_versions_sent(into: list[tuple[str, int]]) -> Callable[[str, str, float], None]:
    """A frame hook noting each SendLocalList the station receives: (updateType, version)."""

    def on_frame(direction: str, text: str, _at: float) -> None:
        frame = json.loads(text)
        if direction == "in" and frame[0] == 2 and frame[2] == "SendLocalList":
            payload = frame[3]
            into.append((payload["updateType"], payload.get("listVersion", payload.get("versionNumber"))))

    return on_frame


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_console_changes_reach_an_online_station(tmp_path: Path, version: OcppVersion) -> None:
    sent: list[tuple[str, int]] = []

    async def scenario() -> None:
        async with online(tmp_path, version, list_versions_sent(sent)) as (backend, station, station_id, ok):

            def recorded() -> bool:  # the backend knows what the station holds: the next change is a delta
                last = backend.store.local_list_sent(station_id)
                return last is not None and last[0] == station.station.local_list.version

            async def then_station_holds(entries: dict[str, str]) -> None:
                await until(lambda: held(station) == entries and recorded())

            user = await ok("POST", "", {"first_name": "Ada", "last_name": "Lovelace"})
            ids = f"/{user['id']}/identifications"
            await ok("POST", ids, {"type": "pin", "code": "#1234"})
            await then_station_holds({"#1234": "Accepted"})
            card = await ok("POST", ids, {"type": "rfid", "code": "04a2b3c4"})
            await then_station_holds({"#1234": "Accepted", "04A2B3C4": "Accepted"})

            await ok("POST", f"/{user['id']}/block")
            await then_station_holds({"#1234": "Blocked", "04A2B3C4": "Blocked"})
            await ok("POST", f"/{user['id']}/unblock")
            await then_station_holds({"#1234": "Accepted", "04A2B3C4": "Accepted"})

            await ok("PATCH", f"{ids}/{card['id']}", {"status": "inactive"})
            await then_station_holds({"#1234": "Accepted", "04A2B3C4": "Invalid"})
            await ok("DELETE", f"{ids}/{card['id']}")
            await then_station_holds({"#1234": "Accepted"})

            await ok("DELETE", f"/{user['id']}")
            await then_station_holds({})
            assert sent == [("Full", 1), *[("Differential", n) for n in range(2, 8)]]
            assert station.failures() == []

    asyncio.run(scenario())


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_quick_changes_never_send_one_version_twice(tmp_path: Path, version: OcppVersion) -> None:
    """Changes made faster than a sync round trip: the syncs of one station take turns, so every
    SendLocalList carries a new version and the station ends up holding the last state."""
    sent: list[tuple[str, int]] = []

    async def scenario() -> None:
        async with online(tmp_path, version, list_versions_sent(sent)) as (backend, station, station_id, ok):
            user = await ok("POST", "", {"first_name": "Ada", "last_name": "Lovelace"})
            ids = f"/{user['id']}/identifications"
            for uid in ("0A0B0C01", "0A0B0C02", "0A0B0C03"):
                await ok("POST", ids, {"type": "rfid", "code": uid})
            for change in ("block", "unblock", "block"):
                await ok("POST", f"/{user['id']}/{change}")
            wanted = {uid: "Blocked" for uid in ("0A0B0C01", "0A0B0C02", "0A0B0C03")}

            def settled() -> bool:
                last = backend.store.local_list_sent(station_id)
                return held(station) == wanted and last is not None and last[0] == sent[-1][1]

            await until(settled)
            versions = [number for _, number in sent]
            assert versions == sorted(set(versions)), sent  # each version once, increasing
            assert station.failures() == []

    asyncio.run(scenario())
