"""Tariffs from the console, under the matrix, and the cost a station is told over a real socket: 2.0.1
totalCost in the Ended answer and CostUpdated after a new reading (I02/I03), 1.6 RunningCost and
FinalCost DataTransfers; the final cost in the console's transactions (issue 16)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from evharness.reference_backend.domain.permissions import Role

from .helpers import at, boot_16, boot_201, register_16, register_201, transaction_event
from .live_console import Live, live_console

STATION = "TARIFF-1"
TARIFF = {
    "currency": "EUR",
    "energy_price_per_kwh": "0.30",
    "time_price_per_hour": "1.20",
    "session_fee": "0.50",
    "texts": {"en": "0.30 EUR/kWh, 1.20 EUR/h, 0.50 EUR per session"},
}


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    roles = (Role.FACILITY_OWNER, Role.CPO, Role.INSTALLER)
    with live_console(tmp_path, STATION, roles) as running:
        yield running


def accepted(action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A station that takes every CALL: the currency setting's push, CostUpdated, the cost DataTransfers."""
    if action == "SetVariables":
        return {
            "setVariableResult": [
                {"attributeStatus": "Accepted", "component": d["component"], "variable": d["variable"]}
                for d in payload["setVariableData"]
            ]
        }
    return {} if action == "CostUpdated" else {"status": "Accepted"}


def receive(ws: ClientConnection) -> list[Any]:
    """The next frame; a CALL of the CSMS is answered (and kept for `csms_call`)."""
    message: list[Any] = orjson.loads(ws.recv(timeout=30))
    if message[0] == 2:
        ws.send(orjson.dumps([3, message[1], accepted(message[2], message[3])]).decode())
        CALLS.setdefault(id(ws), []).append((message[2], message[3]))
    return message


CALLS: dict[int, list[tuple[str, dict[str, Any]]]] = {}


