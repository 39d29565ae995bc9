"""GetChargingProfiles, ClearChargingProfile and a remote start's profile as their tables say
(K05/K09/K10, 1.6 §5.5/§5.11), and the profile store's rules behind them."""

from __future__ import annotations

import pytest

from evharness.simulator.core import smart_charging
from evharness.simulator.core.charging_profiles import (
    CSO,
    EXTERNAL,
    STATION_MAX,
    TX,
    TX_DEFAULT,
    ChargingProfile,
    Period,
    ProfileStore,
)
from evharness.simulator.core.smart_charging import CLEAR, REPORT, START_CHECKS, Criteria, Found, StartRefusal


def profile(
    id: int, evse: int, purpose: str, stack: int = 0, source: str = CSO, transaction: str | None = None
) -> ChargingProfile:
    return ChargingProfile(
        id, evse, stack, purpose, "Relative", "A", (Period(0, 16),), transaction_id=transaction, source=source
    )


STORE = [
    profile(1, 0, STATION_MAX, 0),
    profile(2, 0, TX_DEFAULT, 1),
    profile(3, 1, TX_DEFAULT, 2),
    profile(4, 1, TX_DEFAULT, 0),
    profile(5, 2, TX, 3, transaction="t-2"),
    profile(6, 1, EXTERNAL, 0, source="EMS"),
]

# criteria → the ids GetChargingProfiles reports
SELECTIONS = [
    (Criteria(), [1, 2, 3, 4, 5, 6]),  # no EVSE: every profile
    (Criteria(evse_id=0), [1, 2]),  # K09.FR.05: EVSE 0: the station's only
    (Criteria(evse_id=1), [3, 4, 6]),  # K09.FR.04
    (Criteria(evse_id=1, stack_level=2), [3]),
    (Criteria(evse_id=1, purpose=TX_DEFAULT), [3, 4]),
    (Criteria(evse_id=1, purpose=TX_DEFAULT, stack_level=0), [4]),
    (Criteria(evse_id=1, sources=("EMS",)), [6]),
    (Criteria(sources=(CSO,)), [1, 2, 3, 4, 5]),
    (Criteria(evse_id=2, ids=(1, 5)), [1, 5]),  # K09.FR.03: ids select, the rest is ignored
    (Criteria(evse_id=3), []),
    (Criteria(purpose=TX, stack_level=9), []),
]


@pytest.mark.parametrize(("criteria", "expected"), SELECTIONS)
def test_criteria_select_as_k09_says(criteria: Criteria, expected: list[int]) -> None:
    pages = smart_charging.report(7, criteria, STORE)
    assert sorted(p.id for page in pages for p in page.profiles) == expected
    assert REPORT[smart_charging.found(pages)] == ("Accepted" if expected else "NoProfiles")


def test_a_report_is_one_page_per_evse_and_source_tbc_on_all_but_the_last() -> None:
    pages = smart_charging.report(7, Criteria(), STORE)
    assert [(p.evse_id, p.source) for p in pages] == [(0, CSO), (1, CSO), (1, "EMS"), (2, CSO)]
    assert [p.tbc for p in pages] == [True, True, True, False]
    assert {p.request_id for p in pages} == {7}  # K09.FR.01
    evse_1 = pages[1]
    assert [p.stack_level for p in evse_1.profiles] == [0, 2]  # sorted by stackLevel


@pytest.mark.parametrize("found", list(Found), ids=lambda f: f.value)
def test_each_answer_row(found: Found) -> None:
    assert REPORT[found] == {"some": "Accepted", "none": "NoProfiles"}[found.value]
    assert CLEAR[found] == {"some": "Accepted", "none": "Unknown"}[found.value]


START_CASES = {
    StartRefusal.UNKNOWN_PURPOSE: None,
    StartRefusal.NOT_TX_PROFILE: profile(1, 0, TX_DEFAULT),
    StartRefusal.NAMES_TRANSACTION: profile(1, 0, TX, transaction="t-9"),
}


@pytest.mark.parametrize("refusal", [r for r, _ in START_CHECKS], ids=lambda r: r.value)
def test_each_start_check(refusal: StartRefusal) -> None:
    assert smart_charging.start_refusal(START_CASES[refusal]) is refusal


def test_a_tx_profile_for_the_coming_transaction_is_taken() -> None:
    assert smart_charging.start_refusal(profile(1, 0, TX)) is None


def store_of(*profiles: ChargingProfile, entries: int | None = None) -> ProfileStore:
    store = ProfileStore(max_entries=entries)
    for p in profiles:
        assert store.install(p)
    return store


def test_clear_by_id_ignores_the_criteria() -> None:
    store = store_of(*STORE)
    cleared = store.clear(profile_id=3, evse_id=2, purpose=STATION_MAX)
    assert [p.id for p in cleared] == [3]


def test_clear_by_criteria_takes_every_match_but_never_an_external_limit() -> None:
    store = store_of(*STORE)
    assert sorted(p.id for p in store.clear(evse_id=1)) == [3, 4]
    assert store.clear(purpose=EXTERNAL) == []  # K10.FR.06: only its source releases it
    assert 6 in store.profiles
    assert sorted(p.id for p in store.clear()) == [1, 2, 5]
    assert store.clear() == []


def test_a_tx_profile_ends_with_its_own_transaction_only() -> None:
    unbound = profile(7, 1, TX, 1)  # a remote start's, before its transaction had an id
    store = store_of(*STORE, unbound)
    store.end_transaction(1, "t-1")
    assert 7 not in store.profiles
    assert 5 in store.profiles  # EVSE 2's transaction goes on
    store.end_transaction(2, "t-2")
    assert 5 not in store.profiles


def test_the_same_slot_is_replaced_and_a_full_store_refuses() -> None:
    store = store_of(profile(1, 1, TX_DEFAULT, 2), entries=2)
    assert store.install(profile(2, 1, TX_DEFAULT, 2))  # same purpose, stack level, EVSE: replaced
    assert list(store.profiles) == [2]
    assert store.install(profile(3, 0, STATION_MAX))
    assert not store.install(profile(4, 1, TX_DEFAULT, 5))  # SmartChargingCtrlr.Entries reached
    assert store.install(profile(3, 0, STATION_MAX, 1))  # same id: replaced, room enough


@pytest.mark.parametrize(
    ("starts", "ok"),
    [((0,), True), ((0, 60, 120), True), ((60,), False), ((0, 120, 60), False), ((0, 60, 60), False)],
)
def test_periods_start_at_0_and_increase(starts: tuple[int, ...], ok: bool) -> None:
    """K01.FR.31/35; more periods than PeriodsPerSchedule are refused too."""
    shaped = ChargingProfile(1, 1, 0, TX_DEFAULT, "Relative", "A", tuple(Period(s, 16) for s in starts))
    assert ProfileStore(max_periods=3).install(shaped) is ok
    assert ProfileStore(max_periods=len(starts) - 1).install(shaped) is False
