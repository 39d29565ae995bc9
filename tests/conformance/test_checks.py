"""The wire checkers on recorded exchanges: each bad exchange must fail, its good twin must pass."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evharness.conformance import checks
from evharness.conformance.checks import Frame, Handshake, Side
from evharness.ocppj.frames import CallError
from evharness.ocppj.versions import OcppVersion

V16, V201 = OcppVersion.V16, OcppVersion.V201
S, C = Side.STATION, Side.CSMS
BOOT_16 = {"chargePointVendor": "v", "chargePointModel": "m"}
BOOT_OK = {"status": "Accepted", "currentTime": "2026-01-01T00:00:00Z", "interval": 300}


def log(*frames: tuple[Side, list[Any], float]) -> list[Frame]:
    return [Frame(side, json.dumps(body), at) for side, body, at in frames]


GOOD_BOOT = log((S, [2, "1", "BootNotification", BOOT_16], 0.0), (C, [3, "1", BOOT_OK], 0.1))


def rules(violations: list[checks.Violation]) -> list[str]:
    return [v.rule for v in violations]


def test_a_good_exchange_passes() -> None:
    reset = log((C, [2, "c1", "Reset", {"type": "Hard"}], 0.2), (S, [3, "c1", {"status": "Accepted"}], 0.3))
    assert checks.check_exchange(V16, GOOD_BOOT + reset) == []


BAD_EXCHANGES: list[tuple[str, OcppVersion, list[Frame], str]] = [
    (
        "a response that breaks its schema (interval is a string)",
        V16,
        log(
            (S, [2, "1", "BootNotification", BOOT_16], 0), (C, [3, "1", {**BOOT_OK, "interval": "300"}], 0.1)
        ),
        "schema",
    ),
    (
        "a response missing a required field",
        V16,
        log((S, [2, "1", "Authorize", {"idTag": "AB"}], 0), (C, [3, "1", {}], 0.1)),
        "schema",
    ),
    (
        "a CSMS CALL with an unknown enum value",
        V16,
        log((C, [2, "c1", "Reset", {"type": "Sideways"}], 0), (S, [3, "c1", {"status": "Accepted"}], 0.1)),
        "schema",
    ),
    (
        "a null for an absent optional field",
        V201,
        log(
            (S, [2, "1", "Authorize", {"idToken": {"idToken": "AB", "type": "ISO14443"}}], 0),
            (C, [3, "1", {"idTokenInfo": {"status": "Accepted", "groupIdToken": None}}], 0.1),
        ),
        "schema",
    ),
    (
        "the 2.0.1 spelling FormatViolation on 1.6",
        V16,
        log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", "FormatViolation", "", {}], 0.1)),
        "error-code",
    ),
    (
        "the 1.6 spelling FormationViolation on 2.0.1",
        V201,
        log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", "FormationViolation", "", {}], 0.1)),
        "error-code",
    ),
    (
        "an error code of no version",
        V201,
        log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", "Oops", "", {}], 0.1)),
        "error-code",
    ),
    (
        "an errorDescription over 255 characters",
        V201,
        log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", "GenericError", "x" * 256, {}], 0.1)),
        "error-shape",
    ),
    (
        "a second CSMS CALL while the first is unanswered",
        V16,
        log(
            (C, [2, "c1", "ClearCache", {}], 0),
            (C, [2, "c2", "Reset", {"type": "Soft"}], 0.1),
            (S, [3, "c1", {"status": "Accepted"}], 0.2),
            (S, [3, "c2", {"status": "Accepted"}], 0.3),
        ),
        "one-call",
    ),
    (
        "a messageId used twice by the CSMS",
        V16,
        log(
            (C, [2, "c1", "ClearCache", {}], 0),
            (S, [3, "c1", {"status": "Accepted"}], 0.1),
            (C, [2, "c1", "ClearCache", {}], 0.2),
            (S, [3, "c1", {"status": "Accepted"}], 0.3),
        ),
        "message-id",
    ),
    (
        "a messageId longer than 36 characters (no valid frame: §4.1.4)",
        V201,
        log((C, [2, "x" * 37, "ClearCache", {}], 0), (S, [3, "x" * 37, {"status": "Accepted"}], 0.1)),
        "frame",
    ),
    (
        "an answer to no CALL",
        V16,
        GOOD_BOOT + log((C, [3, "nope", {}], 0.5)),
        "answer",
    ),
    (
        "an answer later than the response timeout",
        V16,
        log((S, [2, "1", "BootNotification", BOOT_16], 0), (C, [3, "1", BOOT_OK], 31.0)),
        "timeout",
    ),
    (
        "a CALL of the station never answered",
        V16,
        log((S, [2, "1", "Heartbeat", {}], 0)),
        "unanswered",
    ),
    (
        "a frame that is not JSON",
        V16,
        [*GOOD_BOOT, Frame(C, "[3, 'single quotes']", 0.5)],
        "frame",
    ),
]


@pytest.mark.parametrize(
    ("version", "frames", "rule"), [case[1:] for case in BAD_EXCHANGES], ids=[c[0] for c in BAD_EXCHANGES]
)
def test_each_bad_exchange_fails_with_its_rule(version: OcppVersion, frames: list[Frame], rule: str) -> None:
    found = checks.check_exchange(version, frames)
    assert rule in rules(found), f"expected a {rule!r} violation, got {found}"
    assert rule in checks.RULES


@pytest.mark.parametrize("spelling", ["OccurrenceConstraintViolation", "OccurenceConstraintViolation"])
def test_2_0_1_accepts_both_occurrence_spellings(spelling: str) -> None:
    frames = log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", spelling, "", {}], 0.1))
    assert checks.check_exchange(V201, frames) == []


def test_1_6_takes_only_its_own_spellings() -> None:
    good = log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", "OccurenceConstraintViolation", "", {}], 0.1))
    bad = log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", "OccurrenceConstraintViolation", "", {}], 0.1))
    assert checks.check_exchange(V16, good) == []
    assert rules(checks.check_exchange(V16, bad)) == ["error-code"]


def test_crossing_calls_are_allowed() -> None:
    """The CSMS may send its CALL while the station's is pending (CATALOG §4.4 b)."""
    frames = log(
        (S, [2, "1", "Heartbeat", {}], 0),
        (C, [2, "c1", "ClearCache", {}], 0.1),
        (S, [3, "c1", {"status": "Accepted"}], 0.2),
        (C, [3, "1", {"currentTime": "2026-01-01T00:00:00Z"}], 0.3),
    )
    assert checks.check_exchange(V16, frames) == []


