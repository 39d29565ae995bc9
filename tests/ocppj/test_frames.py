"""OCPP-J frames: round trips of every frame type and the error kind of every malformed-frame class."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.ocppj import frames
from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    Frame,
    FrameError,
    Send,
    UnknownMessageType,
    decode,
    encode,
)
from evharness.ocppj.versions import OcppVersion

from .helpers import PROPERTY_SETTINGS, VERSIONS, json_values, raw

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21

COMMON_FRAMES: list[tuple[Frame, list[Any]]] = [
    (Call("id-1", "Heartbeat", {}), [2, "id-1", "Heartbeat", {}]),
    (
        Call("a" * 36, "BootNotification", {"reason": "PowerUp", "nested": {"list": [1, 2.5, None, True]}}),
        [2, "a" * 36, "BootNotification", {"reason": "PowerUp", "nested": {"list": [1, 2.5, None, True]}}],
    ),
    (
        CallResult("id-2", {"currentTime": "2024-01-01T00:00:00.000Z"}),
        [3, "id-2", {"currentTime": "2024-01-01T00:00:00.000Z"}],
    ),
    (CallResult("id-3", {}), [3, "id-3", {}]),
    (CallError("id-4", "GenericError", "", {}), [4, "id-4", "GenericError", "", {}]),
    (
        CallError("id-5", "NotImplemented", "unknown action 'Foo'", {"field": "x"}),
        [4, "id-5", "NotImplemented", "unknown action 'Foo'", {"field": "x"}],
    ),
    (Call("ünïcødé-✓", "DataTransfer", {"data": "€ 😀"}), [2, "ünïcødé-✓", "DataTransfer", {"data": "€ 😀"}]),
]

V21_FRAMES: list[tuple[Frame, list[Any]]] = [
    (
        CallResultError("id-6", "FormatViolation", "bad result", {}),
        [5, "id-6", "FormatViolation", "bad result", {}],
    ),
    (
        Send("id-7", "NotifyPeriodicEventStream", {"id": 1}),
        [6, "id-7", "NotifyPeriodicEventStream", {"id": 1}],
    ),
]


def _round_trip_cases() -> list[tuple[OcppVersion, Frame, list[Any]]]:
    cases = [(version, frame, wire) for version in VERSIONS for frame, wire in COMMON_FRAMES]
    return cases + [(V21, frame, wire) for frame, wire in V21_FRAMES]


@pytest.mark.parametrize(("version", "frame", "wire"), _round_trip_cases())
def test_encode_then_decode_gives_the_same_frame(version: OcppVersion, frame: Frame, wire: list[Any]) -> None:
    text = encode(frame)
    assert orjson.loads(text) == wire
    assert decode(text, version) == frame
    assert decode(text.encode(), version) == frame  # bytes from a binary transport too


@pytest.mark.parametrize("version", VERSIONS)
def test_decode_then_encode_gives_the_same_json(version: OcppVersion) -> None:
    text = '[2, "x-1", "Heartbeat", {"a": [1, {"b": null}]}]'
    assert orjson.loads(encode(decode(text, version))) == orjson.loads(text)


def test_encode_cuts_the_error_description_to_255_characters() -> None:
    text = encode(CallError("id", "GenericError", "é" * 400, {}))
    assert orjson.loads(text)[3] == "é" * 255
    text = encode(CallResultError("id", "GenericError", "x" * 256, {}))
    assert orjson.loads(text)[3] == "x" * 255


_ids = st.text(min_size=1, max_size=frames.MAX_MESSAGE_ID_LENGTH)
_payloads = st.dictionaries(st.text(max_size=10), json_values, max_size=5)
_any_frame: st.SearchStrategy[Frame] = st.one_of(
    st.builds(Call, _ids, st.text(max_size=30), _payloads),
    st.builds(CallResult, _ids, _payloads),
    st.builds(CallError, _ids, st.text(max_size=30), st.text(max_size=255), _payloads),
    st.builds(CallResultError, _ids, st.text(max_size=30), st.text(max_size=255), _payloads),
    st.builds(Send, _ids, st.text(max_size=30), _payloads),
)


@given(frame=_any_frame)
@PROPERTY_SETTINGS
def test_any_well_formed_frame_round_trips_on_21(frame: Frame) -> None:
    assert decode(encode(frame), V21) == frame


# -- malformed frames: (text, kind, message id to answer with) -------------------------------------------

UNREADABLE = frames.UNREADABLE_MESSAGE_ID

MALFORMED: list[tuple[str, str, ErrorKind, str]] = [
    # id, text, kind, message id for the answer
    ("not json", "this is not json", ErrorKind.FORMAT, UNREADABLE),
    ("truncated json", '[2, "id-1", "Heartbeat", {', ErrorKind.FORMAT, UNREADABLE),
    ("empty text", "", ErrorKind.FORMAT, UNREADABLE),
    ("json object", '{"messageTypeId": 2}', ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("json string", '"[2, \\"id\\", \\"Heartbeat\\", {}]"', ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("json null", "null", ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("empty array", "[]", ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("one element", "[2]", ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("id is a number", '[2, 17, "Heartbeat", {}]', ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("id is null", '[2, null, "Heartbeat", {}]', ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("id is empty", '[2, "", "Heartbeat", {}]', ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("id too long", raw(2, "x" * 37, "Heartbeat", {}), ErrorKind.RPC_FRAMEWORK, UNREADABLE),
    ("type id is a string", '["2", "id-1", "Heartbeat", {}]', ErrorKind.RPC_FRAMEWORK, "id-1"),
    ("type id is a float", '[2.0, "id-1", "Heartbeat", {}]', ErrorKind.RPC_FRAMEWORK, "id-1"),
    ("type id is a bool", '[true, "id-1", "Heartbeat", {}]', ErrorKind.RPC_FRAMEWORK, "id-1"),
    ("call, 3 elements", '[2, "id-1", "Heartbeat"]', ErrorKind.PROTOCOL, "id-1"),
    ("call, 5 elements", '[2, "id-1", "Heartbeat", {}, {}]', ErrorKind.PROTOCOL, "id-1"),
    ("call, action not a string", '[2, "id-1", 7, {}]', ErrorKind.RPC_FRAMEWORK, "id-1"),
    ("call, payload null", '[2, "id-1", "Heartbeat", null]', ErrorKind.PROTOCOL, "id-1"),
    ("call, payload a list", '[2, "id-1", "Heartbeat", []]', ErrorKind.PROTOCOL, "id-1"),
    ("result, 4 elements", '[3, "id-1", {}, {}]', ErrorKind.RPC_FRAMEWORK, "id-1"),
    ("result, payload a string", '[3, "id-1", "ok"]', ErrorKind.PROTOCOL, "id-1"),
    ("error, 4 elements", '[4, "id-1", "GenericError", ""]', ErrorKind.RPC_FRAMEWORK, "id-1"),
    ("error, code not a string", '[4, "id-1", 5, "", {}]', ErrorKind.PROTOCOL, "id-1"),
    ("error, description null", '[4, "id-1", "GenericError", null, {}]', ErrorKind.PROTOCOL, "id-1"),
    ("error, details null", '[4, "id-1", "GenericError", "", null]', ErrorKind.PROTOCOL, "id-1"),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("text", "kind", "message_id"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_frame_has_its_error_kind_and_answer_id(
    version: OcppVersion, text: str, kind: ErrorKind, message_id: str
) -> None:
    with pytest.raises(FrameError) as caught:
        decode(text, version)
    assert type(caught.value) is FrameError
    assert caught.value.kind is kind
    assert caught.value.message_id == message_id
    assert caught.value.description
    assert str(caught.value) == caught.value.description


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('[2, "id-7"]', ErrorKind.PROTOCOL),  # a CALL that stops after its id: the id can be read
        ('[3, "id-7"]', ErrorKind.RPC_FRAMEWORK),
        ('[4, "id-7"]', ErrorKind.RPC_FRAMEWORK),
    ],
)
def test_short_frame_with_a_readable_id_is_answered_with_that_id(
    version: OcppVersion, text: str, kind: ErrorKind
) -> None:
    """OCPP-J 2.0.1 §4.2.3: "-1" only when the messageId cannot be read."""
    with pytest.raises(FrameError) as caught:
        decode(text, version)
    assert caught.value.message_id == "id-7"
    assert caught.value.kind is kind


def test_a_36_character_id_is_still_readable() -> None:
    assert decode(raw(2, "x" * 36, "Heartbeat", {}), V201).message_id == "x" * 36


@pytest.mark.parametrize(
    ("version", "text"),
    [
        (V16, '[5, "id-1", "GenericError", "", {}]'),
        (V16, '[6, "id-1", "Heartbeat", {}]'),
        (V16, '[0, "id-1", "Heartbeat", {}]'),
        (V201, '[5, "id-1", "GenericError", "", {}]'),
        (V201, '[6, "id-1", "Heartbeat", {}]'),
        (V201, '[-2, "id-1", "Heartbeat", {}]'),
        (V21, '[7, "id-1", "Heartbeat", {}]'),
        (V21, '[1, "id-1", "Heartbeat", {}]'),
        (V21, '[99, "id-1"]'),
    ],
)
def test_unknown_message_type_is_its_own_error(version: OcppVersion, text: str) -> None:
    with pytest.raises(UnknownMessageType) as caught:
        decode(text, version)
    assert caught.value.kind is ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED
    assert caught.value.message_id == "id-1"


def test_21_frame_types_decode_only_on_21() -> None:
    result_error = '[5, "id-1", "FormatViolation", "", {}]'
    send = '[6, "id-2", "Heartbeat", {}]'
    assert decode(result_error, V21) == CallResultError("id-1", "FormatViolation", "", {})
    assert decode(send, V21) == Send("id-2", "Heartbeat", {})
    for version in (V16, V201):
        for text in (result_error, send):
            with pytest.raises(UnknownMessageType):
                decode(text, version)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('[5, "id-1", "FormatViolation", ""]', ErrorKind.RPC_FRAMEWORK),
        ('[5, "id-1", "FormatViolation", "", []]', ErrorKind.PROTOCOL),
        ('[6, "id-1", "Heartbeat", {}, {}]', ErrorKind.RPC_FRAMEWORK),
        ('[6, "id-1", "Heartbeat", "payload"]', ErrorKind.PROTOCOL),
        ('[6, "id-1", null, {}]', ErrorKind.RPC_FRAMEWORK),
    ],
)
def test_malformed_21_frames(text: str, kind: ErrorKind) -> None:
    with pytest.raises(FrameError) as caught:
        decode(text, V21)
    assert caught.value.kind is kind
    assert caught.value.message_id == "id-1"


@pytest.mark.parametrize("data", [b"\xff\xfe[2]", b'[2, "\xc3\x28", "Heartbeat", {}]', '["\ud800"]'])
def test_invalid_utf8_is_a_format_error(data: str | bytes) -> None:
    with pytest.raises(FrameError) as caught:
        decode(data, V201)
    assert caught.value.kind is ErrorKind.FORMAT
    assert caught.value.message_id == UNREADABLE


def _decode_or_error(data: str | bytes, version: OcppVersion) -> Frame | FrameError:
    try:
        return decode(data, version)
    except FrameError as exc:
        return exc


@given(data=st.binary(max_size=80) | st.text(max_size=80))
@PROPERTY_SETTINGS
def test_decode_raises_nothing_but_frame_error(data: str | bytes) -> None:
    for version in VERSIONS:
        outcome = _decode_or_error(data, version)
        if isinstance(outcome, FrameError):
            assert isinstance(outcome.kind, ErrorKind)
            assert outcome.description
            assert (
                outcome.message_id == UNREADABLE
                or 0 < len(outcome.message_id) <= frames.MAX_MESSAGE_ID_LENGTH
            )
        else:
            assert decode(encode(outcome), version) == outcome


@pytest.mark.parametrize(
    ("version", "text", "type_id"),
    [
        (OcppVersion.V201, '[3, "r-1", []]', frames.CALLRESULT),
        (OcppVersion.V16, '[4, "r-1", "GenericError"]', frames.CALLERROR),
        (OcppVersion.V201, "[3]", frames.CALLRESULT),
        (OcppVersion.V201, "[3, 17, {}]", frames.CALLRESULT),  # the type is read even if the id is not
        (OcppVersion.V21, '[5, "r-1", 1, "", {}]', frames.CALLRESULTERROR),
        (OcppVersion.V21, '[6, "s-1", 2, {}]', frames.SEND),
        (OcppVersion.V201, '[2, "c-1", "Heartbeat"]', frames.CALL),
        (OcppVersion.V201, '["3", "r-1", {}]', None),  # not an integer: unreadable
        (OcppVersion.V201, '[3.0, "r-1", {}]', None),
        (OcppVersion.V201, '[true, "r-1", {}]', None),
        (OcppVersion.V201, "[]", None),
        (OcppVersion.V201, "{}", None),
    ],
)
def test_a_broken_frame_names_its_message_type_when_readable(
    version: OcppVersion, text: str, type_id: int | None
) -> None:
    """Only a broken CALL (or a frame whose type cannot be read) may be answered with a CALLERROR."""
    with pytest.raises(FrameError) as caught:
        decode(text, version)
    assert caught.value.type_id == type_id
