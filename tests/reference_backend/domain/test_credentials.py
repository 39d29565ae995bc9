"""HTTP Basic authentication of stations (security profile 1, A00.FR.204)."""

from __future__ import annotations

import base64

import pytest

from reference_backend.domain.credentials import (
    authentication_problem,
    basic_credentials,
    hash_password,
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
