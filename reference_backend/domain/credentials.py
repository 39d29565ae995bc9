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

from evharness.identities import identity_problem

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 30_000
PASSWORD_LENGTHS = range(16, 41)  # 2.0.1 SecurityCtrlr.BasicAuthPassword: 16–40 characters


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


Parsed = tuple[Callable[[bytes], bytes], bytes]  # (the digest of a password, the digest stored)
SCRYPT_MAXMEM = 32 * 1024 * 1024  # hashlib.scrypt's own limit: 128·r·n bytes must fit


def _parse_pbkdf2(fields: list[str]) -> Parsed:
    iterations, salt, digest = int(fields[0]), bytes.fromhex(fields[1]), bytes.fromhex(fields[2])
    if iterations < 1 or not digest:
        raise ValueError("needs at least one iteration and a digest")
    return (lambda password: hashlib.pbkdf2_hmac("sha256", password, salt, iterations)), digest


def _parse_scrypt(fields: list[str]) -> Parsed:
    n, r, p = (int(field) for field in fields[:3])
    salt, digest = (base64.b64decode(field, validate=True) for field in fields[3:])
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or 128 * r * n > SCRYPT_MAXMEM or not digest:
        raise ValueError("unusable scrypt parameters")
    return (lambda password: hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, dklen=len(digest))), digest


# scheme → (how many fields follow the scheme, their parser)
SCHEMES: dict[str, tuple[int, Callable[[list[str]], Parsed]]] = {
    ALGORITHM: (3, _parse_pbkdf2),
    "scrypt": (5, _parse_scrypt),  # legacy: the JSON files the old `evharness station-password` wrote
}


def _parse(stored: str) -> Parsed:
    """ValueError saying what is wrong, else the hash ready to check a password against."""
    scheme, *fields = stored.split("$")
    known = SCHEMES.get(scheme)
    if known is None:
        raise ValueError(f"unknown hash scheme {scheme!r} (expected {' or '.join(SCHEMES)})")
    count, parse = known
    if len(fields) != count:
        raise ValueError(f"a {scheme} hash has {count + 1} fields separated by '$'")
    try:
        return parse(fields)
    except (ValueError, binascii.Error):
        raise ValueError(f"a malformed {scheme} hash") from None


def verify_password(password: str, stored: str) -> bool:
    try:
        digest, expected = _parse(stored)
    except ValueError:
        return False
    return hmac.compare_digest(digest(password.encode()), expected)


def hash_problem(stored: object) -> str | None:
    """Why `stored` is not a hash this backend can verify (an imported file's entry); None if it is."""
    if not isinstance(stored, str):
        return "must be a password hash (a string)"
    try:
        _parse(stored)
    except ValueError as error:
        return str(error)
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
