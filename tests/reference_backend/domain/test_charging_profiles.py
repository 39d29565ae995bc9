"""Charging profile requests at the CSMS: every rule refuses naming its field, and whatever passes becomes
a SetChargingProfile / ClearChargingProfile / GetChargingProfiles / GetCompositeSchedule that the official
schema of the station's version accepts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.ocppj import schemas
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.charging_profiles import (
    KINDS,
    PURPOSES,
    Criteria,
    Period,
    Profile,
    check,
    clear_call,
    composite_call,
    placed,
    profile_actions,
    report_call,
    set_call,
)
from evharness.reference_backend.domain.load_management import share, within
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.problems import InvalidInput

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
GOOD = Profile("TxDefaultProfile", (Period(0, 16), Period(3600, 10, 3)))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"purpose": "ChargingStationExternalConstraints"}, "purpose"),  # K01.FR.22
        ({"purpose": "Cheap"}, "purpose"),
        ({"purpose": "ChargingStationMaxProfile", "evse": 1}, "evse"),
        ({"purpose": "TxProfile", "evse": 1}, "transaction_id"),  # K01.FR.03
        ({"purpose": "TxProfile", "evse": 0, "transaction_id": "t"}, "evse"),  # K01.FR.16
        ({"transaction_id": "t"}, "transaction_id"),
        ({"kind": "Sometimes"}, "kind"),
        ({"kind": "Recurring"}, "recurrency"),
        ({"recurrency": "Daily"}, "recurrency"),
        ({"kind": "Relative", "start_schedule": NOW}, "start_schedule"),
        ({"unit": "kW"}, "unit"),
        ({"periods": ()}, "periods"),
        ({"periods": (Period(60, 16),)}, "periods"),  # K01.FR.31
        ({"periods": (Period(0, 16), Period(0, 10))}, "periods"),  # K01.FR.35
        ({"periods": (Period(0, 16, 4),)}, "periods"),
        ({"stack_level": -1}, "stack_level"),
        ({"id": 1_000_000}, "id"),
        ({"evse": -1}, "evse"),
        ({"valid_from": NOW, "valid_to": NOW}, "valid_to"),
        ({"duration": 0}, "duration"),
    ],
)
def test_a_bad_request_is_refused_naming_its_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check(replace(GOOD, **change))  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_16_transaction_id_is_a_number() -> None:
    profile = replace(GOOD, purpose="TxProfile", evse=1, transaction_id="tx-1")
    with pytest.raises(InvalidInput) as refused:
        set_call(profile, 1, True, NOW)
    assert refused.value.field == "transaction_id"


def _valid(version: OcppVersion, action: str, payload: dict[str, object]) -> None:
    validate = schemas.validator(version, action, response=False)
    assert validate is not None
    assert schemas.check(validate, payload) is None, payload


profiles = st.builds(
    Profile,
    purpose=st.sampled_from(list(PURPOSES)),
    periods=st.lists(
        st.tuples(st.integers(1, 3600), st.floats(0, 500), st.none() | st.integers(1, 3)), max_size=5
    ).map(lambda steps: _periods(steps)),
    evse=st.integers(0, 4),
    stack_level=st.integers(0, 20),
    kind=st.sampled_from(KINDS),
    unit=st.sampled_from(["A", "W"]),
    duration=st.none() | st.integers(1, 86400),
)


def _periods(steps: list[tuple[int, float, int | None]]) -> tuple[Period, ...]:
    start, out = 0, []
    for gap, limit, phases in [(0, 16.0, None), *steps]:
        start += gap
        out.append(Period(start, limit, phases))
    return tuple(out)


def _fitted(profile: Profile) -> Profile:
    """The profile made to keep the rules that tie fields together (what the console would have to send)."""
    if profile.purpose == "ChargingStationMaxProfile":
        profile = replace(profile, evse=0)
    if profile.purpose == "TxProfile":
        profile = replace(profile, evse=max(profile.evse, 1), transaction_id="42")
    if profile.kind == "Recurring":
        profile = replace(profile, recurrency="Daily")
    return profile


@given(profiles, st.booleans())
def test_every_accepted_profile_is_a_valid_set_charging_profile(profile: Profile, on_16: bool) -> None:
    profile = _fitted(profile)
    action, payload = set_call(profile, 12, on_16, NOW)
    version = OcppVersion.V16 if on_16 else OcppVersion.V201
    _valid(version, action, payload)
    where = placed(payload, on_16)
    assert (where.profile_id, where.evse, where.purpose, where.stack_level) == (
        12,
        profile.evse,
        profile.purpose,
        profile.stack_level,
    )


@given(
    st.builds(
        Criteria,
        id=st.none() | st.integers(0, 100),
        evse=st.none() | st.integers(0, 4),
        purpose=st.none() | st.sampled_from(list(PURPOSES)),
        stack_level=st.none() | st.integers(0, 20),
    ),
    st.booleans(),
)
def test_clear_report_and_composite_requests_are_valid(criteria: Criteria, on_16: bool) -> None:
    version = OcppVersion.V16 if on_16 else OcppVersion.V201
    _valid(version, *clear_call(criteria, on_16))
    _valid(version, *composite_call(criteria.evse or 0, 600, "A", on_16))
    if not on_16:
        _valid(version, *report_call(criteria, 3, on_16))


def test_16_has_no_get_charging_profiles() -> None:
    with pytest.raises(InvalidInput) as refused:
        report_call(Criteria(), 1, True)
    assert refused.value.field == "operation"


def test_each_purpose_has_its_matrix_action_and_clearing_all_needs_every_one() -> None:
    assert profile_actions("ChargingStationMaxProfile") == [Action.SET_MAX_CURRENT]
    assert profile_actions("TxDefaultProfile") == [Action.SET_CHARGING_TIMES]
    assert set(profile_actions(None)) == {action for _, action, _ in PURPOSES.values()}


@given(st.floats(0, 1000), st.integers(0, 50))
def test_the_site_shares_never_add_up_beyond_the_limit(limit: float, sessions: int) -> None:
    part = share(limit, sessions)
    assert 0 <= part * max(sessions, 1) <= limit + 1e-6


def test_an_ev_schedule_is_within_when_no_period_exceeds_ours_at_its_offset() -> None:
    ours = {"chargingSchedule": [{"chargingRateUnit": "A", "chargingSchedulePeriod": [
        {"startPeriod": 0, "limit": 16}, {"startPeriod": 600, "limit": 8}]}]}  # fmt: skip
    ev = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}
    assert within(ev, ours)
    late = {
        **ev,
        "chargingSchedulePeriod": [*ev["chargingSchedulePeriod"], {"startPeriod": 900, "limit": 10}],
    }
    assert not within(late, ours)
    assert within({**late, "chargingRateUnit": "W"}, ours)  # not compared
    assert within(late, None)
