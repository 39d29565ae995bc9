"""Tokens an operator provisions for a station beyond its local users' PINs and cards (2.0.1 C01, C09,
C16): what may be stored, as a 422 naming the field otherwise.

The provisioned types are those `authorization.TOKEN_TYPES` decides from a provisioned token
(Central, eMAID, MacAddress, Local, EVCCID). Their codes are identifierStrings of up to 36 characters
(`TAG-001`, `100000C01`, `NL-TNM-C00122045-K`), kept as given and compared case-insensitively. A PIN
or an RFID card keeps the seed-001 rules and belongs to a local user; NoAuthorization is the
station's own decision, so there is nothing to provision. A group id (groupIdToken / parentIdTag; a
master pass is a group, C16) is an identifierString too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from evharness.idtokens import InvalidCode, normalize_identifier
from evharness.reference_backend.domain.authorization import PROVISIONED_TYPES, TokenSource, source_of
from evharness.reference_backend.domain.local_users import Status, check_expiry, check_status
from evharness.reference_backend.domain.problems import InvalidInput

ELSEWHERE: dict[TokenSource, str] = {
    TokenSource.IDENTIFICATION: "PIN codes and RFID cards belong to a local user "
    "(POST /api/stations/{identity}/local-users/{user_id}/identifications)",
    TokenSource.STATION: "NoAuthorization is the station's own decision: there is nothing to provision",
}


@dataclass(frozen=True, slots=True)
class TokenSpec:
    type: str
    code: str
    status: Status = "active"
    expires_at: datetime | None = None
    group_id: str | None = None


def _identifier(field: str, value: str) -> str:
    try:
        return normalize_identifier(value)
    except InvalidCode as exc:
        raise InvalidInput(field, str(exc)) from exc


def check_type(token_type: str) -> str:
    if token_type in PROVISIONED_TYPES:
        return token_type
    elsewhere = ELSEWHERE.get(source_of(token_type))
    raise InvalidInput("type", elsewhere or f"must be one of {', '.join(PROVISIONED_TYPES)}")


def check_token(
    token_type: str,
    code: str,
    status: str = "active",
    expires_at: datetime | None = None,
    group_id: str | None = None,
) -> TokenSpec:
    """The token as it is stored, or InvalidInput naming the first field that breaks a rule."""
    return TokenSpec(
        check_type(token_type),
        _identifier("code", code),
        check_status(status),
        check_expiry(expires_at),
        None if group_id is None else _identifier("group_id", group_id),
    )


def label(token_type: str, code: str) -> str:
    """How the audit trail names a token (its code is not a secret, unlike a PIN)."""
    return f"{token_type} {code}"
