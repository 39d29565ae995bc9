"""The rules of a local user's or an identification's change, and how it reads in the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.idtokens import IdType
from evharness.reference_backend.domain.local_users import (
    IDENTIFICATION_RULES,
    USER_RULES,
    Rules,
    check_code,
    check_expiry,
    checked,
    differences,
    label,
    written,
)
from evharness.reference_backend.domain.problems import InvalidInput

PLUS_TWO = timezone(timedelta(hours=2))


def test_an_expiry_is_kept_in_utc_and_a_naive_one_is_refused() -> None:
    assert check_expiry(datetime(2030, 6, 1, 12, tzinfo=PLUS_TWO)) == datetime(2030, 6, 1, 10, tzinfo=UTC)
    assert check_expiry(None) is None
    with pytest.raises(InvalidInput, match="needs a UTC offset") as refused:
        check_expiry(datetime(2030, 6, 1, 12))
    assert refused.value.field == "expires_at"


@given(moment=st.datetimes(timezones=st.timezones()))
def test_every_aware_expiry_is_taken_in_utc_or_refused_naming_the_field(moment: datetime) -> None:
    try:
        utc: datetime | None = moment.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 shifted out of range
        utc = None
    if utc is None or not datetime(1970, 1, 1, tzinfo=UTC) <= utc < datetime(9999, 1, 1, tzinfo=UTC):
        with pytest.raises(InvalidInput, match="between 1970") as refused:
            check_expiry(moment)
        assert refused.value.field == "expires_at"
        return
    kept = check_expiry(moment)
    assert kept is not None
    assert kept.tzinfo is UTC
    assert kept.timestamp() == moment.timestamp()  # (== is False for an ambiguous local time, PEP 495)


def test_a_change_names_its_bad_field() -> None:
    cases: list[tuple[Rules, dict[str, object], str, str]] = [
        (USER_RULES, {"first_name": None}, "first_name", "must not be null"),
        (USER_RULES, {"last_name": " "}, "last_name", "must not be empty"),
        (USER_RULES, {"blocked": "yes"}, "blocked", "true or false"),
        (USER_RULES, {"nick": "x"}, "nick", "cannot be changed"),
        (IDENTIFICATION_RULES, {"code": "#1234"}, "code", "cannot be changed"),
        (IDENTIFICATION_RULES, {"status": "paused"}, "status", "one of active, inactive"),
        (IDENTIFICATION_RULES, {"status": None}, "status", "must not be null"),
    ]
    for rules, change, field, words in cases:
        with pytest.raises(InvalidInput, match=words) as refused:
            checked(rules, change)
        assert refused.value.field == field


def test_a_change_is_checked_and_only_real_differences_count() -> None:
    wanted = checked(USER_RULES, {"first_name": " Ada ", "blocked": True})
    assert wanted == {"first_name": "Ada", "blocked": True}
    assert differences({"first_name": "Ada", "blocked": False}, wanted) == {"blocked": (False, True)}
    same_moment = checked(IDENTIFICATION_RULES, {"expires_at": datetime(2030, 1, 1, 2, tzinfo=PLUS_TWO)})
    assert differences({"expires_at": datetime(2030, 1, 1, tzinfo=UTC)}, same_moment) == {}
    assert checked(IDENTIFICATION_RULES, {"expires_at": None}) == {"expires_at": None}


def test_the_audit_never_shows_a_pin() -> None:
    assert label(IdType.PIN, "#1234") == "pin #****"
    assert label(IdType.RFID, "04A1B2C3") == "rfid 04A1B2C3"
    assert (written("blocked", True), written("expires_at", None), written("status", "active")) == (
        "yes",
        "no expiry",
        "active",
    )
    assert written("expires_at", datetime(2030, 1, 1, tzinfo=UTC)) == "2030-01-01T00:00:00+00:00"


def test_a_bad_code_says_which_rule_it_broke_under_the_routes_field_name() -> None:
    assert check_code(IdType.RFID, "04a1b2c3") == "04A1B2C3"
    with pytest.raises(InvalidInput, match="must start with '#'") as refused:
        check_code(IdType.PIN, "1234", "code")
    assert refused.value.field == "code"
    with pytest.raises(InvalidInput, match="hexadecimal") as refused:
        check_code(IdType.RFID, "ZZ", "uid")
    assert refused.value.field == "uid"
