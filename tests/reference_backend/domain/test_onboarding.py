"""Onboarding rules: the decision table, self-registration switches, login throttling, token masking."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.reference_backend.domain.onboarding import (
    DECISIONS,
    AccountType,
    Decision,
    OnboardingSettings,
    Status,
    check_self_registration,
    decide,
)
from evharness.reference_backend.domain.problems import Conflict, Forbidden
from evharness.reference_backend.domain.ratelimit import SlidingWindow
from evharness.reference_backend.domain.tokens import mask_secret, new_token, token_hash


@pytest.mark.parametrize(("status", "decision"), list(itertools.product(Status, Decision)))
def test_only_pending_requests_can_be_decided(status: Status, decision: Decision) -> None:
    if status is Status.PENDING:
        assert decide("request 1", status, decision) is DECISIONS[(status, decision)]
    else:
        with pytest.raises(Conflict, match=f"request 1 is {status.value} already"):
            decide("request 1", status, decision)


@given(st.sampled_from(list(AccountType)), st.booleans())
def test_self_registration_follows_the_operators_switch(account_type: AccountType, enabled: bool) -> None:
    settings = OnboardingSettings(**{account_type.value: enabled})
    if enabled:
        check_self_registration(settings, account_type)
    else:
        with pytest.raises(Forbidden, match=f"{account_type.value} is not enabled"):
            check_self_registration(settings, account_type)


def test_the_window_refuses_at_the_limit_and_forgets_after_it() -> None:
    window = SlidingWindow(limit=3, window=60)
    for second in range(3):
        assert window.retry_after("ada", float(second)) == 0
        window.hit("ada", float(second))
    assert window.retry_after("ada", 10.0) == 51  # the first hit leaves the window at 60 s
    assert window.retry_after("bob", 10.0) == 0  # keys are independent
    assert window.retry_after("ada", 60.0) == 0
    window.hit("ada", 61.0)
    window.clear("ada")
    assert window.retry_after("ada", 61.0) == 0


@given(st.lists(st.floats(min_value=0, max_value=1000), max_size=40), st.integers(1, 10))
def test_the_window_never_allows_more_than_its_limit(times: list[float], limit: int) -> None:
    window = SlidingWindow(limit=limit, window=30)
    allowed: list[float] = []
    for now in sorted(times):
        if window.retry_after("k", now) == 0:
            window.hit("k", now)
            allowed.append(now)
    for start in allowed:
        assert sum(1 for t in allowed if start <= t < start + 30) <= limit


def test_tokens_are_unguessable_and_stored_and_logged_only_in_part() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    token = tokens.pop()
    assert len(token) >= 43
    assert token not in token_hash(token)
    assert mask_secret(token) == token[:4] + "…"