def test_the_order_check_fails_on_the_wrong_order() -> None:
    frames = log(
        (C, [2, "c1", "SendLocalList", {"listVersion": 2, "updateType": "Full"}], 0),
        (S, [3, "c1", {"status": "Accepted"}], 0.1),
        (C, [2, "c2", "GetLocalListVersion", {}], 0.2),
        (S, [3, "c2", {"listVersion": 2}], 0.3),
    )
    assert checks.check_order(frames, V16, C, ["SendLocalList", "GetLocalListVersion"]) is None
    violation = checks.check_order(frames, V16, C, ["GetLocalListVersion", "SendLocalList"])
    assert violation is not None
    assert "SendLocalList → GetLocalListVersion" in violation.detail


@pytest.mark.parametrize(
    ("statuses", "answer", "passes"),
    [
        (["Invalid", "Unknown"], {"idTokenInfo": {"status": "Unknown"}}, True),  # TC_C_02
        (["Invalid", "Unknown"], {"idTokenInfo": {"status": "Accepted"}}, False),
        (["Blocked", "Invalid"], {"idTokenInfo": {"status": "Invalid"}}, True),  # TC_C_06
        (["Expired"], {"idTagInfo": {"status": "Invalid"}}, False),  # 1.6 TC_023_2 wants exactly Expired
        (["Accepted"], {"status": "Accepted"}, True),
        (["Accepted"], None, False),
    ],
)
def test_status_sets(statuses: list[str], answer: dict[str, Any] | None, passes: bool) -> None:
    assert (checks.check_status("Authorize", answer, statuses) is None) is passes


