"""The console shows a station's transactions with their energy flags, and the roles the matrix gives
`end_transaction` (and the backend operator) can end a stuck one with a reason (issue 20)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from evharness.reference_backend.domain.permissions import Role

from .helpers import at, boot_16
from .live_console import Live, live_console

STATION = "TX-API-1"
OPERATOR_TOKEN = "operator-secret-for-tests"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_console(tmp_path, STATION, (Role.FACILITY_OWNER, Role.CPO), OPERATOR_TOKEN) as running:
        yield running


def call(ws: ClientConnection, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    ws.send(orjson.dumps([2, action, action, payload]).decode())
    answer = orjson.loads(ws.recv(timeout=30))
    assert answer[0] == 3, answer
    result: dict[str, Any] = answer[2]
    return result


def kwh(minutes: float, value: str) -> dict[str, Any]:
    return {"timestamp": at(minutes), "sampledValue": [{"value": value, "unit": "kWh"}]}


def test_a_stuck_transaction_is_shown_with_its_energy_flag_and_ended_by_the_roles_allowed(live: Live) -> None:
    url = live.backend.ocpp_url + STATION
    with connect(url, subprotocols=[Subprotocol("ocpp1.6")]) as ws:
        call(ws, "BootNotification", boot_16())
        start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
        tx = call(ws, "StartTransaction", start)["transactionId"]
        for minute, value in ((1, "0.091"), (2, "0.030")):  # the register went backwards
            call(
                ws, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": [kwh(minute, value)]}
            )

        with live.client(Role.FACILITY_OWNER) as owner:
            (shown,) = owner.get(f"stations/{STATION}/transactions").json()
            assert (shown["id"], shown["state"], shown["energy_wh"]) == (tx, "running", None)
            assert "backwards" in shown["energy_problem"]
            refused = owner.post(f"stations/{STATION}/transactions/{tx}/end", json={"reason": "stuck"})
            assert refused.status_code == 403
            assert "end_transaction" in refused.text
            assert owner.get(f"stations/{STATION}/transactions").json()[0]["state"] == "running"  # unchanged

        with live.client(Role.CPO) as cpo:
            bad = cpo.post(f"stations/{STATION}/transactions/{tx}/end", json={"reason": ""})
            assert bad.status_code == 422
            assert "reason" in bad.text
            assert (
                cpo.post(f"stations/{STATION}/transactions/999/end", json={"reason": "x"}).status_code == 404
            )
            ended = cpo.post(f"stations/{STATION}/transactions/{tx}/end", json={"reason": "charger replaced"})
            assert ended.status_code == 200, ended.text
            body = ended.json()
            assert (body["state"], body["ended_by"], body["meter_stop_wh"]) == ("ended", "csms", 30.0)
            assert "charger replaced" in body["end_note"]
            again = cpo.post(f"stations/{STATION}/transactions/{tx}/end", json={"reason": "twice"})
            assert again.status_code == 409
            audit = cpo.get(f"stations/{STATION}/audit").json()
            assert any(entry.get("reason") == "charger replaced" for entry in audit)

        # the station's own stop, late, is still recorded as the station's
        call(
            ws,
            "StopTransaction",
            {"transactionId": tx, "meterStop": 40, "timestamp": at(3), "reason": "Local"},
        )
        with live.client(Role.CPO) as cpo:
            (record,) = cpo.get(f"stations/{STATION}/transactions").json()
            assert (record["ended_by"], record["meter_stop_wh"], record["stop_reason"]) == (
                "station",
                40.0,
                "Local",
            )

        # the backend operator, with the operator token
        second = call(ws, "StartTransaction", start | {"timestamp": at(10)})["transactionId"]
        path = f"operations/{STATION}/transactions/{second}/end"
        with live.client(token="wrong") as stranger:
            assert stranger.post(path, json={"reason": "stuck"}).status_code == 401
        with live.client(token=OPERATOR_TOKEN) as operator:
            done = operator.post(path, json={"reason": "stuck"})
            assert done.status_code == 200, done.text
            assert done.json()["ended_by"] == "csms"
