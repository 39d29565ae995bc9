"""HTTP Basic authentication of stations (security profile 1, A00.FR.204)."""

from __future__ import annotations

import base64

import pytest

from evharness.reference_backend.domain.credentials import (
    BasicAuth,
    authentication_problem,
    basic_credentials,
    hash_password,
    hash_problem,
    password_problem,
    verify_password,
)

PASSWORD = "OCTT-basic-auth-0123"
STORED = hash_password(PASSWORD, iterations=1000)


def header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_the_hash_is_salted_and_verifies() -> None:
    assert PASSWORD not in STORED
    assert hash_password(PASSWORD, iterations=1000) != STORED  # a new salt every time
    assert verify_password(PASSWORD, STORED)
    assert not verify_password(PASSWORD + "x", STORED)
    assert not verify_password(PASSWORD, "garbage")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (header("CP-1", "pa:ss"), ("CP-1", "pa:ss")),  # only the first colon separates
        ("Basic !!!", None),
        ("Bearer abc", None),
        (None, None),
        ("Basic " + base64.b64encode(b"no-colon").decode(), None),
    ],
)
def test_parsing_the_header(given: str | None, expected: tuple[str, str] | None) -> None:
    assert basic_credentials(given) == expected


@pytest.mark.parametrize(
    ("stored", "given", "refused"),
    [
        (None, None, False),  # no password stored: no credentials asked
        (STORED, header("CP-1", PASSWORD), False),
        (STORED, None, True),
        (STORED, header("CP-2", PASSWORD), True),  # TC_A_02: username is not the identity
        (STORED, header("CP-1", "wrong-password-000"), True),  # TC_A_03
    ],
)
def test_who_may_connect(stored: str | None, given: str | None, refused: bool) -> None:
    problem = authentication_problem("CP-1", stored, given)
    assert (problem is not None) is refused
    assert PASSWORD not in (problem or "")


@pytest.mark.parametrize(
    ("stored", "given"),
    [
        (None, None),  # profiles 1 and 2: a station without a stored password is refused …
        (None, header("CP-1", PASSWORD)),  # … whatever it presents
        (STORED, header("CP-1", "wrong-password-000")),
    ],
)
def test_profiles_1_and_2_require_a_stored_password(stored: str | None, given: str | None) -> None:
    assert authentication_problem("CP-1", stored, given, BasicAuth.REQUIRED) is not None


def test_profiles_1_and_2_let_the_right_password_in() -> None:
    assert authentication_problem("CP-1", STORED, header("CP-1", PASSWORD), BasicAuth.REQUIRED) is None


def test_profile_3_asks_for_no_password_the_certificate_proves_the_station() -> None:
    assert authentication_problem("CP-1", STORED, None, BasicAuth.NOT_USED) is None


@pytest.mark.parametrize(
    ("stored", "problem"),
    [
        (STORED, None),
        ("scrypt$16384$8$1$c2FsdA==$ZGlnZXN0", None),
        ("bcrypt$whatever", "unknown hash scheme 'bcrypt' (expected pbkdf2_sha256 or scrypt)"),
        ("scrypt$1$2", "a scrypt hash has 6 fields separated by '$'"),
        ("scrypt$1000$8$1$c2FsdA==$ZGlnZXN0", "a malformed scrypt hash"),  # n not a power of 2
        ("scrypt$1048576$8$1$c2FsdA==$ZGlnZXN0", "a malformed scrypt hash"),  # over scrypt's memory limit
        ("pbkdf2_sha256$1000$zz$00", "a malformed pbkdf2_sha256 hash"),
        (None, "must be a password hash (a string)"),
    ],
)
def test_which_hashes_can_be_imported(stored: object, problem: str | None) -> None:
    assert hash_problem(stored) == problem


@pytest.mark.parametrize(
    ("password", "refused"), [("x" * 15, True), ("x" * 16, False), ("x" * 40, False), ("x" * 41, True)]
)
def test_password_lengths(password: str, refused: bool) -> None:
    assert (password_problem(password) is not None) is refused
