"""Wire checks on a recorded OCPP-J exchange: plain functions over frames, no I/O (CATALOG §4).

Theory of operation: a scenario records every frame with its direction and real time (`Frame`).
`check_exchange` walks that log once, keeping the CALLs each side has outstanding, and returns
one `Violation` per broken rule; an empty list is a pass. Each rule is a row of `RULES`, so a
report can name the rule and the OCPP-J section it comes from. The content checks a test case
adds (accepted statuses, message order, local list shape) are small functions of the same kind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from evharness.ocppj import schemas
from evharness.ocppj.errors import ACCEPTED_SPELLINGS, ErrorKind
from evharness.ocppj.frames import (
    MAX_MESSAGE_ID_LENGTH,
    Call,
    CallError,
    CallResult,
    CallResultError,
    FrameError,
    Payload,
    UnknownMessageType,
    decode,
)
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Status
from evharness.redaction import redact


class Side(StrEnum):
    STATION = "station"  # the harness, playing the Charging Station
    CSMS = "csms"  # the system under test


@dataclass(frozen=True, slots=True)
class Frame:
    sender: Side
    text: str
    at: float  # real epoch seconds

    def line(self, start: float) -> str:
        arrow = "station → CSMS" if self.sender is Side.STATION else "CSMS → station"
        return f"{self.at - start:9.3f}s  {arrow}  {redact(self.text)}"  # a frame log: PINs masked


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    detail: str
    frame: int | None = None  # index in the log
    warning: bool = False  # reported, but does not fail the case (e.g. a tolerated spelling)

    def __str__(self) -> str:
        where = f" (frame {self.frame})" if self.frame is not None else ""
        return f"{'warning ' if self.warning else ''}[{self.rule}]{where} {self.detail}"


# The 2.0.1 spellings a 1.6 CSMS built on a 2.0.1-minded library sends (mobilityhouse/ocpp#381): wrong
# for 1.6 (errata §5.1/5.2 keep the typos), but tolerated as an interoperability warning on request.
INTEROP_SPELLINGS: dict[OcppVersion, dict[str, str]] = {
    OcppVersion.V16: {
        "FormatViolation": "FormationViolation",
        "OccurrenceConstraintViolation": "OccurenceConstraintViolation",
    },
}


def _code_violation(
    version: OcppVersion, code: str, detail: str, tolerate: bool, index: int | None
) -> Violation:
    proper = INTEROP_SPELLINGS.get(version, {}).get(code)
    if proper is not None:
        return Violation(
            "error-code", f"{detail}; OCPP {version.value} spells it {proper!r}", index, warning=tolerate
        )
    return Violation("error-code", detail, index)


RULES: dict[str, str] = {
    "frame": "every frame is a JSON array of a known message type (OCPP-J §4.1)",
    "message-id": "messageIds are strings of at most 36 characters, unique per sender (§4.1.4)",
    "schema": "every payload the CSMS sends validates against the official schema (§4.1.7)",
    "error-code": "a CALLERROR uses an error code of the negotiated version (§4.2)",
    "error-shape": "errorDescription ≤ 255 characters, errorDetails an object (§4.1.3)",
    "one-call": "at most one CALL outstanding per direction (§4.1.1)",
    "answer": "every answer matches an outstanding CALL of the other side (§4.1.4)",
    "timeout": "the CSMS answers each CALL of the station within the response timeout (§4.4)",
    "unanswered": "the CSMS answered every CALL of the station",
    "order": "the messages come in the order the test case describes",
    "content": "the messages carry what the test case describes",
    "subprotocol": "the WebSocket subprotocol negotiation follows OCPP-J §3.2",
    "broken-answer": "a malformed CALLRESULT / CALLERROR is left unanswered, the connection lives on (§4.2)",
}


def render(frames: Sequence[Frame]) -> str:
    """The frame log as text, times relative to the first frame."""
    if not frames:
        return "(no frames)"
    start = frames[0].at
    return "\n".join(f"{index:3d} {frame.line(start)}" for index, frame in enumerate(frames))


@dataclass
class _Outstanding:
    action: str
    at: float


def check_exchange(
    version: OcppVersion,
    frames: Sequence[Frame],
    *,
    response_timeout: float = 30.0,
    allow_unanswered_at_end: bool = False,
    tolerate_spellings: bool = False,
) -> list[Violation]:
    """Every wire rule of `RULES` on one connection's log (frames of one scenario, in order)."""
    violations: list[Violation] = []
    outstanding: dict[Side, dict[str, _Outstanding]] = {Side.STATION: {}, Side.CSMS: {}}
    used_ids: set[str] = set()
    tolerated: set[str] = set()  # ids of station frames of unknown type: a CALLERROR may answer them
    codes = frozenset().union(*ACCEPTED_SPELLINGS[version].values())

    def fail(rule: str, detail: str, index: int) -> None:
        violations.append(Violation(rule, detail, index))

    for index, frame in enumerate(frames):
        other = Side.CSMS if frame.sender is Side.STATION else Side.STATION
        try:
            decoded = decode(frame.text, version)
        except UnknownMessageType as exc:
            if frame.sender is Side.STATION:
                tolerated.add(exc.message_id)
            elif frame.sender is Side.CSMS:
                fail("frame", f"the CSMS sent a frame of unknown type: {exc}", index)
            continue
        except FrameError as exc:
            if frame.sender is Side.CSMS:
                fail("frame", f"the CSMS sent a malformed frame: {exc}", index)
            continue
        match decoded:
            case Call(message_id, action, payload):
                if frame.sender is Side.CSMS:
                    _check_csms_call(version, message_id, action, payload, used_ids, outstanding, index, fail)
                elif outstanding[Side.STATION]:
                    pass  # the harness itself keeps to one CALL; nothing to judge about the CSMS
                outstanding[frame.sender][message_id] = _Outstanding(action, frame.at)
            case CallResult(message_id, payload):
                call = outstanding[other].pop(message_id, None)
                if frame.sender is not Side.CSMS:
                    continue
                if call is None:
                    fail("answer", f"CALLRESULT {message_id!r} answers no CALL of the station", index)
                    continue
                _check_timing(call, frame, response_timeout, index, fail)
                _check_payload(version, call.action, payload, True, index, fail)
            case CallError(message_id, code, description, _):
                call = outstanding[other].pop(message_id, None)
                if frame.sender is not Side.CSMS:
                    continue
                if call is None and message_id != "-1" and message_id not in tolerated:
                    fail("answer", f"CALLERROR {message_id!r} answers no CALL of the station", index)
                if call is not None:
                    _check_timing(call, frame, response_timeout, index, fail)
                if code not in codes:
                    detail = f"{code!r} is no OCPP {version.value} error code"
                    violations.append(_code_violation(version, code, detail, tolerate_spellings, index))
                if len(description) > 255:
                    fail("error-shape", f"errorDescription has {len(description)} characters", index)
            case _:
                pass
    if not allow_unanswered_at_end:
        for message_id, call in outstanding[Side.STATION].items():
            violations.append(Violation("unanswered", f"{call.action} {message_id!r} got no answer"))
    return violations