def call(ws: ClientConnection, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    ws.send(orjson.dumps([2, action, action, payload]).decode())
    while (answer := receive(ws))[0] == 2:
        pass
    assert answer[0] == 3, answer
    result: dict[str, Any] = answer[2]
    return result


def csms_call(ws: ClientConnection, action: str) -> dict[str, Any]:
    """The next CALL `action` of the CSMS (answered as a station that takes it); the others skipped."""
    while True:
        kept = CALLS.setdefault(id(ws), [])
        while kept:
            name, payload = kept.pop(0)
            if name == action:
                return payload
        receive(ws)


def test_the_roles_of_the_matrix_set_the_tariff_and_bad_input_names_its_field(live: Live) -> None:
    with live.client(Role.INSTALLER) as installer, live.client(Role.CPO) as cpo:
        assert installer.get(f"stations/{STATION}/tariff").status_code == 404
        refused = installer.put(f"stations/{STATION}/tariff", json=TARIFF)
        assert refused.status_code == 403
        assert "set_prices" in refused.text
        assert cpo.put(f"stations/{STATION}/tariff", json=TARIFF).json()["energy_price_per_kwh"] == "0.3"
        for body, field in (
            ({**TARIFF, "energy_price_per_kwh": -1}, "energy_price_per_kwh"),
            ({**TARIFF, "currency": "EURO"}, "currency"),
            ({**TARIFF, "session_fee": "free"}, "session_fee"),
        ):
            bad = cpo.put(f"stations/{STATION}/tariff", json=body)
            assert bad.status_code == 422
            assert field in bad.text
        settings = {s["name"]: s["desired"] for s in installer.get(f"stations/{STATION}/settings").json()}
        assert settings["currency"] == "EUR"  # TariffCostCtrlr.Currency, pushed when the station connects
        shown = installer.get(f"stations/{STATION}/tariff").json()  # every role sees it; unchanged
        assert (shown["currency"], shown["session_fee"]) == ("EUR", "0.5")
        audit = installer.get(f"stations/{STATION}/audit").json()
        assert [a["kind"] for a in audit].count("tariff") == 1
        assert installer.delete(f"stations/{STATION}/tariff").status_code == 403
        assert cpo.delete(f"stations/{STATION}/tariff").status_code == 204
        assert cpo.get(f"stations/{STATION}/tariff").status_code == 404


def test_a_201_session_is_told_its_running_and_final_cost(live: Live) -> None:
    with live.client(Role.FACILITY_OWNER) as owner:
        owner.put(f"stations/{STATION}/tariff", json=TARIFF).raise_for_status()
    with connect(live.backend.ocpp_url + STATION, subprotocols=[Subprotocol("ocpp2.0.1")]) as ws:
        call(ws, "BootNotification", boot_201())
        begin = register_201(0, 1000, "Transaction.Begin")
        call(
            ws,
            "TransactionEvent",
            transaction_event("Started", 0, 0, reason="Authorized", meterValue=[begin]),
        )
        answer = call(
            ws, "TransactionEvent", transaction_event("Updated", 1, 30, meterValue=[register_201(30, 3000)])
        )
        assert "totalCost" not in answer  # 2.0.1: only once charging has ended
        cost = csms_call(ws, "CostUpdated")
        assert cost == {"totalCost": 1.70, "transactionId": "tx-1"}  # 0.50 + 2 kWh × 0.30 + 0.5 h × 1.20
        end = register_201(60, 6000, "Transaction.End")
        ended = transaction_event("Ended", 2, 60, reason="EVCommunicationLost", meterValue=[end])
        assert call(ws, "TransactionEvent", ended)["totalCost"] == 3.20  # 0.50 + 5 kWh × 0.30 + 1 h × 1.20
    with live.client(Role.FACILITY_OWNER) as owner:
        (shown,) = owner.get(f"stations/{STATION}/transactions").json()
        assert (shown["total_cost"], shown["currency"]) == ("3.20", "EUR")


def test_a_16_session_is_told_its_cost_by_data_transfer(live: Live) -> None:
    with live.client(Role.CPO) as cpo:
        cpo.put(
            f"stations/{STATION}/tariff", json={"currency": "JPY", "energy_price_per_kwh": 40}
        ).raise_for_status()
    with connect(live.backend.ocpp_url + STATION, subprotocols=[Subprotocol("ocpp1.6")]) as ws:
        call(ws, "BootNotification", boot_16())
        start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
        tx = call(ws, "StartTransaction", start)["transactionId"]
        call(
            ws, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": [register_16(10, 2500)]}
        )
        running = csms_call(ws, "DataTransfer")
        assert (running["vendorId"], running["messageId"]) == (
            "org.openchargealliance.costmsg",
            "RunningCost",
        )
        assert json.loads(running["data"])["cost"] == 100  # 2.5 kWh × 40 JPY
        stop = {"transactionId": tx, "meterStop": 10_000, "timestamp": at(20)}
        call(ws, "StopTransaction", stop)
        final = csms_call(ws, "DataTransfer")
        assert (final["messageId"], json.loads(final["data"])["cost"]) == ("FinalCost", 400)
    with live.client(Role.CPO) as cpo:
        (shown,) = cpo.get(f"stations/{STATION}/transactions").json()
        assert (shown["total_cost"], shown["currency"]) == ("400", "JPY")


def test_a_station_without_a_tariff_is_told_no_cost(live: Live) -> None:
    with connect(live.backend.ocpp_url + STATION, subprotocols=[Subprotocol("ocpp2.0.1")]) as ws:
        call(ws, "BootNotification", boot_201())
        call(ws, "TransactionEvent", transaction_event("Started", 0, 0, reason="Authorized"))
        ended = transaction_event("Ended", 1, 5, meterValue=[register_201(5, 500, "Transaction.End")])
        assert "totalCost" not in call(ws, "TransactionEvent", ended)
        call(ws, "Heartbeat", {})
        assert [name for name, _ in CALLS.get(id(ws), [])] == []  # no CostUpdated, no tariff: no push
