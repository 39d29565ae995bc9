"""A broken CALLRESULT or CALLERROR is never answered with a CALLERROR (a CALLERROR answers only a CALL,
OCPP-J 2.0.1 §4.2.3); the CALL of ours it answers fails locally, and 2.1 answers a broken CALLRESULT with
a CALLRESULTERROR."""

from __future__ import annotations

import pytest

from evharness.ocppj.frames import Call, CallResultError
from evharness.ocppj.rpc import CallReceived, ErrorReceived, PeerViolation, ResultReceived
from evharness.ocppj.versions import OcppVersion
from evharness.redaction import MASK

from .helpers import VERSIONS, answer, endpoint, is_busy, raw, sent_frames

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21

HEARTBEAT_RESPONSE = {"currentTime": "2024-05-01T12:00:00.000Z"}

# (frame answering our CALL "m-1", its type name, the kind of breakage as 2.0.1 names it)
BROKEN_ANSWERS: list[tuple[str, str, str]] = [
    ('[3, "m-1", {}, {}]', "CALLRESULT", "RpcFrameworkError"),
    ('[3, "m-1"]', "CALLRESULT", "RpcFrameworkError"),
    ('[3, "m-1", []]', "CALLRESULT", "ProtocolError"),
    ('[3, "m-1", null]', "CALLRESULT", "ProtocolError"),
    ('[4, "m-1", 5, "", {}]', "CALLERROR", "ProtocolError"),
    ('[4, "m-1", "GenericError", "", null]', "CALLERROR", "ProtocolError"),
    ('[4, "m-1", "GenericError"]', "CALLERROR", "RpcFrameworkError"),
    ('[4, "m-1", "GenericError", "", {}, 1]', "CALLERROR", "RpcFrameworkError"),
]

CODES_16 = {"RpcFrameworkError": "ProtocolError", "ProtocolError": "ProtocolError"}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("text", "name", "code"), BROKEN_ANSWERS)
def test_a_broken_answer_fails_our_call_and_gets_no_callerror(
    version: OcppVersion, text: str, name: str, code: str
) -> None:
    ep = endpoint(version)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    second = ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()

    events = ep.receive(text, now=1.0)

    violation, failed = events
    assert isinstance(violation, PeerViolation)
    assert f"malformed {name} m-1" in violation.description
    assert violation.text == text
    expected_code = CODES_16[code] if version is V16 else code
    assert isinstance(failed, ErrorReceived)
    assert failed == ErrorReceived(call, expected_code, failed.description, {}, 1.0, from_peer=False)
    assert failed.description.startswith(f"malformed {name}: ")

    sent = sent_frames(ep)
    assert [f for f in sent if isinstance(f, Call)] == [Call("m-2", "Heartbeat", {})]  # the queue moves on
    answers = [f for f in sent if not isinstance(f, Call)]
    if version is V21 and name == "CALLRESULT":
        assert len(answers) == 1
        assert isinstance(answers[0], CallResultError)
        assert answers == [CallResultError("m-1", code, answers[0].description, {})]
    else:
        assert answers == []  # no CALLERROR, and never a CALLRESULTERROR before 2.1

    # the connection lives on: the next CALL of the peer and the next answer to ours work
    assert ep.receive(raw(2, "p-1", "Heartbeat", {}), now=2.0) == [CallReceived("p-1", "Heartbeat", {})]
    assert ep.receive(answer("m-2", HEARTBEAT_RESPONSE), now=3.0) == [
        ResultReceived(second, HEARTBEAT_RESPONSE, 3.0)
    ]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "text",
    [
        '[3, "other", []]',  # an id that is not our CALL's
        '[4, "other", "GenericError", "", null]',
        "[3, 17, {}]",  # an id that cannot be read
        '[3, "", {}]',
        '[4, "", "GenericError", "", {}]',
        raw(3, "x" * 37, {}),
        raw(4, "x" * 37, "GenericError", "", {}),
    ],
)
def test_a_broken_answer_to_no_call_of_ours_is_only_evidence(version: OcppVersion, text: str) -> None:
    ep = endpoint(version)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()

    events = ep.receive(text, now=1.0)

    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert "not answered" in events[0].description
    assert ep.data_to_send() == []
    assert is_busy(ep)  # our CALL still waits for its own answer
    assert ep.receive(answer(call.message_id, HEARTBEAT_RESPONSE), now=2.0) == [
        ResultReceived(call, HEARTBEAT_RESPONSE, 2.0)
    ]


@pytest.mark.parametrize("version", [V16, V201])
def test_a_schema_breaking_result_is_never_answered_before_21(version: OcppVersion) -> None:
    ep = endpoint(version)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()
    events = ep.receive(answer(call.message_id, {"currentTime": 5}), now=1.0)
    assert [type(e) for e in events] == [PeerViolation, ErrorReceived]
    assert ep.data_to_send() == []


@pytest.mark.parametrize(
    "text",
    [
        '[5, "m-1", 7, "", {}]',  # a broken CALLRESULTERROR
        '[5, "m-1"]',
        '[6, "s-1", 5, {}]',  # a broken SEND
        '[6, "s-1", "NotifyPeriodicEventStream", []]',
        '[6, "s-1", "NotifyPeriodicEventStream"]',
    ],
)
def test_a_broken_callresulterror_or_send_on_21_is_never_answered(text: str) -> None:
    ep = endpoint(V21)
    call = ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()
    events = ep.receive(text, now=1.0)
    assert len(events) == 1
    assert isinstance(events[0], PeerViolation)
    assert ep.data_to_send() == []
    assert is_busy(ep)
    assert ep.receive(answer(call.message_id, HEARTBEAT_RESPONSE), now=2.0) == [
        ResultReceived(call, HEARTBEAT_RESPONSE, 2.0)
    ]


@pytest.mark.parametrize("version", [V201, V21])
def test_the_evidence_of_a_broken_answer_masks_pins(version: OcppVersion) -> None:
    ep = endpoint(version)
    ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()
    text = '[3, "m-1", {"idToken": {"idToken": "4821", "type": "KeyCode"}, "pin": "#9731"}, 1]'

    violation, failed = ep.receive(text, now=1.0)

    assert isinstance(violation, PeerViolation)
    assert isinstance(failed, ErrorReceived)
    for shown in (violation.text, violation.description, failed.description):
        assert "4821" not in shown
        assert "9731" not in shown
    assert MASK in violation.text