def _check_csms_call(
    version: OcppVersion,
    message_id: str,
    action: str,
    payload: Payload,
    used_ids: set[str],
    outstanding: dict[Side, dict[str, _Outstanding]],
    index: int,
    fail: Callable[[str, str, int], None],
) -> None:
    if len(message_id) > MAX_MESSAGE_ID_LENGTH:
        fail("message-id", f"messageId of {len(message_id)} characters", index)
    if message_id in used_ids:
        fail("message-id", f"messageId {message_id!r} used twice by the CSMS", index)
    used_ids.add(message_id)
    if outstanding[Side.CSMS]:
        pending = ", ".join(f"{c.action} {i!r}" for i, c in outstanding[Side.CSMS].items())
        fail("one-call", f"the CSMS sent {action} while its {pending} was unanswered", index)
    _check_payload(version, action, payload, False, index, fail)


def _check_payload(
    version: OcppVersion,
    action: str,
    payload: Payload,
    response: bool,
    index: int,
    fail: Callable[[str, str, int], None],
) -> None:
    validate = schemas.validator(version, action, response)
    what = f"{action} {'response' if response else 'request'}"
    if validate is None:
        fail("schema", f"OCPP {version.value} has no action {action!r}", index)
        return
    problem = schemas.check(validate, payload)
    if problem is not None:
        fail("schema", f"{what}: {problem.description} (field {problem.field})", index)
    for path in _nulls(payload):
        fail("schema", f"{what}: {path} is null; an absent optional field is omitted", index)


