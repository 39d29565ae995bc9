"""Shared helpers for the OCPP-J tests: deterministic ids, a wire-frame checker, hypothesis strategies."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import orjson
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from evharness.ocppj import frames, schemas
from evharness.ocppj.errors import ERROR_CODES
from evharness.ocppj.frames import Call, CallError, CallResult, CallResultError, Frame, Send
from evharness.ocppj.rpc import RpcEndpoint
from evharness.ocppj.versions import OcppVersion

VERSIONS = tuple(OcppVersion)

# Modest example counts and no deadline keep the whole folder well under the time budget;
# no example database, so nothing is written into the work tree.
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    report_multiple_bugs=False,  # shrink one failure, not each line a generated validator raises from
    suppress_health_check=[HealthCheck.too_slow],
)


def counting_ids(prefix: str = "m") -> Callable[[], str]:
    """A predictable message id factory: m-1, m-2, …"""
    counter = itertools.count(1)
    return lambda: f"{prefix}-{next(counter)}"


def endpoint(version: OcppVersion, **kwargs: Any) -> RpcEndpoint:
    kwargs.setdefault("new_message_id", counting_ids())
    return RpcEndpoint(version, **kwargs)


def is_busy(ep: RpcEndpoint) -> bool:
    """`ep.busy`, read through a call so that mypy does not narrow the property between reads."""
    return ep.busy


def raw(*elements: Any) -> str:
    return orjson.dumps(list(elements)).decode()


def assert_valid_outgoing(text: str, version: OcppVersion) -> Frame:
    """`text` is a well-formed OCPP-J frame of `version`; errors use that version's codes."""
    frame = frames.decode(text, version)  # raises FrameError if it is not
    assert 0 < len(frame.message_id) <= frames.MAX_MESSAGE_ID_LENGTH
    if isinstance(frame, CallError | CallResultError):
        assert frame.code in ERROR_CODES[version].values(), (version, frame.code)
        assert len(frame.description) <= 255
        assert isinstance(frame.details, dict)
    if isinstance(frame, CallResultError | Send):
        assert version is OcppVersion.V21
    return frame


def sent_frames(ep: RpcEndpoint) -> list[Frame]:
    return [assert_valid_outgoing(text, ep.version) for text in ep.data_to_send()]


def only_error(ep: RpcEndpoint) -> CallError:
    sent = sent_frames(ep)
    assert len(sent) == 1, sent
    assert isinstance(sent[0], CallError), sent[0]
    return sent[0]


def only_call(ep: RpcEndpoint) -> Call:
    sent = sent_frames(ep)
    assert len(sent) == 1, sent
    assert isinstance(sent[0], Call), sent[0]
    return sent[0]


def answer(message_id: str, payload: dict[str, Any]) -> str:
    return frames.encode(CallResult(message_id, payload))


# -- valid payloads ---------------------------------------------------------------------------------

BOOT_REASONS = (
    "ApplicationReset",
    "FirmwareUpdate",
    "LocalReset",
    "PowerUp",
    "RemoteReset",
    "ScheduledReset",
    "Triggered",
    "Unknown",
    "Watchdog",
)


def valid_boot_16() -> dict[str, Any]:
    return {"chargePointVendor": "ACME", "chargePointModel": "Model-1"}


def valid_boot_2x() -> dict[str, Any]:
    return {"reason": "PowerUp", "chargingStation": {"model": "Model-1", "vendorName": "ACME"}}


def valid_boot(version: OcppVersion) -> dict[str, Any]:
    return valid_boot_16() if version is OcppVersion.V16 else valid_boot_2x()


def boot_response(current_time: str = "2024-05-01T12:00:00.000Z") -> dict[str, Any]:
    return {"status": "Accepted", "currentTime": current_time, "interval": 300}


def _text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(max_size=max_size)


def _optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


_custom_data: st.SearchStrategy[dict[str, Any]] = st.builds(
    lambda vendor, extra: {**extra, "vendorId": vendor},
    _text(255),
    st.dictionaries(
        st.text(max_size=10),
        st.integers(min_value=-(2**31), max_value=2**31) | st.text(max_size=10),
        max_size=3,
    ),
)

_boot_16: st.SearchStrategy[dict[str, Any]] = st.builds(
    lambda required, optional: {**optional, **required},
    st.fixed_dictionaries({"chargePointVendor": _text(20), "chargePointModel": _text(20)}),
    _optional(
        {
            "chargePointSerialNumber": _text(25),
            "chargeBoxSerialNumber": _text(25),
            "firmwareVersion": _text(50),
            "iccid": _text(20),
            "imsi": _text(20),
            "meterType": _text(25),
            "meterSerialNumber": _text(25),
        }
    ),
)

