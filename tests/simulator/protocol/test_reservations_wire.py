"""Reservations, display messages and DataTransfer on the wire, on 1.6 and 2.0.1, against the
reference backend's session in memory."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from evharness import scenarios
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.asyncio.control import COMMANDS
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.core.data_transfer import Reply, VendorEntry
from evharness.simulator.core.events import Authorized, CallFailed, DataTransferred, ReservationChanged
from evharness.simulator.core.local_auth import TokenInfo
from evharness.simulator.core.model import StationConfig, Transaction
from evharness.simulator.core.reservations import End
from evharness.simulator.state import station_state
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair
from tests.simulator.protocol.test_calls import CARD, DRIVER, booted

V16, V201 = OcppVersion.V16, OcppVersion.V201


def reserve(pair: Pair, reservation_id: int, evse: int | None, seconds: float = 600.0) -> str:
    expiry = format_timestamp(pair.clock.now() + seconds)
    payload: Payload
    if pair.station.adapter.version is V16:
        payload = {"reservationId": reservation_id, "connectorId": evse or 0, "expiryDate": expiry}
        payload["idTag"] = CARD.code
    else:
        payload = {"id": reservation_id, "expiryDateTime": expiry}
        payload["idToken"] = {"idToken": CARD.code, "type": "ISO14443"}
        if evse is not None:
            payload["evseId"] = evse
    status: str = ask(pair, "ReserveNow", payload)["status"]
    return status


def running(pair: Pair) -> Transaction | None:
    return pair.station.evses[1].transaction


def statuses(pair: Pair) -> list[str]:
    key = "status" if pair.station.adapter.version is V16 else "connectorStatus"
    return [p[key] for p in sent(pair, "StatusNotification")]


@pytest.mark.parametrize("version", [V16, V201])
def test_a_reservation_is_used_by_its_token_and_carried_by_the_start(
    version: OcppVersion, store: Store
) -> None:
    pair = booted(version, store)
    assert reserve(pair, 11, 1) == "Accepted"
    assert statuses(pair)[-1] == "Reserved"
    pair.station.present_token(1, DRIVER, pair.clock.now())  # another token: kept out (H03.FR.04)
    pair.pump()
    refused = [
        e for e in pair.station.events if isinstance(e, ReservationChanged) and e.what == "refused_token"
    ]
    assert refused
    assert running(pair) is None
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, CARD, pair.clock.now())
    pair.pump()
    transaction = running(pair)
    assert transaction is not None
    assert transaction.authorized
    if version is V16:
        assert sent(pair, "StartTransaction")[-1]["reservationId"] == 11
    else:
        assert [p["reservationId"] for p in sent(pair, "TransactionEvent") if "reservationId" in p] == [11]
    assert pair.station.reservations.held == {}
    assert not [e for e in pair.station.events if isinstance(e, CallFailed)]


@pytest.mark.parametrize("version", [V16, V201])
def test_a_reservation_expires_or_is_cancelled(version: OcppVersion, store: Store) -> None:
    pair = booted(version, store)
    assert reserve(pair, 1, 1, seconds=60) == "Accepted"
    pair.advance(61)
    assert statuses(pair)[-2:] == ["Reserved", "Available"]
    updates = sent(pair, "ReservationStatusUpdate")
    assert updates == ([] if version is V16 else [{"reservationId": 1, "reservationUpdateStatus": "Expired"}])
    assert reserve(pair, 2, 1) == "Accepted"
    assert ask(pair, "CancelReservation", {"reservationId": 2}) == {"status": "Accepted"}
    assert ask(pair, "CancelReservation", {"reservationId": 2}) == {"status": "Rejected"}
    assert statuses(pair)[-1] == "Available"
    assert not [e for e in pair.station.events if isinstance(e, CallFailed)]


@pytest.mark.parametrize("version", [V16, V201])
def test_occupied_unavailable_and_any_evse(version: OcppVersion, store: Store) -> None:
    pair = booted(version, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.pump()
    assert reserve(pair, 1, 1) == "Occupied"
    pair.station.unplug(1, 1, pair.clock.now())
    pair.pump()
    assert reserve(pair, 2, None) == "Accepted"  # 1.6 connector 0, 2.0.1 no evseId
    assert statuses(pair)[-1] == "Reserved"  # the only EVSE is held for it
    assert ask(pair, "CancelReservation", {"reservationId": 2}) == {"status": "Accepted"}
    if version is V16:
        ask(pair, "ChangeAvailability", {"connectorId": 1, "type": "Inoperative"})
    else:
        ask(pair, "ChangeAvailability", {"operationalStatus": "Inoperative", "evse": {"id": 1}})
    assert reserve(pair, 3, 1) == "Unavailable"


def test_a_group_token_may_use_the_reservation(store: Store) -> None:
    pair = booted(V201, store)
    expiry = format_timestamp(pair.clock.now() + 600)
    payload: Payload = {
        "id": 5,
        "expiryDateTime": expiry,
        "evseId": 1,
        "idToken": {"idToken": "SOMEONE", "type": "ISO14443"},
        "groupIdToken": {"idToken": "GROUP-1", "type": "Central"},
    }
    assert ask(pair, "ReserveNow", payload)["status"] == "Accepted"
    # the card's group, as the local list says (C09.FR.02 / 1.6 parentIdTag)
    pair.station.local_list.entries[CARD.code] = TokenInfo("Accepted", group="GROUP-1")
    pair.station.device.put("AuthCtrlr.LocalPreAuthorize", "true")
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, CARD, pair.clock.now())
    pair.pump()
    assert [e for e in pair.station.events if isinstance(e, Authorized)][-1].status == "Accepted"
    assert pair.station.reservations.ended == [(5, End.USED)]
    assert pair.station.evses[1].transaction is not None


def test_display_messages_set_get_clear(store: Store) -> None:
    pair = booted(V201, store)
    message: Payload = {"id": 1, "priority": "InFront", "message": {"format": "UTF8", "content": "Welcome"}}
    assert ask(pair, "SetDisplayMessage", {"message": message}) == {"status": "Accepted"}
    assert [m.content for m in pair.station.displayed(pair.clock.now())] == ["Welcome"]
    assert ask(pair, "GetDisplayMessages", {"requestId": 3}) == {"status": "Accepted"}
    (notified,) = sent(pair, "NotifyDisplayMessages")
    assert notified["requestId"] == 3
    assert notified["messageInfo"][0]["message"]["content"] == "Welcome"
    assert ask(pair, "GetDisplayMessages", {"requestId": 4, "id": [9]}) == {"status": "Unknown"}
    bound = {**message, "id": 2, "transactionId": "nope"}
    assert ask(pair, "SetDisplayMessage", {"message": bound}) == {"status": "UnknownTransaction"}
    assert ask(pair, "ClearDisplayMessage", {"id": 1}) == {"status": "Accepted"}
    assert ask(pair, "ClearDisplayMessage", {"id": 1}) == {"status": "Unknown"}
    assert not [e for e in pair.station.events if isinstance(e, CallFailed)]


@pytest.mark.parametrize("version", [V16, V201])
def test_data_transfer_from_the_vendor_table_both_ways(version: OcppVersion, store: Store) -> None:
    table = (
        VendorEntry("com.acme", "Price", Reply("Accepted", "42")),
        VendorEntry("com.acme", "Off", Reply("Rejected", None)),
    )
    pair = Pair.open("SIM-0001", version, store, StationConfig(serial_number="SIM-0001", data_transfer=table))
    pair.station.boot(pair.clock.now())
    pair.pump()
    assert ask(pair, "DataTransfer", {"vendorId": "com.acme", "messageId": "Price"}) == {
        "status": "Accepted",
        "data": "42",
    }
    assert ask(pair, "DataTransfer", {"vendorId": "com.acme", "messageId": "Off"}) == {"status": "Rejected"}
    assert ask(pair, "DataTransfer", {"vendorId": "com.acme", "messageId": "X"}) == {
        "status": "UnknownMessageId"
    }
    assert ask(pair, "DataTransfer", {"vendorId": "org.other"}) == {"status": "UnknownVendorId"}
    pair.station.send_data_transfer("org.example", "Hello", "hi", pair.clock.now())
    pair.pump()
    (transferred,) = [e for e in pair.station.events if isinstance(e, DataTransferred)]
    assert (transferred.vendor, transferred.message) == ("org.example", "Hello")
    assert transferred.status in ("Rejected", "UnknownVendorId", "UnknownMessageId", "Accepted")


def test_the_control_commands_fault_a_reserved_connector_and_transfer_data(store: Store) -> None:
    """connector_fault removes the reservation (TC_H_20), vendors / data_transfer drive DataTransfer,
    and the station's state shows its reservations and the messages a driver sees."""
    pair = booted(V201, store)
    link = cast(StationLink, SimpleNamespace(station=pair.station))
    now = pair.clock.now()
    assert reserve(pair, 8, 1) == "Accepted"
    message: Payload = {"id": 1, "priority": "NormalCycle", "message": {"format": "UTF8", "content": "Hi"}}
    ask(pair, "SetDisplayMessage", {"message": message})
    shown = station_state(pair.station, now)
    assert [r["id"] for r in shown["reservations"]] == [8]
    assert [m["content"] for m in shown["display_messages"]] == ["Hi"]
    COMMANDS["connector_fault"](link, {"evse": 1, "faulted": True}, now)
    pair.pump()
    assert sent(pair, "ReservationStatusUpdate") == [
        {"reservationId": 8, "reservationUpdateStatus": "Removed"}
    ]
    assert statuses(pair)[-1] == "Faulted"
    COMMANDS["connector_fault"](link, {"evse": 1, "faulted": False}, now)
    COMMANDS["vendors"](link, {"entries": ["com.acme:Price=Accepted:42"]}, now)
    COMMANDS["data_transfer"](link, {"vendor": "org.evharness", "message": "Echo", "data": "ping"}, now)
    pair.pump()
    assert statuses(pair)[-1] == "Available"
    assert ask(pair, "DataTransfer", {"vendorId": "com.acme", "messageId": "Price"}) == {
        "status": "Accepted",
        "data": "42",
    }
    (transferred,) = [e for e in pair.station.events if isinstance(e, DataTransferred)]
    assert (transferred.status, transferred.data) == ("Accepted", "ping")  # the backend's Echo


@pytest.mark.parametrize("version", [V16, V201])
def test_the_bundled_data_transfer_scenario_holds_against_the_reference_backend(
    version: OcppVersion, store: Store
) -> None:
    pair = Pair.open("SIM-0001", version, store)
    runner = pair.run(scenarios.load("data_transfer"))
    assert runner.done
    assert [(e.what, e.actual, e.ok) for e in runner.expectations[1:]] == [
        ("DataTransfer org.evharness", "Accepted", True),
        ("DataTransfer com.example.unknown", "UnknownVendorId", True),
    ]


def test_an_evse_made_inoperative_loses_its_reservation(store: Store) -> None:
    pair = booted(V201, store)
    assert reserve(pair, 6, 1) == "Accepted"
    ask(pair, "ChangeAvailability", {"operationalStatus": "Inoperative", "evse": {"id": 1}})
    assert sent(pair, "ReservationStatusUpdate") == [
        {"reservationId": 6, "reservationUpdateStatus": "Removed"}
    ]
    assert pair.station.reservations.held == {}
    assert statuses(pair)[-1] == "Unavailable"
