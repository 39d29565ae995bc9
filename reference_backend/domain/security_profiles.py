"""What a station must prove to connect, per security profile (1.6 security white paper, 2.0.1 A00).

Theory of operation: each station has a profile (stored per station; the backend's default when none
is): `PROFILES` says what a connection at that profile proves — TLS, HTTP Basic credentials, a client
certificate naming the station. At the upgrade the server says what the connection `Presented`;
`admit` compares it with the station's profile and answers `Admitted` (with the profile the
connection proved, which is at least the station's) or a `Refusal` (HTTP status and reason, never
naming the password). A connection may prove more than its station needs (Basic auth over wss for
a profile-1 station); never less (A00.FR.003: the CSMS refuses a lower profile).

Passwords: the station's hash, and a new one it accepted (rotation, `A01`) that is not in use yet.
Either opens the door; the new one, once used, replaces the old (`Admitted.new_password_used`).
"""

from __future__ import annotations

from dataclasses import dataclass

from evharness.reference_backend.domain.credentials import BasicAuth, basic_credentials, verify_password

PROFILE_NUMBERS = (0, 1, 2, 3)


@dataclass(frozen=True, slots=True)
class Needs:
    what: str
    tls: bool  # wss:// (A00.FR.3xx: TLS 1.2 or above)
    basic_auth: BasicAuth
    client_certificate: bool  # signed by the CA the backend trusts, common name = identity


# profile → what a connection at that profile proves. The one table; docs/security.md renders it.
PROFILES: dict[int, Needs] = {
    0: Needs("no security: ws://, a password only if one is stored", False, BasicAuth.IF_STORED, False),
    1: Needs("HTTP Basic authentication over ws://", False, BasicAuth.REQUIRED, False),
    2: Needs("TLS (wss://) with HTTP Basic authentication", True, BasicAuth.REQUIRED, False),
    3: Needs("TLS (wss://) with a client certificate naming the station", True, BasicAuth.NOT_USED, True),
}


@dataclass(frozen=True, slots=True)
class Presented:
    """What a connection brought to the upgrade."""

    tls: bool
    certificate_name: str | None  # common name of a client certificate the TLS layer verified
    authorization: str | None  # the `Authorization` header


@dataclass(frozen=True, slots=True)
class Admitted:
    profile: int  # the highest profile the connection proved, ≥ the station's
    new_password_used: bool = False


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int  # 401: credentials; 403: transport or certificate
    reason: str
    failed_password: bool = False  # a Basic-auth guess that failed (throttled, a security event)


def profile_problem(profile: object) -> str | None:
    if not isinstance(profile, int) or isinstance(profile, bool) or profile not in PROFILES:
        return "must be 0, 1, 2 or 3"
    return None


def proved(identity: str, presented: Presented, password_ok: bool) -> int:
    """The highest profile whose needs this connection meets."""
    best = 0
    for number, needs in PROFILES.items():
        if needs.tls and not presented.tls:
            continue
        if needs.client_certificate and presented.certificate_name != identity:
            continue
        if needs.basic_auth is BasicAuth.REQUIRED and not password_ok:
            continue
        best = number
    return best


def admit(
    identity: str,
    profile: int,
    presented: Presented,
    stored_hash: str | None,
    new_hash: str | None = None,
) -> Admitted | Refusal:
    needs = PROFILES[profile]
    if needs.tls and not presented.tls:
        return Refusal(403, f"security profile {profile}: connect over wss://")
    if needs.client_certificate and presented.certificate_name != identity:  # A00.FR.405/407
        return Refusal(403, "the client certificate does not name this station")
    credentials = basic_credentials(presented.authorization)
    asked = needs.basic_auth is BasicAuth.REQUIRED or (
        needs.basic_auth is BasicAuth.IF_STORED and (stored_hash is not None or new_hash is not None)
    )
    password_ok = new_used = False
    if credentials is not None and credentials[0] == identity:
        password = credentials[1]
        new_used = new_hash is not None and verify_password(password, new_hash)
        password_ok = new_used or (stored_hash is not None and verify_password(password, stored_hash))
    if asked and not password_ok:
        if credentials is None:
            return Refusal(401, "HTTP Basic credentials required")
        if credentials[0] != identity:  # A00.FR.203: the username is the identity
            return Refusal(401, "the Basic authentication username is not the station identity", True)
        return Refusal(401, "wrong station identity or password", True)
    return Admitted(proved(identity, presented, password_ok), new_used)


def render_markdown() -> str:
    """`PROFILES` as the table in docs/security.md."""
    lines = [
        "| profile | what | wss:// (TLS ≥ 1.2) | HTTP Basic password | client certificate |",
        "|---|---|---|---|---|",
    ]
    for number, needs in PROFILES.items():
        lines.append(
            f"| {number} | {needs.what} | {'required' if needs.tls else ''} | {needs.basic_auth.value} "
            f"| {'required, CN = identity' if needs.client_certificate else ''} |"
        )
    return "\n".join(lines) + "\n"
