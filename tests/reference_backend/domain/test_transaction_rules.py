"""Which transactions the CSMS ends because the station can no longer have them (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from evharness.reference_backend.domain.transactions import (
    BOOT_REASONS,
    ENDINGS,
    Ending,
    boot_ends_transactions,
    ending,
    superseded,
)

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def test_a_new_transaction_ends_those_started_before_it_on_the_evse() -> None:
    plan = superseded([(1, T0), (2, T0 + timedelta(hours=1))], 3, T0 + timedelta(hours=2))
    assert plan.ends == (1, 2)
    assert not plan.newcomer_over


def test_an_old_transaction_reported_late_is_itself_over() -> None:
    plan = superseded([(1, T0 + timedelta(hours=2))], 3, T0)
    assert plan.ends == ()
    assert plan.newcomer_over


def test_the_newcomer_listed_among_the_running_is_not_its_own_predecessor() -> None:
    assert superseded([(3, T0)], 3, T0).ends == ()


@given(st.lists(st.integers(min_value=-1000, max_value=1000), max_size=20), st.integers(-1000, 1000))
def test_after_the_rule_at_most_one_transaction_runs_on_the_evse(starts: list[int], new: int) -> None:
    running = [(i, T0 + timedelta(minutes=m)) for i, m in enumerate(starts)]
    plan = superseded(running, None, T0 + timedelta(minutes=new))
    survivors = [tid for tid, _ in running if tid not in plan.ends]
    still = len(survivors) + (0 if plan.newcomer_over else 1)
    assert still <= max(1, len(survivors))
    assert plan.newcomer_over == bool(survivors)


def test_every_reboot_reason_ends_transactions_but_a_triggered_boot() -> None:
    assert {r for r in BOOT_REASONS if not boot_ends_transactions(r, triggered=False)} == {"Triggered"}
    assert boot_ends_transactions(None, triggered=False)  # 1.6: a BootNotification is a (re)boot …
    assert not boot_ends_transactions(None, triggered=True)  # … unless the CSMS asked for it
    assert not boot_ends_transactions("PowerUp", triggered=True)


def test_every_ending_has_an_ocpp_stop_reason_of_both_versions_and_a_note() -> None:
    both = {
        "Other",
        "Reboot",
        "EmergencyStop",
        "EVDisconnected",
        "Local",
        "PowerLoss",
        "Remote",
        "DeAuthorized",
    }
    for why in Ending:
        reason, _ = ENDINGS[why]
        assert reason in both
        assert "ended by" in ending(why, "x").note
