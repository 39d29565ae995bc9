"""Steps of the reservation (2.0.1 H, 1.6 Reservation), display message (O) and data transfer (P)
cases; `conftest.py` imports them.

The operator reserves through the driver with the payload the OCTT expects (the id and expiry the
harness picks are only a suggestion: the steps read the reservation the CSMS really sent); the
tool-station then reports what a station would (Reserved, Expired, Removed) or starts on the
reservation, and the CSMS's answers are checked.
"""

from __future__ import annotations

import itertools
from typing import Any

from pytest_bdd import parsers, then, when

from evharness.conformance import checks
from evharness.conformance import messages as m
from evharness.conformance.session import Conformance
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.ocppj.vocabulary import Action

RESERVATION_SECONDS = 600  # the expiry the harness asks for: well beyond any scenario
_reservation_ids = itertools.count(1)


def _reserve_now(octt: Conformance, role: str, place: str, group: bool) -> Payload:
    """ReserveNow for `place`: an EVSE / connector number, "any" (2.0.1 no evseId, 1.6 connector 0)
    or a connector type (2.0.1 connectorType)."""
    token = octt.token(role)
    expiry = format_timestamp(octt.now() + RESERVATION_SECONDS)
    number = next(_reservation_ids)
    group_id = octt.feature("group_id") if group else None
    if octt.v16:
        connector = 0 if place == "any" else int(place)
        payload: Payload = {"connectorId": connector, "expiryDate": expiry, "idTag": token.v16()}
        payload["reservationId"] = number
        if group_id:
            payload["parentIdTag"] = str(group_id)
        return payload
    payload = {"id": number, "expiryDateTime": expiry, "idToken": token.v201()}
    if place.isdigit():
        payload["evseId"] = int(place)
    elif place != "any":
        payload["connectorType"] = place
    if group_id:
        payload["groupIdToken"] = {"idToken": str(group_id), "type": "Central"}
    return payload


def last_sent(octt: Conformance, action: str) -> Payload:
    """The payload of the CALL the operator just made the CSMS send, which must be `action`."""
    call = octt.csms_call
    assert call is not None, f"expected the CSMS to send {action}; it sent nothing"
    assert call.action == action, f"expected the CSMS to send {action}; it sent {call.action}"
    return call.payload


def reservation_id(octt: Conformance) -> int:
    """The id of the last reservation the CSMS sent (its own choice, whatever the harness asked)."""
    sent = [call for call in octt.station.received if call.action == Action.ReserveNow]
    assert sent, "the CSMS sent no ReserveNow"
    payload = sent[-1].payload
    found: int = payload["reservationId"] if octt.v16 else payload["id"]
    return found


@when(parsers.parse('the operator makes the CSMS reserve connector {place} for the "{role}" token'))
@when(parsers.parse('the operator makes the CSMS reserve EVSE {place} for the "{role}" token'))
@when(parsers.parse('the operator makes the CSMS reserve a "{place}" connector for the "{role}" token'))
def operator_reserves(octt: Conformance, place: str, role: str) -> None:
    payload = _reserve_now(octt, role, place, group=False)
    octt.operate(Action.ReserveNow, payload, f"reserve {place} for the {role} token")


@when(parsers.parse('the operator makes the CSMS reserve EVSE {place} for the "{role}" token and its group'))
@when(
    parsers.parse(
        'the operator makes the CSMS reserve connector {place} for the "{role}" token and its group'
    )
)
def operator_reserves_group(octt: Conformance, place: str, role: str) -> None:
    octt.require_feature("group_id", "the case needs the group the CSMS gives the valid token")
    payload = _reserve_now(octt, role, place, group=True)
    octt.operate(Action.ReserveNow, payload, f"reserve {place} for the {role} token and its group")


@when("the operator makes the CSMS cancel the reservation")
def operator_cancels(octt: Conformance) -> None:
    payload = {"reservationId": reservation_id(octt)}
    octt.operate(Action.CancelReservation, payload, "cancel the reservation it made")