_charging_station: st.SearchStrategy[dict[str, Any]] = st.builds(
    lambda required, optional: {**optional, **required},
    st.fixed_dictionaries({"model": _text(20), "vendorName": _text(50)}),
    _optional(
        {
            "serialNumber": _text(25),
            "firmwareVersion": _text(50),
            "modem": _optional({"iccid": _text(20), "imsi": _text(20), "customData": _custom_data}),
            "customData": _custom_data,
        }
    ),
)

_boot_2x: st.SearchStrategy[dict[str, Any]] = st.builds(
    lambda required, optional: {**optional, **required},
    st.fixed_dictionaries({"reason": st.sampled_from(BOOT_REASONS), "chargingStation": _charging_station}),
    _optional({"customData": _custom_data}),
)


def valid_requests(version: OcppVersion) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """Random schema-valid BootNotification and Heartbeat requests of `version`."""
    heartbeat: st.SearchStrategy[dict[str, Any]]
    if version is OcppVersion.V16:
        boot, heartbeat = _boot_16, st.just({})
    else:
        boot, heartbeat = _boot_2x, _optional({"customData": _custom_data})
    return st.tuples(st.just("BootNotification"), boot) | st.tuples(st.just("Heartbeat"), heartbeat)


# -- arbitrary and near-miss input --------------------------------------------------------------------

json_scalars: st.SearchStrategy[Any] = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)

json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _schema_properties(version: OcppVersion, action: str) -> list[str]:
    """Top-level property names of an action's request schema (to make near-miss payloads)."""
    path = schemas._schema_dir(version) / schemas._file_name(version, action, response=False)
    schema = orjson.loads(path.read_bytes())
    return sorted(schema.get("properties", {}))


def random_payloads(version: OcppVersion, action: str) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts using the action's own field names (and some others) with arbitrary JSON values."""
    keys = st.sampled_from(_schema_properties(version, action) or ["customData"]) | st.text(max_size=10)
    return st.dictionaries(keys, json_values, max_size=6)


def message_ids() -> st.SearchStrategy[Any]:
    return (
        st.text(min_size=1, max_size=frames.MAX_MESSAGE_ID_LENGTH)
        | st.text(min_size=frames.MAX_MESSAGE_ID_LENGTH + 1, max_size=60)
        | st.just("")
        | json_scalars
    )


IN_FLIGHT_ID = "m-1"  # the id `endpoint()` gives our first CALL: near-miss answers sometimes hit it


def near_miss_frames(version: OcppVersion) -> st.SearchStrategy[list[Any]]:
    """A well-formed frame of any type, then up to three breakages: an element replaced by any JSON value,
    the frame cut short or extended, the id made unreadable (long, empty, not a string), the type id
    changed (unknown, float, bool, unhashable)."""
    actions = sorted(schemas.known_actions(version))
    type_ids = (
        st.sampled_from(
            [frames.CALL, frames.CALLRESULT, frames.CALLERROR, frames.CALLRESULTERROR, frames.SEND]
        )
        | st.integers(min_value=-3, max_value=12)
        | json_values  # floats such as 2.0, booleans, and unhashable lists and objects
    )
    codes = st.sampled_from(sorted({c for table in ERROR_CODES.values() for c in table.values()})) | st.text(
        max_size=20
    )

    @st.composite
    def build(draw: st.DrawFn) -> list[Any]:
        action = draw(st.sampled_from(actions))
        named = draw(st.just(action) | st.text(max_size=15) | st.text(min_size=250, max_size=300))
        message_id = draw(st.just(IN_FLIGHT_ID) | st.text(min_size=1, max_size=frames.MAX_MESSAGE_ID_LENGTH))
        payload = draw(random_payloads(version, action))
        type_id = draw(
            st.sampled_from(
                [frames.CALL, frames.CALLRESULT, frames.CALLERROR, frames.CALLRESULTERROR, frames.SEND]
            )
        )
        if type_id in (frames.CALL, frames.SEND):
            message = [type_id, message_id, named, payload]
        elif type_id == frames.CALLRESULT:
            message = [type_id, message_id, payload]
        else:
            message = [type_id, message_id, draw(codes), draw(st.text(max_size=300)), payload]
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            breakage = draw(st.sampled_from(["element", "cut", "extend", "id", "type"]))
            if breakage == "element" and message:
                message[draw(st.integers(min_value=0, max_value=len(message) - 1))] = draw(json_values)
            elif breakage == "cut":
                message = message[: draw(st.integers(min_value=0, max_value=len(message)))]
            elif breakage == "extend":
                message.append(draw(json_values))
            elif breakage == "id" and len(message) >= 2:
                message[1] = draw(message_ids())
            elif breakage == "type" and message:
                message[0] = draw(type_ids)
        return message

    return build()


def readable_id(message: list[Any]) -> str | None:
    """The message id a receiver can read and echo, if any."""
    if len(message) < 2:
        return None
    candidate = message[1]
    if isinstance(candidate, str) and 0 < len(candidate) <= frames.MAX_MESSAGE_ID_LENGTH:
        return candidate
    return None
