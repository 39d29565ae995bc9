"""Properties of RpcEndpoint.receive on arbitrary and near-miss input: it never raises, it answers only
with well-formed frames and the negotiated version's codes, and it lives on afterwards."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import assume, given
from hypothesis import strategies as st

from evharness.ocppj import frames, schemas
from evharness.ocppj.errors import ERROR_CODES
from evharness.ocppj.frames import CALL, Call, CallError, CallResult, CallResultError
from evharness.ocppj.rpc import CallReceived, ErrorReceived, PeerViolation, ResultReceived, RpcEndpoint
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion

from .helpers import (
    BOOT_REASONS,
    IN_FLIGHT_ID,
    PROPERTY_SETTINGS,
    VERSIONS,
    answer,
    assert_valid_outgoing,
    endpoint,
    is_busy,
    json_values,
    near_miss_frames,
    random_payloads,
    raw,
    readable_id,
    valid_requests,
)

versions = st.sampled_from(VERSIONS)
# text with every code point, lone surrogates included
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=120)
LIVE_ID = "still-alive"


def _call_actions(version: OcppVersion) -> list[str]:
    """The actions that travel as CALL (2.1's unconfirmed messages travel only as SEND)."""
    return sorted(schemas.known_actions(version) - schemas.unconfirmed_actions(version))


def _receive_and_check(ep: RpcEndpoint, data: str | bytes) -> list[frames.Frame]:
    """Receive `data`; everything sent back must be a valid frame using the version's codes."""
    ep.receive(data, now=1.0)
    return [assert_valid_outgoing(text, ep.version) for text in ep.data_to_send()]


def _still_alive(ep: RpcEndpoint) -> None:
    events = ep.receive(raw(CALL, LIVE_ID, "Heartbeat", {}), now=2.0)
    assert events == [CallReceived(LIVE_ID, "Heartbeat", {})]
    assert ep.data_to_send() == []


@given(version=versions, data=any_text | st.binary(max_size=120))
@PROPERTY_SETTINGS
def test_arbitrary_text_or_bytes_never_raise(version: OcppVersion, data: str | bytes) -> None:
    ep = endpoint(version)
    _receive_and_check(ep, data)
    _still_alive(ep)


@given(version=versions, value=json_values)
@PROPERTY_SETTINGS
def test_arbitrary_json_never_raises(version: OcppVersion, value: Any) -> None:
    ep = endpoint(version)
    text = orjson.dumps(value).decode()
    sent = _receive_and_check(ep, text)
    if not isinstance(value, list) or readable_id(value) is None:
        assert all(f.message_id == frames.UNREADABLE_MESSAGE_ID for f in sent)
    _still_alive(ep)


@given(data=st.data())
@PROPERTY_SETTINGS
def test_near_miss_frames_are_answered_properly(data: st.DataObject) -> None:
    version = data.draw(versions)
    message = data.draw(near_miss_frames(version))
    assume(readable_id(message) != LIVE_ID)
    ep = endpoint(version)
    # a CALL of ours in flight, so that near-miss results and errors have something to hit
    assert ep.send_call("Heartbeat", {}, now=0.0).message_id == IN_FLIGHT_ID
    ep.data_to_send()

    sent = _receive_and_check(ep, orjson.dumps(message))

    message_id = readable_id(message)
    for frame in sent:
        assert isinstance(frame, CallError | CallResultError)
        if isinstance(frame, CallError):
            # a readable id is echoed; an unreadable one is "-1"
            assert frame.message_id == (message_id or frames.UNREADABLE_MESSAGE_ID)
        else:  # 2.1: our in-flight CALL got a CALLRESULT that broke its schema
            assert frame.message_id == message_id == IN_FLIGHT_ID
    _still_alive(ep)


@given(data=st.data())
@PROPERTY_SETTINGS
def test_random_payloads_for_real_actions(data: st.DataObject) -> None:
    version = data.draw(versions)
    action = data.draw(st.sampled_from(_call_actions(version)))
    payload = data.draw(random_payloads(version, action))
    ep = endpoint(version)

    events = ep.receive(raw(CALL, "r-1", action, payload), now=1.0)
    sent = [assert_valid_outgoing(text, version) for text in ep.data_to_send()]

    validate = schemas.validator(version, action, response=False)
    assert validate is not None
    problem = schemas.check(validate, payload)
    if problem is None:
        assert events == [CallReceived("r-1", action, payload)]
        assert sent == []
    else:
        assert events == []
        assert sent == [
            CallError(
                "r-1", ERROR_CODES[version][problem.kind], problem.description[:255], {"field": problem.field}
            )
        ]
    _still_alive(ep)


@given(data=st.data())
@PROPERTY_SETTINGS
def test_random_result_payloads_for_real_actions(data: st.DataObject) -> None:
    """Whatever the peer answers to our CALL, the outcome is a result or an error of ours, never a raise."""
    version = data.draw(versions)
    action = data.draw(st.sampled_from(_call_actions(version)))
    payload = data.draw(st.dictionaries(st.text(max_size=10), json_values, max_size=5))
    ep = endpoint(version)
    call = ep.send_call(action, {}, now=0.0)
    ep.data_to_send()

    events = ep.receive(answer(call.message_id, payload), now=1.0)
    sent = [assert_valid_outgoing(text, version) for text in ep.data_to_send()]

    event = events[-1]
    if isinstance(event, ResultReceived):
        assert len(events) == 1
        assert sent == []
    else:
        assert [type(e) for e in events] == [PeerViolation, ErrorReceived]  # reported, and our CALL fails
        assert isinstance(event, ErrorReceived)
        assert not event.from_peer
        assert event.code in ERROR_CODES[version].values()
        if version is OcppVersion.V21:
            assert len(sent) == 1
            assert isinstance(sent[0], CallResultError)
            assert sent[0].message_id == call.message_id
            assert sent[0].code == event.code
        else:
            assert sent == []
    assert not is_busy(ep)


@given(data=st.data())
@PROPERTY_SETTINGS
def test_valid_boot_and_heartbeat_calls_are_accepted(data: st.DataObject) -> None:
    version = data.draw(versions)
    action, payload = data.draw(valid_requests(version))
    ep = endpoint(version)
    events = ep.receive(raw(CALL, "v-1", action, payload), now=1.0)
    assert events == [CallReceived("v-1", action, payload)]
    assert ep.data_to_send() == []


@given(
    version=versions,
    status=st.sampled_from(["Accepted", "Pending", "Rejected"]),
    epoch=st.floats(min_value=0, max_value=4102444800),
    interval=st.integers(min_value=-(2**31), max_value=2**31),
)
@PROPERTY_SETTINGS
def test_valid_boot_responses_are_accepted(
    version: OcppVersion, status: str, epoch: float, interval: int
) -> None:
    ep = endpoint(version)
    boot = (
        {"chargePointVendor": "V", "chargePointModel": "M"}
        if version is OcppVersion.V16
        else {"reason": BOOT_REASONS[0], "chargingStation": {"model": "M", "vendorName": "V"}}
    )
    call = ep.send_call("BootNotification", boot, now=0.0)
    ep.data_to_send()
    payload = {"status": status, "currentTime": format_timestamp(epoch), "interval": interval}
    assert ep.receive(answer(call.message_id, payload), now=1.0) == [ResultReceived(call, payload, 1.0)]
    assert ep.data_to_send() == []


@given(
    version=versions,
    texts=st.lists(near_miss_frames(OcppVersion.V21).map(orjson.dumps) | any_text, max_size=6),
)
@PROPERTY_SETTINGS
def test_a_stream_of_garbage_leaves_the_call_queue_intact(
    version: OcppVersion, texts: list[str | bytes]
) -> None:
    """Malformed input in between never loses, reorders or duplicates our own queued CALLs."""
    ep = endpoint(version)
    ep.send_call("Heartbeat", {}, now=0.0)
    ep.send_call("Heartbeat", {}, now=0.0)
    expected = ["m-1", "m-2"]
    answered = 0  # a model: only a CALLRESULT or CALLERROR with the in-flight id moves the queue on
    for text in texts:
        try:
            frame = frames.decode(text, version)
            answers = isinstance(frame, CallResult | CallError)
            message_id = frame.message_id
        except frames.FrameError as exc:  # a broken answer to our CALL fails it, and the queue moves on too
            answers = exc.type_id in (frames.CALLRESULT, frames.CALLERROR)
            message_id = exc.message_id
        if answers and answered < 2 and message_id == expected[answered]:
            answered += 1
        ep.receive(text, now=1.0)
    ours = [f for f in (assert_valid_outgoing(t, version) for t in ep.data_to_send()) if isinstance(f, Call)]
    assert [c.message_id for c in ours] == expected[: min(answered + 1, 2)]
    assert is_busy(ep) is (answered < 2)


def _as_answer(message: list[Any], type_id: int) -> list[Any]:
    """`message` made to look like an answer: a CALLRESULT or CALLERROR type id in front."""
    return [type_id, *message[1:]] if message else [type_id]


@given(data=st.data())
@PROPERTY_SETTINGS
def test_broken_answers_never_get_a_callerror(data: st.DataObject) -> None:
    """Any CALLRESULT or CALLERROR, broken or not, is never answered on 1.6 and 2.0.1, and on 2.1 only with a
    CALLRESULTERROR for our CALL in flight; the queue moves on and the connection lives on."""
    version = data.draw(versions)
    type_id = data.draw(st.sampled_from([frames.CALLRESULT, frames.CALLERROR]))
    message = _as_answer(data.draw(near_miss_frames(version)), type_id)
    assume(readable_id(message) != LIVE_ID)
    ep = endpoint(version)
    ep.send_call("Heartbeat", {}, now=0.0)
    ep.send_call("Heartbeat", {}, now=0.0)
    ep.data_to_send()

    events = ep.receive(orjson.dumps(message), now=1.0)
    sent = [assert_valid_outgoing(text, version) for text in ep.data_to_send()]

    answers = [f for f in sent if not isinstance(f, Call)]
    if version is OcppVersion.V21 and type_id == frames.CALLRESULT:
        assert all(isinstance(f, CallResultError) and f.message_id == IN_FLIGHT_ID for f in answers)
    else:
        assert answers == []
    settled = any(isinstance(e, ResultReceived | ErrorReceived) for e in events)
    assert [f.message_id for f in sent if isinstance(f, Call)] == (["m-2"] if settled else [])
    assert is_busy(ep)  # m-1 still waits, or m-2 went out
    _still_alive(ep)