@pytest.mark.parametrize(
    ("version", "payload", "rules_", "current", "passes"),
    [
        (V16, {"listVersion": 1, "updateType": "Full", "localAuthorizationList": [{"idTag": "A"}]},
         ["full", "every entry has info"], 0, False),
        (V16, {"listVersion": 1, "updateType": "Full",
               "localAuthorizationList": [{"idTag": "A", "idTagInfo": {"status": "Accepted"}}]},
         ["full", "positive version", "every entry has info"], 0, True),
        (V16, {"listVersion": 3, "updateType": "Differential", "localAuthorizationList": [{"idTag": "A"}]},
         ["differential", "newer version"], 3, False),
        (V201, {"versionNumber": 0, "updateType": "Full"}, ["positive version"], 0, False),
        (V201, {"versionNumber": 2, "updateType": "Full", "localAuthorizationList": []}, ["empty"], 0, True),
        (V201, {"versionNumber": 5, "updateType": "Differential",
                "localAuthorizationList": [{"idToken": {"idToken": "A", "type": "ISO14443"}}]},
         ["differential", "removals only", "newer version"], 4, True),
        (V201, {"versionNumber": 5, "updateType": "Full", "localAuthorizationList": [
            {"idToken": {"idToken": "a", "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}},
            {"idToken": {"idToken": "A", "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}}]},
         ["unique tokens"], 0, False),  # the same card twice, in two cases
        (V201, {"versionNumber": 5, "updateType": "Full", "localAuthorizationList": [
            {"idToken": {"idToken": "1234", "type": "KeyCode"}, "idTokenInfo": {"status": "Accepted"}},
            {"idToken": {"idToken": "1234", "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}}]},
         ["unique tokens"], 0, True),  # same value, different type: two tokens
        (V16, {"listVersion": 5, "updateType": "Full", "localAuthorizationList": [
            {"idTag": "ab", "idTagInfo": {"status": "Accepted"}},
            {"idTag": "AB", "idTagInfo": {"status": "Accepted"}}]},
         ["unique tokens"], 0, False),  # idTags are case-insensitive
    ],
)  # fmt: skip
def test_local_list_rules(
    version: OcppVersion, payload: dict[str, Any], rules_: list[str], current: int, passes: bool
) -> None:
    assert (checks.check_local_list(version, payload, rules_, current) == []) is passes


@pytest.mark.parametrize(
    ("handshake", "passes"),
    [
        (Handshake(("ocpp0.1",), 400, None, None), True),  # refused before the upgrade
        (Handshake(("ocpp0.1",), 101, None, 0.01), True),  # upgraded without the header, then closed
        (Handshake(("ocpp0.1",), 101, None, None), False),  # upgraded and kept open
        (Handshake(("ocpp0.1",), 101, "ocpp0.1", 0.01), False),  # agreed to a protocol it cannot speak
    ],
)
def test_refusing_an_unknown_subprotocol(handshake: Handshake, passes: bool) -> None:
    assert (checks.check_refusal(handshake) is None) is passes


@pytest.mark.parametrize(
    ("handshake", "passes"),
    [
        (Handshake(("ocpp0.1", "ocpp1.6"), 101, "ocpp1.6", None), True),
        (Handshake(("ocpp0.1", "ocpp1.6"), 101, None, None), False),
        (Handshake(("ocpp0.1", "ocpp1.6"), 400, None, None), False),
    ],
)
def test_choosing_the_offered_subprotocol(handshake: Handshake, passes: bool) -> None:
    assert (checks.check_choice(handshake, "ocpp1.6") is None) is passes


def test_the_log_renders_relative_times() -> None:
    text = checks.render(GOOD_BOOT)
    assert "0.000s  station → CSMS" in text
    assert "0.100s  CSMS → station" in text


@pytest.mark.parametrize(
    ("version", "provocation", "code", "passes"),
    [
        (V16, "bad payload", "FormationViolation", True),
        (V16, "bad payload", "OccurenceConstraintViolation", True),
        (V16, "bad payload", "FormatViolation", False),  # the 2.0.1 spelling on 1.6
        (V16, "bad payload", "OccurrenceConstraintViolation", False),
        (V201, "bad payload", "FormatViolation", True),
        (V201, "bad payload", "OccurrenceConstraintViolation", True),
        (V201, "bad payload", "OccurenceConstraintViolation", True),  # both spellings on 2.0.1
        (V201, "bad payload", "FormationViolation", False),
        (V201, "bad payload", "NotImplemented", False),
        (V16, "unknown action", "NotImplemented", True),
        (V16, "unknown action", "NotSupported", False),
        (V201, "unknown message type", "MessageTypeNotSupported", True),
        (V201, "unknown message type", "RpcFrameworkError", False),
    ],
)
def test_provoked_error_codes(version: OcppVersion, provocation: str, code: str, passes: bool) -> None:
    answer = CallError("x", code, "", {})
    assert (checks.check_provoked_error(version, provocation, answer) is None) is passes


def test_silence_is_accepted_only_where_allowed() -> None:
    assert checks.check_provoked_error(V201, "unknown message type", None, silence_allowed=True) is None
    assert checks.check_provoked_error(V16, "bad payload", None) is not None


def test_a_callerror_may_answer_a_frame_of_unknown_type() -> None:
    frames = log((S, [7, "u1", "Heartbeat", {}], 0), (C, [4, "u1", "MessageTypeNotSupported", "", {}], 0.1))
    assert checks.check_exchange(V201, frames) == []
    stray = log((C, [4, "u2", "MessageTypeNotSupported", "", {}], 0.1))
    assert rules(checks.check_exchange(V201, stray)) == ["answer"]


@pytest.mark.parametrize("code", ["FormatViolation", "OccurrenceConstraintViolation"])
def test_1_6_can_tolerate_the_2_0_1_spellings_as_warnings(code: str) -> None:
    frames = log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", code, "", {}], 0.1))
    (strict,) = checks.check_exchange(V16, frames)
    assert not strict.warning
    (tolerated,) = checks.check_exchange(V16, frames, tolerate_spellings=True)
    assert tolerated.warning
    assert "spells it" in tolerated.detail
    answer = CallError("x", code, "", {})
    provoked = checks.check_provoked_error(V16, "bad payload", answer, tolerate_spellings=True)
    assert provoked is not None
    assert provoked.warning


def test_other_wrong_codes_are_never_tolerated() -> None:
    frames = log((S, [2, "1", "Heartbeat", {}], 0), (C, [4, "1", "Oops", "", {}], 0.1))
    (violation,) = checks.check_exchange(V16, frames, tolerate_spellings=True)
    assert not violation.warning


# -- malformed answers of the station: the CSMS must leave them unanswered -----------------------------

BROKEN = [Frame(S, text, 1.0) for text in checks.broken_answers("b")]
HEARTBEAT = log(
    (S, [2, "h1", "Heartbeat", {}], 1.1), (C, [3, "h1", {"currentTime": "2026-01-01T00:00:00Z"}], 1.2)
)
NOW = {"currentTime": "2026-01-01T00:00:00Z"}


@pytest.mark.parametrize("version", [V16, V201, OcppVersion.V21])
def test_ignoring_the_malformed_answers_and_answering_the_heartbeat_passes(version: OcppVersion) -> None:
    frames = GOOD_BOOT + BROKEN + HEARTBEAT
    assert checks.check_broken_answers_ignored(version, frames, len(GOOD_BOOT), NOW) == []
    assert checks.check_exchange(version, frames) == []


@pytest.mark.parametrize(
    "answer",
    [
        [4, "b-1", "ProtocolError", "unknown messageId", {}],
        [4, "b-3", "FormatViolation", "", {}],
        [4, "-1", "GenericError", "", {}],
        [3, "b-2", {}],
    ],
)
def test_answering_a_malformed_answer_fails(answer: list[Any]) -> None:
    frames = GOOD_BOOT + BROKEN + log((C, answer, 1.05)) + HEARTBEAT
    violations = checks.check_broken_answers_ignored(V201, frames, len(GOOD_BOOT), NOW)
    assert rules(violations) == ["broken-answer"]
    assert violations[0].frame == len(GOOD_BOOT) + len(BROKEN)
    assert "answered a malformed answer" in violations[0].detail


def test_a_callresulterror_for_a_stray_callresult_fails_on_2_1() -> None:
    frames = BROKEN + log((C, [5, "b-1", "FormatViolation", "", {}], 1.05)) + HEARTBEAT
    assert rules(checks.check_broken_answers_ignored(OcppVersion.V21, frames, 0, NOW)) == ["broken-answer"]


def test_an_unanswered_heartbeat_after_the_malformed_answers_fails() -> None:
    frames = BROKEN + HEARTBEAT[:1]
    violations = checks.check_broken_answers_ignored(V16, frames, 0, None)
    assert rules(violations) == ["broken-answer"]
    assert "left the Heartbeat unanswered" in violations[0].detail


def test_the_broken_answers_are_answers_to_nothing_not_calls() -> None:
    kinds = [json.loads(frame.text)[0] for frame in BROKEN]
    assert set(kinds) == {3, 4}


@pytest.mark.parametrize(
    ("status", "closed_after", "refused"),
    [
        (401, None, True),
        (101, 0.2, True),  # upgraded, then closed at once: the close the spec allows
        (101, None, False),  # kept open: the wrong credentials got in
        (500, None, False),  # a server error is no refusal of the credentials
        (503, None, False),
        (403, None, False),  # not the 401 Unauthorized of A00.FR.204
        (None, None, False),  # no HTTP answer at all
    ],
)
def test_wrong_credentials_must_get_a_401_or_a_close(
    status: int | None, closed_after: float | None, refused: bool
) -> None:
    handshake = checks.Handshake(("ocpp2.0.1",), status, "ocpp2.0.1" if status == 101 else None, closed_after)
    assert (checks.check_credentials_refused(handshake, patience=1.0) is None) is refused
    assert str(status) in checks.describe(handshake) or status is None


def test_a_server_error_is_no_subprotocol_refusal() -> None:
    assert checks.check_refusal(checks.Handshake(("ocpp0.1",), 400, None, None)) is None
    violation = checks.check_refusal(checks.Handshake(("ocpp0.1",), 500, None, None))
    assert violation is not None
    assert "server error" in violation.detail


def test_a_csms_sending_a_pin_with_its_hash_on_2_0_1_is_reported() -> None:
    """Issue 20: an IdToken is an identifierString; a KeyCode `#4821` breaks it, its digits do not."""
    start = {"idToken": {"idToken": "#4821", "type": "KeyCode"}, "remoteStartId": 1}
    answer = {"status": "Accepted"}
    wrong = log((C, [2, "c1", "RequestStartTransaction", start], 0), (S, [3, "c1", answer], 0.1))
    (violation,) = checks.check_exchange(V201, wrong)
    assert violation.rule == "schema"
    assert "identifierString" in violation.detail
    digits = {**start, "idToken": {"idToken": "4821", "type": "KeyCode"}}
    right = log((C, [2, "c1", "RequestStartTransaction", digits], 0), (S, [3, "c1", answer], 0.1))
    assert checks.check_exchange(V201, right) == []
