"""The sans-I/O RPC endpoint: one outstanding CALL, correlation, timeouts, and CALLERROR answers."""

from __future__ import annotations

import pytest

from evharness.ocppj.errors import ErrorKind, error_code
from evharness.ocppj.frames import Call, CallError, CallResult, CallResultError, decode, encode
from evharness.ocppj.rpc import (
    CallReceived,
    CallRefused,
    CallTimedOut,
    ErrorReceived,
    OutgoingCall,
    PeerViolation,
    ResultReceived,
    RpcEndpoint,
)
from evharness.ocppj.versions import OcppVersion

from .helpers import (
    VERSIONS,
    answer,
    boot_response,
    endpoint,
    is_busy,
    only_call,
    only_error,
    raw,
    sent_frames,
    valid_boot,
)

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21

HEARTBEAT_RESPONSE = {"currentTime": "2024-05-01T12:00:00.000Z"}


# -- our CALLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_call_goes_out_and_its_result_comes_back(version: OcppVersion) -> None:
    ep = endpoint(version)
    note = object()
    call = ep.send_call("Heartbeat", {}, now=10.0, context=note)
    assert only_call(ep) == Call("m-1", "Heartbeat", {})
    assert call.message_id == "m-1"
    assert call.sent_at == 10.0
    assert call.context is note
    assert is_busy(ep)

    events = ep.receive(answer("m-1", HEARTBEAT_RESPONSE), now=11.5)

    assert events == [ResultReceived(call, HEARTBEAT_RESPONSE, 11.5)]
    assert not is_busy(ep)
    assert ep.next_deadline() is None
    assert ep.data_to_send() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_a_second_call_waits_until_the_first_is_answered(version: OcppVersion) -> None:
    ep = endpoint(version)
    first = ep.send_call("Heartbeat", {}, now=0.0)
    second = ep.send_call("BootNotification", valid_boot(version), now=1.0)
    third = ep.send_call("Heartbeat", {}, now=2.0)
    assert only_call(ep).message_id == first.message_id
    assert (second.message_id, second.sent_at) == ("", None)  # no id until it goes on the wire

    # a CALL from the peer in between does not release our queue (CALLs may cross)
    assert ep.receive(raw(2, "peer-1", "Heartbeat", {}), now=3.0) == [CallReceived("peer-1", "Heartbeat", {})]
    assert ep.data_to_send() == []

    assert ep.receive(answer(first.message_id, HEARTBEAT_RESPONSE), now=4.0)[0] == ResultReceived(
        first, HEARTBEAT_RESPONSE, 4.0
    )
    sent = only_call(ep)
    assert sent == Call("m-2", "BootNotification", valid_boot(version))
    assert (second.message_id, second.sent_at) == ("m-2", 4.0)

    events = ep.receive(answer("m-2", boot_response()), now=5.0)
    assert events == [ResultReceived(second, boot_response(), 5.0)]
    assert only_call(ep).message_id == third.message_id == "m-3"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_result_is_matched_by_message_id(version: OcppVersion) -> None:
    ep = endpoint(version)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()

    events = ep.receive(answer("someone-else", HEARTBEAT_RESPONSE), now=1.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert "someone-else" in events[0].description
    assert is_busy(ep)  # our call is still waiting for its own answer
    assert ep.data_to_send() == []

    assert ep.receive(answer(call.message_id, HEARTBEAT_RESPONSE), now=2.0) == [
        ResultReceived(call, HEARTBEAT_RESPONSE, 2.0)
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_result_with_no_call_in_flight_is_a_peer_violation(version: OcppVersion) -> None:
    ep = endpoint(version)
    text = answer("never-sent", HEARTBEAT_RESPONSE)
    events = ep.receive(text, now=0.0)
    assert events == [PeerViolation("CALLRESULT for unknown messageId never-sent", text)]
    assert ep.data_to_send() == []  # a CALLRESULT is never answered


@pytest.mark.parametrize("version", VERSIONS)
def test_an_error_with_an_unknown_id_is_a_peer_violation(version: OcppVersion) -> None:
    ep = endpoint(version)
    ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()
    events = ep.receive(encode(CallError("other", "GenericError", "", {})), now=1.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert is_busy(ep)
    assert ep.data_to_send() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_a_callerror_answers_the_call_and_releases_the_queue(version: OcppVersion) -> None:
    ep = endpoint(version)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()
    details = {"hint": "try later"}
    events = ep.receive(encode(CallError(call.message_id, "InternalError", "busy", details)), now=2.0)
    assert events == [ErrorReceived(call, "InternalError", "busy", details, 2.0, from_peer=True)]
    assert only_call(ep).message_id == "m-2"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_late_answer_to_a_timed_out_call_is_a_peer_violation(version: OcppVersion) -> None:
    ep = endpoint(version, call_timeout=30.0)
    first = ep.send_call("Heartbeat", {}, now=100.0)
    second = ep.send_call("Heartbeat", {}, now=101.0)
    ep.data_to_send()
    assert ep.next_deadline() == 130.0
    assert ep.tick(129.999) == []
    assert ep.data_to_send() == []

    assert ep.tick(130.0) == [CallTimedOut(first)]
    assert only_call(ep).message_id == second.message_id == "m-2"
    assert second.sent_at == 130.0
    assert ep.next_deadline() == 160.0
    assert ep.tick(130.0) == []  # a timeout is reported once

    late = ep.receive(answer(first.message_id, HEARTBEAT_RESPONSE), now=131.0)
    assert len(late) == 1
    assert isinstance(late[0], PeerViolation)
    assert ep.receive(answer("m-2", HEARTBEAT_RESPONSE), now=132.0) == [
        ResultReceived(second, HEARTBEAT_RESPONSE, 132.0)
    ]
    assert ep.next_deadline() is None
    assert ep.tick(10_000.0) == []


def test_the_timeout_is_taken_from_the_endpoint_at_send_time() -> None:
    ep = endpoint(V201, call_timeout=5.0)
    call = ep.send_call("Heartbeat", {}, now=1.0)
    assert call.timeout == 5.0
    assert ep.next_deadline() == 6.0
    assert ep.tick(7.5) == [CallTimedOut(call)]


@pytest.mark.parametrize("version", VERSIONS)
def test_connection_lost_hands_back_calls_in_order_and_resends_use_fresh_ids(version: OcppVersion) -> None:
    ep = endpoint(version)
    calls = [ep.send_call("Heartbeat", {}, now=0.0, context=n) for n in range(3)]
    first_id = only_call(ep).message_id
    ep.receive(raw(2, "peer-1", "Heartbeat", {}), now=0.5)  # a peer CALL we never answered
    ep.send_result("peer-1", HEARTBEAT_RESPONSE)  # still in the outbox when the line drops

    handed_back = ep.connection_lost()

    assert handed_back == calls  # in flight first, then the queue, in order
    assert [c.context for c in handed_back] == [0, 1, 2]
    assert not is_busy(ep)
    assert ep.next_deadline() is None
    assert ep.data_to_send() == []  # nothing from the old connection leaks onto the new one
    assert ep.tick(1_000.0) == []
    assert isinstance(ep.receive(answer(first_id, HEARTBEAT_RESPONSE), now=2.0)[0], PeerViolation)

    resent = [ep.send_call(c.action, c.payload, now=3.0, context=c.context) for c in handed_back]
    assert only_call(ep).message_id == resent[0].message_id
    for call in resent:  # answer each so the next goes out
        ep.receive(answer(call.message_id, HEARTBEAT_RESPONSE), now=4.0)
        ep.data_to_send()
    new_ids = [c.message_id for c in resent]
    # OCPP-J 2.0.1 §4.1.4: an id is never reused, not even for a retry on a new connection
    assert len(set(new_ids)) == 3
    assert first_id not in new_ids
    assert handed_back[0].message_id == first_id
    assert not is_busy(ep)


def test_the_default_ids_are_unique_across_endpoints() -> None:
    """Two connections of the same station must not share ids: the default factory is random-prefixed."""
    ids = set()
    for _ in range(3):
        ep = RpcEndpoint(V201)
        for _ in range(3):
            call = ep.send_call("Heartbeat", {}, now=0.0)
            assert 0 < len(call.message_id) <= 36
            ids.add(call.message_id)
            ep.receive(answer(call.message_id, HEARTBEAT_RESPONSE), now=0.0)
    assert len(ids) == 9


# -- the peer's answers to our CALLs that break the schema -------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_an_invalid_result_payload_is_an_error_not_from_the_peer(version: OcppVersion) -> None:
    ep = endpoint(version)
    call = ep.send_call("BootNotification", valid_boot(version), now=0.0)
    ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()
    bad = {"status": "Accepted", "currentTime": "2024-05-01T12:00:00.000Z"}  # interval missing

    events = ep.receive(answer(call.message_id, bad), now=1.0)

    assert len(events) == 2
    violation, event = events
    assert isinstance(violation, PeerViolation)  # evidence for the log
    assert "interval" in violation.description
    assert isinstance(event, ErrorReceived)
    assert event.call is call
    assert event.from_peer is False
    assert event.code == error_code(version, ErrorKind.OCCURRENCE_CONSTRAINT)
    assert "BootNotification" in event.description
    assert "interval" in event.description
    assert event.details == {"field": "(payload)"}
    assert event.received_at == 1.0

    sent = sent_frames(ep)
    calls = [f for f in sent if isinstance(f, Call)]
    assert [c.message_id for c in calls] == ["m-2"]  # the queue moves on
    result_errors = [f for f in sent if isinstance(f, CallResultError)]
    if version is V21:
        assert result_errors == [
            CallResultError(
                call.message_id, "OccurrenceConstraintViolation", result_errors[0].description, {}
            )
        ]
        assert "interval" in result_errors[0].description
    else:
        assert result_errors == []
    assert len(sent) == len(calls) + len(result_errors)


def test_16_names_an_invalid_result_with_its_own_codes() -> None:
    ep = endpoint(V16)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    events = ep.receive(answer(call.message_id, {"currentTime": "2024-05-01T12:00:00Z", "extra": 1}), now=1.0)
    assert isinstance(events[-1], ErrorReceived)
    assert events[-1].code == "FormationViolation"
    assert not events[-1].from_peer


@pytest.mark.parametrize("version", VERSIONS)
def test_result_payloads_are_taken_as_they_are_without_incoming_validation(version: OcppVersion) -> None:
    ep = endpoint(version, validate_incoming=False)
    call = ep.send_call("BootNotification", valid_boot(version), now=0.0)
    events = ep.receive(answer(call.message_id, {"anything": True}), now=1.0)
    assert events == [ResultReceived(call, {"anything": True}, 1.0)]


# -- the peer's CALLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_valid_call_is_received_and_answered(version: OcppVersion) -> None:
    ep = endpoint(version)
    events = ep.receive(raw(2, "c-1", "BootNotification", valid_boot(version)), now=0.0)
    assert events == [CallReceived("c-1", "BootNotification", valid_boot(version))]
    assert ep.data_to_send() == []
    ep.send_result("c-1", boot_response(), action="BootNotification")
    assert sent_frames(ep) == [CallResult("c-1", boot_response())]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_call_with_an_id_in_progress_is_answered_with_an_error(version: OcppVersion) -> None:
    ep = endpoint(version)
    frame = raw(2, "dup", "Heartbeat", {})
    assert ep.receive(frame, now=0.0) == [CallReceived("dup", "Heartbeat", {})]

    assert ep.receive(frame, now=1.0) == []
    error = only_error(ep)
    assert error.message_id == "dup"
    assert error.code == error_code(version, ErrorKind.PROTOCOL)

    # the first CALL is still being handled: every further copy is refused too
    assert ep.receive(frame, now=2.0) == []
    assert only_error(ep).message_id == "dup"

    # once answered, the id is free again
    ep.send_result("dup", HEARTBEAT_RESPONSE)
    ep.data_to_send()
    assert ep.receive(frame, now=3.0) == [CallReceived("dup", "Heartbeat", {})]


@pytest.mark.parametrize("version", VERSIONS)
def test_an_answered_error_also_frees_the_id(version: OcppVersion) -> None:
    ep = endpoint(version)
    frame = raw(2, "c-9", "Heartbeat", {})
    ep.receive(frame, now=0.0)
    ep.send_error("c-9", ErrorKind.INTERNAL, "oops")
    assert only_error(ep) == CallError("c-9", "InternalError", "oops", {})
    assert ep.receive(frame, now=1.0) == [CallReceived("c-9", "Heartbeat", {})]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("action", ["NoSuchAction", "heartbeat", "HeartbeatRequest", "HeartbeatResponse"])
def test_an_unknown_action_is_not_implemented(version: OcppVersion, action: str) -> None:
    ep = endpoint(version)
    # answered here, and told to the owner, who may log it (the backend does, once per station and action)
    (refused,) = ep.receive(raw(2, "c-1", action, {}), now=0.0)
    assert refused == CallRefused("c-1", action, ErrorKind.NOT_IMPLEMENTED, f"unknown action {action!r}")
    error = only_error(ep)
    assert error.message_id == "c-1"
    assert error.code == "NotImplemented"
    assert action in error.description


@pytest.mark.parametrize(
    ("version", "payload", "code", "field"),
    [
        (V16, {"chargePointVendor": "ACME"}, "OccurenceConstraintViolation", "(payload)"),
        (
            V16,
            {"chargePointVendor": "ACME", "chargePointModel": "M", "x": 1},
            "FormationViolation",
            "(payload)",
        ),
        (
            V16,
            {"chargePointVendor": "ACME", "chargePointModel": 3},
            "TypeConstraintViolation",
            "chargePointModel",
        ),
        (V201, {"reason": "PowerUp"}, "OccurrenceConstraintViolation", "(payload)"),
        (
            V201,
            {"reason": "Bogus", "chargingStation": {"model": "M", "vendorName": "V"}},
            "PropertyConstraintViolation",
            "reason",
        ),
        (
            V201,
            {"reason": "PowerUp", "chargingStation": {"model": "M" * 21, "vendorName": "V"}},
            "TypeConstraintViolation",
            "chargingStation.model",
        ),
        (
            V21,
            {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}, "x": 1},
            "FormatViolation",
            "(payload)",
        ),
    ],
)
def test_an_invalid_call_payload_is_answered_with_the_field_and_version_code(
    version: OcppVersion, payload: dict[str, object], code: str, field: str
) -> None:
    ep = endpoint(version)
    assert ep.receive(raw(2, "c-1", "BootNotification", payload), now=0.0) == []
    error = only_error(ep)
    assert (error.message_id, error.code, error.details) == ("c-1", code, {"field": field})
    # the id was never accepted, so a corrected CALL with the same id goes through
    assert ep.receive(raw(2, "c-1", "BootNotification", valid_boot(version)), now=1.0) == [
        CallReceived("c-1", "BootNotification", valid_boot(version))
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_call_payloads_are_taken_as_they_are_without_incoming_validation(version: OcppVersion) -> None:
    ep = endpoint(version, validate_incoming=False)
    assert ep.receive(raw(2, "c-1", "BootNotification", {"bogus": 1}), now=0.0) == [
        CallReceived("c-1", "BootNotification", {"bogus": 1})
    ]
    # an unknown action is still not implemented
    (refused,) = ep.receive(raw(2, "c-2", "NoSuchAction", {}), now=0.0)
    assert isinstance(refused, CallRefused)
    assert only_error(ep).code == "NotImplemented"


# -- malformed frames ---------------------------------------------------------------------------------

MALFORMED_ANSWERS: list[tuple[OcppVersion, str, str, str]] = [
    (V16, "garbage", "FormationViolation", "-1"),
    (V201, "garbage", "FormatViolation", "-1"),
    (V21, "garbage", "FormatViolation", "-1"),
    (V16, '{"a": 1}', "ProtocolError", "-1"),
    (V201, '{"a": 1}', "RpcFrameworkError", "-1"),
    (V201, '[2, 5, "Heartbeat", {}]', "RpcFrameworkError", "-1"),
    (V201, raw(2, "x" * 37, "Heartbeat", {}), "RpcFrameworkError", "-1"),
    (V16, '[2, "c-1", "Heartbeat"]', "ProtocolError", "c-1"),
    (V201, '[2, "c-1", "Heartbeat", null]', "ProtocolError", "c-1"),
    (V201, '["2", "c-1", "Heartbeat", {}]', "RpcFrameworkError", "c-1"),
    (V21, '[2, "c-1", "Heartbeat", {}, {}]', "ProtocolError", "c-1"),
    (V201, '[9, "c-1", "Heartbeat", {}]', "MessageTypeNotSupported", "c-1"),
    (V16, '[2, "c-1"]', "ProtocolError", "c-1"),
    (V201, '[2, "c-1"]', "ProtocolError", "c-1"),
]


@pytest.mark.parametrize(("version", "text", "code", "message_id"), MALFORMED_ANSWERS)
def test_a_malformed_frame_is_answered_with_the_version_code(
    version: OcppVersion, text: str, code: str, message_id: str
) -> None:
    ep = endpoint(version)
    events = ep.receive(text, now=0.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert events[0].text == text
    error = only_error(ep)
    assert (error.code, error.message_id) == (code, message_id)
    # the endpoint lives on
    assert ep.receive(raw(2, "next", "Heartbeat", {}), now=1.0) == [CallReceived("next", "Heartbeat", {})]


def test_an_unknown_message_type_is_answered_on_201() -> None:
    ep = endpoint(V201)
    events = ep.receive('[6, "s-1", "Heartbeat", {}]', now=0.0)
    assert isinstance(events[0], PeerViolation)
    error = only_error(ep)
    assert (error.code, error.message_id) == ("MessageTypeNotSupported", "s-1")


@pytest.mark.parametrize(
    ("version", "text"),
    [
        (V16, '[5, "x-1", "GenericError", "", {}]'),
        (V16, '[6, "x-1", "Heartbeat", {}]'),
        (V16, '[9, "x-1", "Heartbeat", {}]'),
        (V21, '[7, "x-1", "Heartbeat", {}]'),
        (V21, '[0, "x-1"]'),
    ],
)
def test_an_unknown_message_type_is_ignored_on_16_and_21(version: OcppVersion, text: str) -> None:
    ep = endpoint(version)
    events = ep.receive(text, now=0.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert ep.data_to_send() == []


def test_a_callresulterror_on_21_is_evidence_and_not_answered() -> None:
    ep = endpoint(V21)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()
    events = ep.receive(encode(CallResultError("peer-9", "FormatViolation", "bad", {})), now=1.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert "FormatViolation" in events[0].description
    assert ep.data_to_send() == []
    assert ep.receive(answer(call.message_id, HEARTBEAT_RESPONSE), now=2.0)[0] == ResultReceived(
        call, HEARTBEAT_RESPONSE, 2.0
    )


def test_peer_violation_text_is_a_short_readable_preview() -> None:
    ep = endpoint(V201)
    long_text = "x" * 1000
    events = ep.receive(long_text.encode(), now=0.0)
    assert isinstance(events[0], PeerViolation)
    assert events[0].text == "x" * 300 + "…"
    events = ep.receive(b"\xff\xfe", now=0.0)
    assert isinstance(events[0], PeerViolation)
    assert events[0].text == "\ufffd\ufffd"


# -- what we send ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "kind", "code"),
    [
        (V16, ErrorKind.FORMAT, "FormationViolation"),
        (V16, ErrorKind.OCCURRENCE_CONSTRAINT, "OccurenceConstraintViolation"),
        (V201, ErrorKind.FORMAT, "FormatViolation"),
        (V201, ErrorKind.RPC_FRAMEWORK, "RpcFrameworkError"),
        (V21, ErrorKind.OCCURRENCE_CONSTRAINT, "OccurrenceConstraintViolation"),
    ],
)
def test_send_error_uses_the_version_code(version: OcppVersion, kind: ErrorKind, code: str) -> None:
    ep = endpoint(version)
    ep.send_error("c-1", kind, "d" * 300, {"field": "x"})
    assert only_error(ep) == CallError("c-1", code, "d" * 255, {"field": "x"})
    ep.send_error("c-2", kind, "")
    assert only_error(ep).details == {}


@pytest.mark.parametrize("version", VERSIONS)
def test_outgoing_validation_refuses_our_own_bad_messages(version: OcppVersion) -> None:
    ep = endpoint(version, validate_outgoing=True)
    with pytest.raises(ValueError, match="our own BootNotification request"):
        ep.send_call("BootNotification", {}, now=0.0)
    with pytest.raises(ValueError, match="has no action 'NoSuchAction'"):
        ep.send_call("NoSuchAction", {}, now=0.0)
    assert not is_busy(ep)
    assert ep.data_to_send() == []
    with pytest.raises(ValueError, match="our own Heartbeat response"):
        ep.send_result("c-1", {}, action="Heartbeat")
    assert ep.data_to_send() == []
    ep.send_result("c-1", HEARTBEAT_RESPONSE, action="Heartbeat")
    ep.send_call("BootNotification", valid_boot(version), now=0.0)
    assert [type(f) for f in sent_frames(ep)] == [CallResult, Call]


def test_send_raw_puts_text_on_the_wire_unchanged() -> None:
    ep = endpoint(V201)
    ep.send_raw("[2, broken")
    assert ep.data_to_send() == ["[2, broken"]
    assert ep.data_to_send() == []


def test_outgoing_frames_decode() -> None:
    ep = endpoint(V21)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    ep.send_result("x", HEARTBEAT_RESPONSE)
    ep.send_error("y", ErrorKind.GENERIC, "")
    texts = ep.data_to_send()
    assert [decode(t, V21) for t in texts] == [
        Call(call.message_id, "Heartbeat", {}),
        CallResult("x", HEARTBEAT_RESPONSE),
        CallError("y", "GenericError", "", {}),
    ]


def test_outgoing_call_defaults() -> None:
    call = OutgoingCall("Heartbeat", {})
    assert (call.message_id, call.sent_at, call.timeout, call.context) == ("", None, 30.0, None)
