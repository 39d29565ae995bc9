"""Security profile 1: HTTP Basic authentication of a station (A00.FR.204, CATALOG §4.6).

The username must be the station's identity; the password is kept only as a salted PBKDF2 hash
(A01.FR.08: SHOULD store salted hashes) and never logged. A station without a stored password
connects without credentials (no security profile configured for it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 30_000
PASSWORD_LENGTHS = range(16, 41)  # 2.0.1 SecurityCtrlr.BasicAuthPassword: 16–40 characters


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algorithm, iterations, salt, digest = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        computed = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


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


def authentication_problem(identity: str, stored_hash: str | None, header: str | None) -> str | None:
    """Why a connection must be refused (never naming the password); None if it may connect."""
    if stored_hash is None:
        return None
    credentials = basic_credentials(header)
    if credentials is None:
        return "HTTP Basic credentials required"
    username, password = credentials
    if username != identity:
        return "the Basic authentication username is not the station identity"
    if not verify_password(password, stored_hash):
        return "wrong password"
    return None