def _check_timing(
    call: _Outstanding, frame: Frame, timeout: float, index: int, fail: Callable[[str, str, int], None]
) -> None:
    took = frame.at - call.at
    if took > timeout:
        fail("timeout", f"the answer to {call.action} took {took:.1f} s (limit {timeout:g} s)", index)


def _nulls(node: Any, path: str = "payload") -> Iterable[str]:
    if node is None:
        yield path
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _nulls(value, f"{path}.{key}")
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from _nulls(value, f"{path}[{position}]")


# -- what a test case checks on top -----------------------------------------------------------------


def status_of(payload: Payload) -> str | None:
    """The authorization (or plain) status a response carries: idTagInfo, idTokenInfo or status."""
    for info in ("idTagInfo", "idTokenInfo"):
        if isinstance(payload.get(info), dict):
            status = payload[info].get("status")
            return status if isinstance(status, str) else None
    status = payload.get("status")
    return status if isinstance(status, str) else None


def check_status(action: str, payload: Payload | None, accepted: Iterable[str]) -> Violation | None:
    """The OCTT's accepted set (CATALOG §3.1): e.g. TC_C_06 takes Blocked or Invalid."""
    allowed = sorted(set(accepted))
    if payload is None:
        return Violation("content", f"no {action} response arrived; expected status {' or '.join(allowed)}")
    status = status_of(payload)
    if status not in allowed:
        return Violation("content", f"{action} status {status!r}; expected {' or '.join(allowed)}")
    return None


def calls_sent(frames: Sequence[Frame], version: OcppVersion, sender: Side) -> list[tuple[str, Payload]]:
    """The (action, payload) of every CALL one side sent, in order."""
    found: list[tuple[str, Payload]] = []
    for frame in frames:
        if frame.sender is not sender:
            continue
        try:
            decoded = decode(frame.text, version)
        except FrameError:
            continue
        if isinstance(decoded, Call):
            found.append((decoded.action, decoded.payload))
    return found


def check_order(
    frames: Sequence[Frame], version: OcppVersion, sender: Side, expected: Sequence[str]
) -> Violation | None:
    """`expected` actions appear among `sender`'s CALLs in this order (others may come between)."""
    actions = [action for action, _ in calls_sent(frames, version, sender)]
    position = 0
    for action in actions:
        if position < len(expected) and action == expected[position]:
            position += 1
    if position == len(expected):
        return None
    sent = " → ".join(actions) or "nothing"
    return Violation("order", f"expected the {sender.value} to send {' → '.join(expected)}; it sent {sent}")


def field(payload: Payload, path: str) -> Any:
    """`a.b.0.c` inside a payload (a number indexes a list); a missing step gives None."""
    node: Any = payload
    for step in path.split("."):
        if isinstance(node, list) and step.isdigit():
            node = node[int(step)] if int(step) < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
    return node


# Local authorization list rules (CATALOG §3.4): name → (description, predicate on the request).
LocalListRule = Callable[[OcppVersion, Payload, int], bool]


def _entries(version: OcppVersion, payload: Payload) -> list[Payload]:
    entries = payload.get("localAuthorizationList", [])
    return entries if isinstance(entries, list) else []


def _info_key(version: OcppVersion) -> str:
    return "idTagInfo" if version is OcppVersion.V16 else "idTokenInfo"


def _token_key(entry: Payload) -> str:
    """1.6 idTag, or 2.0.1 idToken value and type; idTokens are case-insensitive (CiString)."""
    token = entry.get("idToken")
    if isinstance(token, dict):
        return f"{str(token.get('idToken', '')).upper()}/{token.get('type')}"
    return str(entry.get("idTag", "")).upper()


def _version_of(version: OcppVersion, payload: Payload) -> int:
    value = payload.get("listVersion" if version is OcppVersion.V16 else "versionNumber", 0)
    return value if isinstance(value, int) else 0


