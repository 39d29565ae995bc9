"""Splitting a list over the station's per-message limits (D01.FR.11) and reading those limits:
whatever the list and the limits, the messages applied in order give exactly the wanted list, none
is over a limit, and the versions grow by one from the update's."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.idtokens import IdType, guess_type_from_idtag
from evharness.ocppj import schemas
from evharness.ocppj.frames import Call, encode
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.local_list import (
    NO_LIMITS,
    Entry,
    MessageLimits,
    Update,
    apply,
    changes,
    full,
    limits_from,
    limits_request,
    recovery,
    request,
    split,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
VERSIONS = st.sampled_from([OcppVersion.V16, OcppVersion.V201])

pins = st.from_regex(r"#[0-9]{4,8}", fullmatch=True)
cards = (
    st.integers(4, 10)
    .filter(lambda n: n in (4, 7, 8, 10))
    .flatmap(lambda n: st.binary(min_size=n, max_size=n).map(lambda b: b.hex().upper()))
)
entry_st = st.builds(
    Entry,
    st.sampled_from(list(IdType)),
    st.sampled_from(["Accepted", "Blocked", "Expired", "Invalid"]),
    st.none() | st.just(NOW + timedelta(days=1)),
)
lists = st.dictionaries(pins | cards, entry_st, max_size=40).map(
    lambda d: {code: replace(e, id_type=guess_type_from_idtag(code)) for code, e in d.items()}
)
limits_st = st.builds(
    MessageLimits,
    items=st.none() | st.integers(1, 12),
    bytes=st.none() | st.integers(150, 2_000),
)


def frame_size(version: OcppVersion, part: Update) -> int:
    """The CALL as the backend sends it, with the longest message id (36 characters)."""
    return len(encode(Call("0" * 36, "SendLocalList", request(version, part))))


def check_parts(
    version: OcppVersion, update: Update, parts: tuple[Update, ...], limits: MessageLimits
) -> None:
    assert parts[0].update_type == update.update_type
    assert all(p.update_type == "Differential" for p in parts[1:])  # D01.FR.11: Full, then Differentials
    assert [p.version for p in parts] == list(range(update.version, update.version + len(parts)))  # D01.FR.19
    assert tuple(item for p in parts for item in p.entries) == update.entries  # nothing lost, nothing twice
    assert all(p.entries for p in parts[1:])  # no empty follow-up message
    validate = schemas.validator(version, "SendLocalList", response=False)
    assert validate is not None
    for part in parts:
        assert schemas.check(validate, request(version, part)) is None
        if limits.items is not None:
            assert len(part.entries) <= limits.items
        if limits.bytes is not None and len(part.entries) > 1:
            assert frame_size(version, part) <= limits.bytes


@given(VERSIONS, lists, limits_st, st.integers(1, 10_000))
def test_a_full_list_split_and_applied_in_order_to_an_empty_list_is_the_list(
    version: OcppVersion, entries: dict[str, Entry], limits: MessageLimits, last: int
) -> None:
    update = full(entries, last)
    parts = split(version, update, limits)
    check_parts(version, update, parts, limits)
    held: dict[str, Entry] = {}
    for part in parts:
        held = apply(held, part)
    assert held == entries


@given(VERSIONS, lists, lists, limits_st)
def test_a_differential_split_and_applied_in_order_gives_the_new_list(
    version: OcppVersion, old: dict[str, Entry], new: dict[str, Entry], limits: MessageLimits
) -> None:
    delta = changes(old, new)
    if not delta:
        return
    update = Update("Differential", 7, delta)
    parts = split(version, update, limits)
    check_parts(version, update, parts, limits)
    held = dict(old)
    for part in parts:
        held = apply(held, part)
    assert held == new


def test_without_limits_everything_goes_in_one_message() -> None:
    entries = {f"#{n:04d}": Entry(IdType.PIN, "Accepted") for n in range(500)}
    (only,) = split(OcppVersion.V201, full(entries, None), NO_LIMITS)
    assert only.update_type == "Full"
    assert len(only.entries) == 500
    assert split(OcppVersion.V201, full({}, None), MessageLimits(items=2)) == (Update("Full", 1, ()),)


def test_five_codes_two_per_message() -> None:
    entries = {f"#{n:04d}": Entry(IdType.PIN, "Accepted") for n in range(5)}
    parts = split(OcppVersion.V16, full(entries, 3), MessageLimits(items=2))
    assert [(p.update_type, p.version, len(p.entries)) for p in parts] == [
        ("Full", 4, 2),
        ("Differential", 5, 2),
        ("Differential", 6, 1),
    ]


def test_the_limits_are_read_from_each_versions_answer() -> None:
    assert limits_request(OcppVersion.V16) == (
        "GetConfiguration",
        {"key": ["LocalAuthListMaxLength", "SendLocalListMaxLength"]},
    )
    answer_16 = {
        "configurationKey": [
            {"key": "SendLocalListMaxLength", "readonly": True, "value": "2"},
            {"key": "LocalAuthListMaxLength", "readonly": True, "value": "100"},
        ]
    }
    assert limits_from(OcppVersion.V16, answer_16) == MessageLimits(items=2, capacity=100)
    action, payload = limits_request(OcppVersion.V201)
    assert action == "GetVariables"
    assert payload == {
        "getVariableData": [
            {"component": {"name": "LocalAuthListCtrlr"}, "variable": {"name": "ItemsPerMessage"}},
            {"component": {"name": "LocalAuthListCtrlr"}, "variable": {"name": "BytesPerMessage"}},
            {"component": {"name": "LocalAuthListCtrlr"}, "variable": {"name": "Enabled"}},
        ]
    }
    answer_201 = {
        "getVariableResult": [
            {
                "attributeStatus": "Accepted",
                "component": {"name": "LocalAuthListCtrlr"},
                "variable": {"name": "ItemsPerMessage"},
                "attributeValue": "3",
            },
            {
                "attributeStatus": "Accepted",
                "component": {"name": "LocalAuthListCtrlr"},
                "variable": {"name": "BytesPerMessage"},
                "attributeValue": "4096",
            },
        ]
    }
    assert limits_from(OcppVersion.V201, answer_201) == MessageLimits(items=3, bytes=4096)


@pytest.mark.parametrize(("value", "enabled"), [("false", False), ("FALSE", False), ("true", True)])
def test_a_2_0_1_station_says_whether_its_list_is_enabled(value: str, enabled: bool) -> None:
    answer = {
        "getVariableResult": [
            {
                "attributeStatus": "Accepted",
                "component": {"name": "LocalAuthListCtrlr"},
                "variable": {"name": "Enabled"},
                "attributeValue": value,
            }
        ]
    }
    assert limits_from(OcppVersion.V201, answer) == MessageLimits(enabled=enabled)


def test_a_list_that_does_not_say_it_is_off_counts_as_enabled() -> None:
    unknown = {
        "getVariableResult": [
            {
                "attributeStatus": "UnknownVariable",
                "component": {"name": "LocalAuthListCtrlr"},
                "variable": {"name": "Enabled"},
            }
        ]
    }
    assert limits_from(OcppVersion.V201, unknown).enabled
    assert limits_from(OcppVersion.V201, None).enabled


def test_a_station_that_does_not_say_has_no_limit() -> None:
    assert limits_from(OcppVersion.V16, None) == NO_LIMITS  # CALLERROR, timeout
    assert limits_from(OcppVersion.V16, {"unknownKey": ["SendLocalListMaxLength"]}) == NO_LIMITS
    garbage = {"configurationKey": [{"key": "SendLocalListMaxLength", "readonly": True, "value": "x"}]}
    assert limits_from(OcppVersion.V16, garbage) == NO_LIMITS
    zero = {"configurationKey": [{"key": "SendLocalListMaxLength", "readonly": True, "value": "0"}]}
    assert limits_from(OcppVersion.V16, zero) == NO_LIMITS
    unknown = {
        "getVariableResult": [
            {
                "attributeStatus": "UnknownVariable",
                "component": {"name": "LocalAuthListCtrlr"},
                "variable": {"name": "ItemsPerMessage"},
            }
        ]
    }
    assert limits_from(OcppVersion.V201, unknown) == NO_LIMITS
    assert MessageLimits(capacity=1).holds({"#1234": Entry(IdType.PIN, "Accepted")})
    assert not MessageLimits(capacity=1).holds(
        {"#1234": Entry(IdType.PIN, "Accepted"), "#5678": Entry(IdType.PIN, "Accepted")}
    )


def test_after_a_refused_differential_or_later_part_the_full_list_follows() -> None:
    entries = {f"#{n:04d}": Entry(IdType.PIN, "Accepted") for n in range(5)}
    parts = split(OcppVersion.V201, full(entries, None), MessageLimits(items=2))  # versions 1, 2, 3
    again = recovery(entries, parts, parts[1], "Failed")
    assert again == Update("Full", 4, tuple(sorted(entries.items())))  # above every version planned
    assert recovery(entries, parts, parts[2], "VersionMismatch") == full(entries, 3)
    assert recovery(entries, parts, parts[0], "Failed") is None  # a refused Full: nothing more now
    assert recovery(entries, parts, parts[1], "timeout") is None  # not an answer: try next time
    assert recovery(entries, parts, parts[1], "CallError") is None


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_follow_up_parts_count_their_own_longer_envelope(version: OcppVersion) -> None:
    """A Full list's later parts say "Differential" (8 characters more than "Full") and may need one
    more digit for their version: each part is measured with its own envelope, at every byte limit."""
    entries = {f"0A0B0C{n:02X}": Entry(IdType.RFID, "Accepted") for n in range(30)}
    update = full(entries, 8)  # version 9; the second part is version 10: one digit more
    for limit in range(150, 700):
        limits = MessageLimits(items=None, bytes=limit)
        check_parts(version, update, split(version, update, limits), limits)
