"""HTTP Basic authentication of a station (security profiles 1 and 2; A00.FR.203/204, CATALOG §4.6).

The database is the one store of station passwords (`stations.basic_auth_hash`). The username must
be the station's identity; the password is kept only as a salted hash (A01.FR.08: SHOULD store
salted hashes) and never logged. New hashes are PBKDF2-SHA256, the scheme the database always used;
scrypt hashes are still verified because the retired `--station-passwords` JSON files held them
and their plaintexts are gone (they are imported as they are, see `reference_backend.passwords`).

Under profile 0 a station without a stored password connects without credentials; under profiles
1 and 2 it is refused like a wrong password; under profile 3 the client certificate alone proves it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable
from enum import Enum

from reference_backend.domain.stations import identity_problem

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 30_000
PASSWORD_LENGTHS = range(16, 41)  # 2.0.1 SecurityCtrlr.BasicAuthPassword: 16–40 characters


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def _pbkdf2_digest(password: str, fields: list[str]) -> tuple[bytes, bytes]:
    iterations, salt, digest = fields
    expected = bytes.fromhex(digest)
    return hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations)), expected


def _scrypt_digest(password: str, fields: list[str]) -> tuple[bytes, bytes]:
    n, r, p, salt, digest = fields
    expected = base64.b64decode(digest, validate=True)
    salt_bytes = base64.b64decode(salt, validate=True)
    actual = hashlib.scrypt(
        password.encode(), salt=salt_bytes, n=int(n), r=int(r), p=int(p), dklen=len(expected)
    )
    return actual, expected


# scheme → (fields after the scheme, the digest computed from a password and the digest stored)
SCHEMES: dict[str, tuple[int, Callable[[str, list[str]], tuple[bytes, bytes]]]] = {
    ALGORITHM: (3, _pbkdf2_digest),
    "scrypt": (5, _scrypt_digest),  # legacy: the JSON files of `evharness station-password` ≤ 0.x
}


def verify_password(password: str, stored: str) -> bool:
    scheme, *fields = stored.split("$")
    known = SCHEMES.get(scheme)
    if known is None or len(fields) != known[0]:
        return False
    try:
        actual, expected = known[1](password, fields)
    except (ValueError, binascii.Error, MemoryError):
        return False
    return bool(expected) and hmac.compare_digest(actual, expected)


def hash_problem(stored: object) -> str | None:
    """Why `stored` is not a hash this backend can verify (an imported file's entry); None if it is."""
    if not isinstance(stored, str):
        return "must be a password hash (a string)"
    scheme, *fields = stored.split("$")
    known = SCHEMES.get(scheme)
    if known is None:
        return f"unknown hash scheme {scheme!r} (expected {' or '.join(SCHEMES)})"
    if len(fields) != known[0]:
        return f"a {scheme} hash has {known[0] + 1} fields separated by '$'"
    return None


def password_problem(password: str) -> str | None:
    """Why a station password is refused (never echoing it); None if it may be stored."""
    if len(password) not in PASSWORD_LENGTHS:  # A00.FR.202 / SecurityCtrlr.BasicAuthPassword
        return f"a password has {PASSWORD_LENGTHS.start} to {PASSWORD_LENGTHS.stop - 1} characters"
    return None


def import_problems(hashes: object) -> list[str]:
    """What is wrong with a `{identity: hash}` mapping to import, entry by entry (empty: all good)."""
    if not isinstance(hashes, dict):
        return ["must be a JSON object {station identity: password hash}"]
    problems = []
    for identity, stored in hashes.items():
        problem = identity_problem(identity) or hash_problem(stored)
        if problem is not None:
            problems.append(f"{identity!r}: {problem}")
    return problems


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(username, password) from `Authorization: Basic …`; None if absent or malformed."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon else None


class BasicAuth(Enum):
    """When a station must present HTTP Basic credentials, by security profile (`security.py`)."""

    IF_STORED = "if a password is stored"  # profile 0: per station, as the database says
    REQUIRED = "always"  # profiles 1 and 2 (A00.FR.203): no stored password, no entry
    NOT_USED = "never"  # profile 3: the client certificate is the credential


def authentication_problem(
    identity: str, stored_hash: str | None, header: str | None, rule: BasicAuth = BasicAuth.IF_STORED
) -> str | None:
    """Why a connection must be refused (never naming the password); None if it may connect."""
    if rule is BasicAuth.NOT_USED or (stored_hash is None and rule is BasicAuth.IF_STORED):
        return None
    credentials = basic_credentials(header)
    if credentials is None:
        return "HTTP Basic credentials required"
    username, password = credentials
    if username != identity:
        return "the Basic authentication username is not the station identity"
    if stored_hash is None or not verify_password(password, stored_hash):
        return "wrong station identity or password"
    return None
