"""A charging station's identity: the one rule for what may name a station, and how the simulator,
`evharness seed` and the load tests number theirs (shared by the backend, the simulator and the tools)."""

from __future__ import annotations

import re

# OCPP-J 2.0.1 §3.2: the identity is an identifierString of at most 48 characters, without ':'
# because it doubles as the HTTP Basic username.
MAX_IDENTITY_LENGTH = 48


def identity_problem(identity: str) -> str | None:
    """Why `identity` (percent-decoded) cannot name a station, or None if it can."""
    if not identity:
        return "the station identity is empty"
    if len(identity) > MAX_IDENTITY_LENGTH:
        return f"the station identity is longer than {MAX_IDENTITY_LENGTH} characters"
    if ":" in identity:
        return "the station identity contains ':'"
    if not identity.isprintable() or "/" in identity:
        return "the station identity contains '/' or unprintable characters"
    return None


def station_identity(prefix: str, number: int) -> str:
    """The identities `evharness seed`, the simulator's fleet and the load tests agree on: SIM-0001 …"""
    return f"{prefix}-{number:04d}"


_TRAILING_DIGITS = re.compile(r"(\d+)$")


def station_number(identity: str) -> int:
    """A station's number, back from its identity: the digits it ends with (SIM-0042 → 42), or 1
    (the `{n}` of a scenario's per-station token codes)."""
    match = _TRAILING_DIGITS.search(identity)
    return int(match.group(1)) if match else 1
