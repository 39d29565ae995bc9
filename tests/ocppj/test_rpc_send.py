"""OCPP 2.1 SEND (MessageTypeId 6): an unconfirmed message, its own event, never answered; unknown to
1.6 (ignored) and 2.0.1 (MessageTypeNotSupported)."""

from __future__ import annotations

from typing import Any

import pytest

from evharness.ocppj import schemas
from evharness.ocppj.frames import Call, Send
from evharness.ocppj.rpc import CallReceived, CallRefused, PeerViolation, ResultReceived, SendReceived
from evharness.ocppj.versions import OcppVersion

from .helpers import answer, endpoint, is_busy, only_error, raw, sent_frames

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21

HEARTBEAT_RESPONSE = {"currentTime": "2024-05-01T12:00:00.000Z"}
STREAM: dict[str, Any] = {
    "id": 1,
    "pending": 0,
    "basetime": "2025-01-01T00:00:00.000Z",
    "data": [{"t": 0.5, "v": "230.1"}],
}


def test_notify_periodic_event_stream_is_a_known_unconfirmed_21_action() -> None:
    assert "NotifyPeriodicEventStream" in schemas.known_actions(V21)
    assert schemas.unconfirmed_actions(V21) == {"NotifyPeriodicEventStream"}
    assert schemas.unconfirmed_actions(V201) == schemas.unconfirmed_actions(V16) == frozenset()
    assert schemas.validator(V21, "NotifyPeriodicEventStream", response=False) is not None
    assert schemas.validator(V21, "NotifyPeriodicEventStream", response=True) is None  # no response


def test_a_send_on_21_is_its_own_event_and_never_answered() -> None:
    ep = endpoint(V21)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()

    events = ep.receive(raw(6, "s-1", "NotifyPeriodicEventStream", STREAM), now=1.0)

    assert events == [SendReceived("s-1", "NotifyPeriodicEventStream", STREAM)]
    assert ep.data_to_send() == []
    assert is_busy(ep)  # a SEND never answers our CALL
    assert ep.receive(answer(call.message_id, HEARTBEAT_RESPONSE), now=2.0) == [
        ResultReceived(call, HEARTBEAT_RESPONSE, 2.0)
    ]
    # the same id again is no duplicate CALL: a SEND is never in hand
    assert ep.receive(raw(6, "s-1", "NotifyPeriodicEventStream", STREAM), now=3.0) == [
        SendReceived("s-1", "NotifyPeriodicEventStream", STREAM)
    ]


@pytest.mark.parametrize(
    ("action", "payload", "named"),
    [
        ("NotifyPeriodicEventStream", {**STREAM, "data": []}, "data"),  # breaks the schema
        ("NotifyPeriodicEventStream", {**STREAM, "basetime": 5}, "basetime"),
        ("Heartbeat", {}, "Heartbeat"),  # a CALL action is no unconfirmed message
        ("NoSuchAction", {}, "NoSuchAction"),
    ],
)
def test_a_wrong_send_on_21_is_evidence_and_never_answered(
    action: str, payload: dict[str, Any], named: str
) -> None:
    ep = endpoint(V21)
    events = ep.receive(raw(6, "s-1", action, payload), now=0.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert named in events[0].description
    assert ep.data_to_send() == []
    assert ep.receive(raw(2, "c-1", "Heartbeat", {}), now=1.0) == [CallReceived("c-1", "Heartbeat", {})]


def test_a_send_is_delivered_unchecked_without_incoming_validation() -> None:
    ep = endpoint(V21, validate_incoming=False)
    bad = {"anything": True}
    assert ep.receive(raw(6, "s-1", "NotifyPeriodicEventStream", bad), now=0.0) == [
        SendReceived("s-1", "NotifyPeriodicEventStream", bad)
    ]


def test_a_send_is_ignored_on_16() -> None:
    ep = endpoint(V16)
    events = ep.receive(raw(6, "s-1", "NotifyPeriodicEventStream", STREAM), now=0.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert ep.data_to_send() == []  # OCPP-J 1.6 §4.1.3: an unknown MessageTypeId is ignored


def test_a_send_is_refused_as_an_unknown_message_type_on_201() -> None:
    ep = endpoint(V201)
    events = ep.receive(raw(6, "s-1", "NotifyPeriodicEventStream", STREAM), now=0.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    error = only_error(ep)  # OCPP-J 2.0.1 §4.4
    assert (error.message_id, error.code) == ("s-1", "MessageTypeNotSupported")


def test_an_unconfirmed_action_sent_as_a_call_is_refused_on_21() -> None:
    ep = endpoint(V21)
    (refused,) = ep.receive(raw(2, "c-1", "NotifyPeriodicEventStream", STREAM), now=0.0)
    assert isinstance(refused, CallRefused)
    error = only_error(ep)
    assert (error.message_id, error.code) == ("c-1", "ProtocolError")
    assert "SEND" in error.description


def test_send_unconfirmed_goes_out_while_a_call_is_outstanding() -> None:
    ep = endpoint(V21, validate_outgoing=True)
    ep.send_call("Heartbeat", {}, now=0.0)
    message_id = ep.send_unconfirmed("NotifyPeriodicEventStream", STREAM)
    assert sent_frames(ep) == [
        Call("m-1", "Heartbeat", {}),
        Send(message_id, "NotifyPeriodicEventStream", STREAM),
    ]
    assert message_id == "m-2"
    with pytest.raises(ValueError, match="data"):
        ep.send_unconfirmed("NotifyPeriodicEventStream", {**STREAM, "data": []})
    with pytest.raises(ValueError, match="send_unconfirmed"):
        ep.send_call("NotifyPeriodicEventStream", STREAM, now=1.0)


@pytest.mark.parametrize("version", [V16, V201])
def test_send_unconfirmed_is_refused_before_21(version: OcppVersion) -> None:
    ep = endpoint(version)
    with pytest.raises(ValueError, match="no unconfirmed"):
        ep.send_unconfirmed("NotifyPeriodicEventStream", STREAM)
    assert ep.data_to_send() == []
