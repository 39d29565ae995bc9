"""Token decisions read their facts from a short cache (`persistence.facts_cache`), and a console change
is seen by the very next Authorize on the same open connection (issue 17): a token revoked, a PIN
changed, a local user blocked or removed. Real backend, real console API, real socket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from evharness.reference_backend.domain.permissions import Role

from .helpers import boot_16, boot_201
from .live_console import Live, live_console

STATION = "FACTS-1"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_console(tmp_path, STATION, (Role.FACILITY_OWNER, Role.CPO)) as running:
        yield running


class Station:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.sent = 0

    def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        self.sent += 1
        self.ws.send(orjson.dumps([2, f"m{self.sent}", action, payload]).decode())
        answer = orjson.loads(self.ws.recv(timeout=30))
        while answer[0] == 2:  # the backend's own CALL (e.g. GetLocalListVersion after the boot): not ours
            self.ws.send(orjson.dumps([4, answer[1], "NotImplemented", "not in this test", {}]).decode())
            answer = orjson.loads(self.ws.recv(timeout=30))
        assert answer[0] == 3, answer
        result: dict[str, Any] = answer[2]
        return result

    def authorize_16(self, id_tag: str) -> str:
        status: str = self.call("Authorize", {"idTag": id_tag})["idTagInfo"]["status"]
        return status

    def authorize_201(self, token: dict[str, str]) -> str:
        status: str = self.call("Authorize", {"idToken": token})["idTokenInfo"]["status"]
        return status


def online(live: Live, subprotocol: str) -> Iterator[Station]:
    with connect(live.backend.ocpp_url + STATION, subprotocols=[Subprotocol(subprotocol)]) as ws:
        station = Station(ws)
        station.call("BootNotification", boot_16() if subprotocol == "ocpp1.6" else boot_201())
        yield station


def ok(response: Any, code: int = 200) -> Any:
    assert response.status_code == code, response.text
    return response.json() if code != 204 else None


def test_a_changed_pin_a_blocked_and_a_removed_user_are_seen_by_the_next_authorize(live: Live) -> None:
    cached = live.backend.store.facts
    with live.client(Role.FACILITY_OWNER) as owner:
        users = f"stations/{STATION}/local-users"
        user = ok(owner.post(users, json={"first_name": "Ada", "last_name": "Driver"}), 201)
        pin = ok(
            owner.post(f"{users}/{user['id']}/identifications", json={"type": "pin", "code": "#4821"}), 201
        )
        for station in online(live, "ocpp1.6"):
            assert station.authorize_16("#4821") == "Accepted"
            hits = cached.hits
            assert station.authorize_16("#4821") == "Accepted"
            assert cached.hits == hits + 1  # the second decision read no database

            ok(owner.patch(f"{users}/{user['id']}/identifications/{pin['id']}", json={"code": "#7777"}))
            assert station.authorize_16("#4821") == "Invalid"  # 1.6 has no Unknown
            assert station.authorize_16("#7777") == "Accepted"

            ok(owner.post(f"{users}/{user['id']}/block"))
            assert station.authorize_16("#7777") == "Blocked"
            ok(owner.post(f"{users}/{user['id']}/unblock"))
            assert station.authorize_16("#7777") == "Accepted"

            ok(owner.delete(f"{users}/{user['id']}"), 204)
            assert station.authorize_16("#7777") == "Invalid"


def test_a_revoked_token_is_seen_by_the_next_authorize(live: Live) -> None:
    central = {"idToken": "TAG-001", "type": "Central"}
    with live.client(Role.CPO) as cpo:
        tokens = f"stations/{STATION}/tokens"
        made = ok(cpo.post(tokens, json={"type": "Central", "code": "TAG-001"}), 201)
        for station in online(live, "ocpp2.0.1"):
            assert station.authorize_201(central) == "Accepted"
            assert station.authorize_201(central) == "Accepted"
            ok(cpo.post(tokens, json={"type": "Central", "code": "TAG-001", "status": "inactive"}))
            assert station.authorize_201(central) == "Invalid"
            ok(cpo.post(tokens, json={"type": "Central", "code": "TAG-001"}))
            assert station.authorize_201(central) == "Accepted"
            ok(cpo.delete(f"{tokens}/{made['id']}"), 204)
            assert station.authorize_201(central) == "Unknown"
