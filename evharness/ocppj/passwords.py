"""The HTTP Basic password on the wire (1.6 security white paper, 2.0.1 A00/A01).

2.0.1 `SecurityCtrlr.BasicAuthPassword` carries the password as a string. 1.6 `AuthorizationKey`
carries the hex representation of the password's bytes (16–20 bytes, at most 40 hex digits,
A00.FR.205); the OCTT reads a value of 32–40 characters as hex and a shorter one as the password
itself (TC_073/TC_085). Station and CSMS read a key the same way: `password_of_key`.
"""

from __future__ import annotations


def password_of_key(value: str) -> str:
    """The password an AuthorizationKey carries: its bytes when the value is 32–40 hex digits of UTF-8
    text, else the value itself."""
    if not 32 <= len(value) <= 40:
        return value
    try:
        return bytes.fromhex(value).decode("utf-8")
    except ValueError:  # not hex, or not UTF-8 (UnicodeDecodeError is a ValueError)
        return value


def key_of_password(password: str) -> str:
    """The AuthorizationKey that carries `password` (the hex of its UTF-8 bytes)."""
    return password.encode().hex()