LOCAL_LIST_RULES: dict[str, tuple[str, LocalListRule]] = {
    "full": ("updateType is Full", lambda v, p, current: p.get("updateType") == "Full"),
    "differential": (
        "updateType is Differential",
        lambda v, p, current: p.get("updateType") == "Differential",
    ),
    "positive version": ("the version number is greater than 0", lambda v, p, c: _version_of(v, p) > 0),
    "newer version": (
        "the version number is greater than the station's current one",
        lambda v, p, current: _version_of(v, p) > current,
    ),
    "not empty": ("the list is not empty", lambda v, p, current: bool(_entries(v, p))),
    "empty": (
        "the list is empty (2.0.1: the field omitted, minItems 1)",
        lambda v, p, current: not _entries(v, p),
    ),
    "every entry has info": (
        "every entry carries idTagInfo / idTokenInfo",
        lambda v, p, current: all(_info_key(v) in entry for entry in _entries(v, p)),
    ),
    "removals only": (
        "every entry lacks idTagInfo / idTokenInfo (a removal)",
        lambda v, p, current: all(_info_key(v) not in entry for entry in _entries(v, p)),
    ),
    "unique tokens": (
        "every token appears once",
        lambda v, p, current: (
            len({str(e.get("idTag", e.get("idToken"))).upper() for e in _entries(v, p)})
            == len(_entries(v, p))
        ),
    ),
}


def check_local_list(
    version: OcppVersion, payload: Payload, rules: Iterable[str], current_version: int = 0
) -> list[Violation]:
    broken: list[Violation] = []
    for name in rules:
        description, holds = LOCAL_LIST_RULES[name]
        if not holds(version, payload, current_version):
            broken.append(Violation("content", f"SendLocalList: expected {description}"))
    return broken


# -- the WebSocket handshake (OCPP-J §3.2; TC_088_CSMS, TC_B_58_CSMS) ------------------------------


@dataclass(frozen=True, slots=True)
class Handshake:
    """What came back to an upgrade request."""

    offered: tuple[str, ...]
    status: int | None  # HTTP status; None if the connection failed before one arrived
    subprotocol: str | None  # the Sec-WebSocket-Protocol response header
    closed_after: float | None  # seconds until the CSMS closed an upgraded socket; None: kept open


def describe(handshake: Handshake) -> str:
    """One line of the case log for an upgrade request and what came back."""
    if handshake.status is None:
        answer = "no HTTP answer (the connection failed)"
    elif handshake.status != 101:
        answer = f"HTTP {handshake.status}: refused"
    elif handshake.closed_after is not None:
        closed = handshake.closed_after
        answer = f"HTTP 101 ({handshake.subprotocol}), closed by the CSMS after {closed:.2f} s"
    else:
        answer = f"HTTP 101 ({handshake.subprotocol}), kept open"
    return f"upgrade offering {', '.join(handshake.offered)} → {answer}"


def _server_error(handshake: Handshake) -> Violation | None:
    """A 5xx is the CSMS failing, not refusing: it proves nothing about what the case sent."""
    if handshake.status is not None and handshake.status >= 500:
        return Violation("refusal", f"HTTP {handshake.status} is a server error, not a refusal")
    return None


def check_refusal(handshake: Handshake, patience: float = 2.0) -> Violation | None:
    """No acceptable protocol offered: a 4xx refusal, or 101 without the header then a close."""
    if handshake.status != 101:
        return _server_error(handshake)
    if handshake.subprotocol:
        return Violation(
            "subprotocol",
            f"offered {', '.join(handshake.offered)}; the CSMS upgraded with {handshake.subprotocol!r}",
        )
    if handshake.closed_after is None or handshake.closed_after > patience:
        return Violation("subprotocol", "101 without a subprotocol, but the CSMS kept the socket open")
    return None


def check_credentials_refused(handshake: Handshake, patience: float = 2.0) -> Violation | None:
    """Wrong Basic credentials (TC_A_02/03, A00.FR.204): HTTP 401, or an upgrade the CSMS closes at once.
    A 5xx, another 4xx, no HTTP answer or a socket kept open is not the refusal the case expects."""
    if handshake.status == 401:
        return None
    if handshake.status == 101:
        if handshake.closed_after is not None and handshake.closed_after <= patience:
            return None
        return Violation("refusal", "the CSMS accepted the connection with wrong Basic credentials")
    if handshake.status is None:
        return Violation("refusal", "no HTTP answer to the upgrade; expected HTTP 401 Unauthorized")
    return _server_error(handshake) or Violation(
        "refusal", f"HTTP {handshake.status}; expected HTTP 401 Unauthorized for wrong Basic credentials"
    )


def check_choice(handshake: Handshake, expected: str) -> Violation | None:
    """A multi-protocol offer: 101 echoing the one protocol the CSMS speaks among those offered."""
    if handshake.status != 101:
        return Violation("subprotocol", f"offered {', '.join(handshake.offered)}; HTTP {handshake.status}")
    if handshake.subprotocol != expected:
        return Violation(
            "subprotocol", f"expected Sec-WebSocket-Protocol {expected}, got {handshake.subprotocol!r}"
        )
    return None


