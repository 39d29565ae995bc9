"""`admit`: every profile against what a connection presents (docs/security.md)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.reference_backend.domain.credentials import hash_password
from evharness.reference_backend.domain.security_profiles import (
    PROFILES,
    Admitted,
    Presented,
    Refusal,
    admit,
    profile_problem,
)
from evharness.simulator.security import basic_auth_header

OLD, NEW = "old-password-1234567", "new-password-7654321"
OLD_HASH, NEW_HASH = hash_password(OLD, iterations=1), hash_password(NEW, iterations=1)


def header(password: str, user: str = "CP-1") -> str:
    return basic_auth_header(user, password)[1]


# what is presented → (tls, certificate name, Authorization header)
PRESENTED = {
    "nothing": Presented(False, None, None),
    "password": Presented(False, None, header(OLD)),
    "wrong password": Presented(False, None, header("guess-guess-guess-1")),
    "other username": Presented(False, None, header(OLD, "CP-2")),
    "tls": Presented(True, None, None),
    "tls + password": Presented(True, None, header(OLD)),
    "tls + certificate": Presented(True, "CP-1", None),
    "tls + foreign certificate": Presented(True, "CP-2", header(OLD)),
}
# station profile → presented → HTTP status of the refusal, or the profile proved when admitted
EXPECTED: dict[int, dict[str, int | str]] = {
    0: {"nothing": 401, "password": "1", "wrong password": 401, "other username": 401, "tls": 401,
        "tls + password": "2", "tls + certificate": 401, "tls + foreign certificate": "2"},
    1: {"nothing": 401, "password": "1", "wrong password": 401, "other username": 401, "tls": 401,
        "tls + password": "2", "tls + certificate": 401, "tls + foreign certificate": "2"},
    2: {"nothing": 403, "password": 403, "wrong password": 403, "other username": 403, "tls": 401,
        "tls + password": "2", "tls + certificate": 401, "tls + foreign certificate": "2"},
    3: {"nothing": 403, "password": 403, "wrong password": 403, "other username": 403, "tls": 403,
        "tls + password": 403, "tls + certificate": "3", "tls + foreign certificate": 403},
}  # fmt: skip


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("what", PRESENTED)
def test_each_profile_against_each_presentation(profile: int, what: str) -> None:
    outcome = admit("CP-1", profile, PRESENTED[what], OLD_HASH)
    expected = EXPECTED[profile][what]
    if isinstance(expected, int):
        assert isinstance(outcome, Refusal), outcome
        assert outcome.status == expected, outcome
        assert OLD not in outcome.reason
    else:
        assert outcome == Admitted(int(expected)), outcome


def test_profile_0_without_a_stored_password_asks_for_none() -> None:
    assert admit("CP-1", 0, PRESENTED["nothing"], None) == Admitted(0)
    assert isinstance(admit("CP-1", 1, PRESENTED["password"], None), Refusal)


def test_a_rotated_password_works_beside_the_old_one_until_used() -> None:
    with_new = Presented(False, None, header(NEW))
    assert admit("CP-1", 1, with_new, OLD_HASH, NEW_HASH) == Admitted(1, new_password_used=True)
    assert admit("CP-1", 1, PRESENTED["password"], OLD_HASH, NEW_HASH) == Admitted(1)
    assert isinstance(admit("CP-1", 1, with_new, OLD_HASH, None), Refusal)


@given(st.one_of(st.integers(-5, 8), st.booleans(), st.text(max_size=3), st.none()))
def test_only_the_four_profiles_are_profiles(value: object) -> None:
    assert (profile_problem(value) is None) == (value in (0, 1, 2, 3) and not isinstance(value, bool))