@then("the CSMS sent CancelReservation for the reservation")
def cancelled_the_reservation(octt: Conformance) -> None:
    call = octt.csms_call
    assert call is not None, "expected the CSMS to send CancelReservation; it sent nothing"
    assert call.action == Action.CancelReservation, f"expected CancelReservation; it sent {call.action}"
    wanted = reservation_id(octt)
    assert call.payload["reservationId"] == wanted, (
        f"reservationId {call.payload['reservationId']}; expected {wanted}"
    )


@then(parsers.parse("the CSMS sent {action:w} with {field:S} in the future"))
def sent_in_future(octt: Conformance, action: str, field: str) -> None:
    value = checks.field(last_sent(octt, action), field)
    assert isinstance(value, str), f"{action}.{field} = {value!r}; expected a date-time"
    assert parse_timestamp(value).timestamp() > octt.now(), f"{action}.{field} = {value} is not in the future"


@when(parsers.parse('the station sends ReservationStatusUpdate "{status:w}" for the reservation'))
def reservation_update(octt: Conformance, status: str) -> None:
    payload = {"reservationId": reservation_id(octt), "reservationUpdateStatus": status}
    octt.send(Action.ReservationStatusUpdate, payload)


@when(parsers.parse('the station starts a transaction with the "{role:w}" token on the reservation'))
def starts_on_reservation(octt: Conformance, role: str) -> None:
    """1.6 StartTransaction with reservationId (§5.13); 2.0.1 TransactionEvent with reservationId (H03)."""
    token = octt.token(role)
    octt.transaction_token = token
    number = reservation_id(octt)
    if octt.v16:
        payload = m.start_transaction_v16(octt.connector, token, octt.meter_wh, octt.now())
        payload["reservationId"] = number
        answer = octt.send(Action.StartTransaction, payload)
        if answer.payload is not None:
            octt.transaction_id = answer.payload["transactionId"]
        return
    event = octt._transaction_event("Started", "Authorized", token=token, charging_state="Charging")
    event["reservationId"] = number
    octt.send(Action.TransactionEvent, event)


# -- display messages (O) ---------------------------------------------------------------------------


@when("the station sends NotifyDisplayMessages for the request")
def notifies_display_messages(octt: Conformance) -> None:
    """O03/O04: the messages the CSMS set in this scenario (their ids and contents), or one of the
    station's own, in answer to the CSMS's last GetDisplayMessages."""
    asked = [call for call in octt.station.received if call.action == Action.GetDisplayMessages]
    assert asked, "the CSMS sent no GetDisplayMessages"
    request = asked[-1].payload
    infos: list[dict[str, Any]] = [
        call.payload["message"] for call in octt.station.received if call.action == Action.SetDisplayMessage
    ] or [{"id": 1, "priority": "NormalCycle", "message": {"format": "UTF8", "content": "evharness"}}]
    wanted_ids = request.get("id")
    if wanted_ids:
        infos = [info for info in infos if info["id"] in wanted_ids] or infos[:1]
    payload = {"requestId": request["requestId"], "messageInfo": infos, "tbc": False}
    octt.send(Action.NotifyDisplayMessages, payload)


# -- data transfer and custom data (P) ----------------------------------------------------------------


@when("the station sends a Heartbeat with custom data")
def heartbeat_with_custom_data(octt: Conformance) -> None:
    """TC_P_03: customData (a vendorId and anything else) may come with any message."""
    octt.send(Action.Heartbeat, {"customData": {"vendorId": "org.evharness.octt", "note": "custom"}})


@then(parsers.parse('the CSMS sent ReserveNow with the group of "{feature}"'))
def reserved_for_group(octt: Conformance, feature: str) -> None:
    """H01 groupIdToken / 1.6 parentIdTag: the group the target file names."""
    group = octt.require_feature(
        feature, f"the case needs the group the CSMS gives the valid token ({feature})"
    )
    path = "parentIdTag" if octt.v16 else "groupIdToken.idToken"
    actual = checks.field(last_sent(octt, Action.ReserveNow), path)
    assert str(actual).upper() == str(group).upper(), f"ReserveNow {path} {actual!r}; expected {group!r}"