# -- provoked errors (CATALOG §4.2, §4.3) -----------------------------------------------------------

# The codes a CSMS may choose for a CALL whose payload breaks the schema: any payload-error code of
# the negotiated version (the OCTT checks none in particular), in that version's spelling.
PAYLOAD_ERROR_KINDS: tuple[ErrorKind, ...] = (
    ErrorKind.FORMAT,
    ErrorKind.PROPERTY_CONSTRAINT,
    ErrorKind.OCCURRENCE_CONSTRAINT,
    ErrorKind.TYPE_CONSTRAINT,
    ErrorKind.PROTOCOL,
    ErrorKind.GENERIC,
)

# What answers a provocation: name → error kinds accepted (empty: only silence is allowed too).
PROVOKED: dict[str, tuple[ErrorKind, ...]] = {
    "bad payload": PAYLOAD_ERROR_KINDS,
    "unknown action": (ErrorKind.NOT_IMPLEMENTED,),
    "unknown message type": (ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED,),
}


def accepted_codes(version: OcppVersion, provocation: str) -> frozenset[str]:
    spellings = ACCEPTED_SPELLINGS[version]
    return frozenset().union(*(spellings[kind] for kind in PROVOKED[provocation]))


def check_provoked_error(
    version: OcppVersion,
    provocation: str,
    answer: CallError | None,
    silence_allowed: bool = False,
    tolerate_spellings: bool = False,
) -> Violation | None:
    """A provocation got a CALLERROR code of the negotiated version (or, where allowed, no answer)."""
    allowed = sorted(accepted_codes(version, provocation))
    if answer is None:
        if silence_allowed:
            return None
        return Violation("error-code", f"{provocation}: no CALLERROR arrived; expected one of {allowed}")
    if answer.code not in allowed:
        detail = f"{provocation}: CALLERROR {answer.code!r}; OCPP {version.value} wants one of {allowed}"
        return _code_violation(version, answer.code, detail, tolerate_spellings, None)
    return None


# -- answers to no CALL (OCPP-J §4.2: a CALLERROR answers only a CALL) ------------------------------


def broken_answers(prefix: str) -> list[str]:
    """Frames the station sends as if answering, though the CSMS has no CALL outstanding: each is
    malformed or answers nothing, so the CSMS must drop it; none may get a CALLERROR back. All are
    valid JSON with a readable MessageTypeId: text that is no JSON at all may get a CALLERROR "-1"
    (OCPP-J 2.0.1 §4.2.3), since nobody can tell what it was meant to be."""
    return [
        json.dumps([3, f"{prefix}-1", {}]),  # a CALLRESULT for an unknown messageId
        json.dumps([4, f"{prefix}-2", "GenericError", "", {}]),  # a CALLERROR for an unknown messageId
        json.dumps([3, f"{prefix}-3"]),  # a CALLRESULT array without its payload
        json.dumps([3, f"{prefix}-4", Status.ACCEPTED]),  # a CALLRESULT whose payload is no object
        json.dumps([4, f"{prefix}-5", "GenericError"]),  # a CALLERROR array broken off after the code
    ]


def check_broken_answers_ignored(
    version: OcppVersion, frames: Sequence[Frame], start: int, heartbeat: Payload | None
) -> list[Violation]:
    """From `frames[start]` on (the station's `broken_answers`, then a Heartbeat): the CSMS answered
    only the station's CALLs, and answered the Heartbeat (`heartbeat`: its payload, None if none)."""
    violations: list[Violation] = []
    calls: set[str] = set()
    for index in range(start, len(frames)):
        frame = frames[index]
        try:
            decoded = decode(frame.text, version)
        except FrameError:
            continue
        if frame.sender is Side.STATION:
            if isinstance(decoded, Call):
                calls.add(decoded.message_id)
        elif (
            isinstance(decoded, CallResult | CallError | CallResultError) and decoded.message_id not in calls
        ):
            detail = f"the CSMS answered a malformed answer of the station: {redact(frame.text)[:200]}"
            violations.append(Violation("broken-answer", detail, index))
    if heartbeat is None:
        violations.append(
            Violation("broken-answer", "after the malformed answers the CSMS left the Heartbeat unanswered")
        )
    return violations
