"""Charging authorization (DESIGN §2, seed 001): the decision as ONE ordered table of rules.

Theory of operation: the store gathers the `Facts` about a token presented at a station; `decide`
walks `RULES` in order and the first rule that holds gives the `Verdict`. Each condition stands
on its own (order only sets precedence) and the last always holds, so every combination of facts
gets exactly one verdict. `STATUS` spells a verdict for an
OCPP version: 1.6 has no `Unknown` and says `Invalid` (OCPP 1.6 §7.2), 2.0.1 says `Unknown`
(C01.FR.07, C04.FR.01 accept Invalid or Unknown).

Which facts a token has depends on its type (2.0.1 IdTokenEnumType), one more table, `TOKEN_TYPES`:
a PIN (KeyCode) or an RFID card (ISO14443, ISO15693) is a local user's identification (seed 001,
under the station's enabled identification types); Central, eMAID, MacAddress, Local and EVCCID are
tokens an operator provisioned for the station (`/api/stations/{identity}/tokens`, `evharness
tokens`); NoAuthorization is the station's own decision (C01: it started without asking for one).
Any other type (2.1 widens the type to a string) is not supported: Invalid. A 1.6 idTag has no type:
`#` and digits is a PIN, anything else a card UID or, when no card has that code, a provisioned token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Status


class TokenSource(Enum):
    """Where the CSMS finds what it knows about a presented token."""

    IDENTIFICATION = "a local user's PIN or RFID card (seed 001)"
    PROVISIONED = "a token provisioned for the station"
    STATION = "the station's own decision: accepted"
    UNSUPPORTED = "not supported: invalid"


# 2.0.1 IdTokenEnumType → where its facts come from (docs/authorization.md shows this table)
TOKEN_TYPES: dict[str, TokenSource] = {
    "KeyCode": TokenSource.IDENTIFICATION,
    "ISO14443": TokenSource.IDENTIFICATION,
    "ISO15693": TokenSource.IDENTIFICATION,
    "Central": TokenSource.PROVISIONED,
    "eMAID": TokenSource.PROVISIONED,
    "MacAddress": TokenSource.PROVISIONED,
    "Local": TokenSource.PROVISIONED,
    "EVCCID": TokenSource.PROVISIONED,
    "NoAuthorization": TokenSource.STATION,
}
PROVISIONED_TYPES: tuple[str, ...] = tuple(t for t, s in TOKEN_TYPES.items() if s is TokenSource.PROVISIONED)


def source_of(token_type: str) -> TokenSource:
    return TOKEN_TYPES.get(token_type, TokenSource.UNSUPPORTED)


class Verdict(Enum):
    ACCEPTED = "accepted"
    BLOCKED = "blocked"
    CONCURRENT_TX = "concurrent transaction"
    EXPIRED = "expired"
    INVALID = "invalid"
    UNKNOWN = "unknown"
    RESERVED = "reserved for another token"


@dataclass(frozen=True, slots=True)
class Identification:
    """What the CSMS holds about a known code at this station."""

    user_blocked: bool
    active: bool
    expires_at: datetime | None
    in_other_transaction: bool  # used by a running transaction other than the one being checked


@dataclass(frozen=True, slots=True)
class Facts:
    presented_type: IdType | None  # None: a wire type that is neither a PIN nor an RFID card
    enabled_types: frozenset[IdType]
    identification: Identification | None  # None: the code is unknown at this station
    at_transaction_start: bool  # only then does ConcurrentTx apply (OCPP 1.6 §7.2, 2.0.1 C01)
    now: datetime
    source: TokenSource = TokenSource.IDENTIFICATION  # by the token's type (`TOKEN_TYPES`)
    reserved_for_other: bool = False  # the EVSE is reserved, not for this token nor its group (H03)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    holds: Callable[[Facts], bool]
    verdict: Verdict


def _known_and(test: Callable[[Identification, Facts], bool]) -> Callable[[Facts], bool]:
    """A condition on the identification; it never holds for an unknown code."""
    return lambda facts: facts.identification is not None and test(facts.identification, facts)


def _type_refused(f: Facts) -> bool:
    if f.source is TokenSource.UNSUPPORTED:
        return True
    identification = f.source is TokenSource.IDENTIFICATION
    return identification and (f.presented_type is None or f.presented_type not in f.enabled_types)


RULES: tuple[Rule, ...] = (
    Rule(
        "the station's own decision (NoAuthorization)",
        lambda f: f.source is TokenSource.STATION,
        Verdict.ACCEPTED,
    ),
    Rule("identification type not enabled at this station, or not supported", _type_refused, Verdict.INVALID),
    Rule("unknown code", lambda f: f.identification is None, Verdict.UNKNOWN),
    Rule("local user blocked", _known_and(lambda i, f: i.user_blocked), Verdict.BLOCKED),
    Rule("identification inactive", _known_and(lambda i, f: not i.active), Verdict.INVALID),
    Rule(
        "past its expiry date",
        _known_and(lambda i, f: i.expires_at is not None and i.expires_at <= f.now),
        Verdict.EXPIRED,
    ),
    Rule(
        "already in another running transaction",
        _known_and(lambda i, f: f.at_transaction_start and i.in_other_transaction),
        Verdict.CONCURRENT_TX,
    ),
    Rule(
        "starting on an EVSE reserved for another token",
        lambda f: f.at_transaction_start and f.reserved_for_other,
        Verdict.RESERVED,
    ),
    Rule("otherwise", lambda f: True, Verdict.ACCEPTED),
)


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    rule: str  # the name of the rule that decided, for logs and tests
    expires_at: datetime | None = None  # only on Accepted: when a station should drop it from its cache

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.ACCEPTED


def decide(facts: Facts) -> Decision:
    for rule in RULES:
        if rule.holds(facts):
            expiry = (
                facts.identification.expires_at
                if rule.verdict is Verdict.ACCEPTED and facts.identification
                else None
            )
            return Decision(rule.verdict, rule.name, expiry)
    raise AssertionError("the last rule always holds")  # pragma: no cover


_SAME_NAMES: dict[Verdict, str] = {
    Verdict.ACCEPTED: Status.ACCEPTED,
    Verdict.BLOCKED: Status.BLOCKED,
    Verdict.CONCURRENT_TX: Status.CONCURRENT_TX,
    Verdict.EXPIRED: Status.EXPIRED,
    Verdict.INVALID: Status.INVALID,
    Verdict.UNKNOWN: Status.UNKNOWN,
    Verdict.RESERVED: "NotAtThisTime",  # 2.0.1: the EVSE is not free for it now
}

STATUS: dict[OcppVersion, dict[Verdict, str]] = {
    OcppVersion.V16: _SAME_NAMES | {Verdict.UNKNOWN: Status.INVALID, Verdict.RESERVED: Status.INVALID},
    OcppVersion.V201: _SAME_NAMES,
    OcppVersion.V21: _SAME_NAMES,
}


def status_for(version: OcppVersion, decision: Decision) -> str:
    return STATUS[version][decision.verdict]


def render_token_types() -> str:
    """`TOKEN_TYPES` as docs/authorization.md shows it (a test keeps the two equal)."""
    lines = ["| IdTokenEnumType | decided from |", "|---|---|"]
    lines += [f"| `{token_type}` | {source.value} |" for token_type, source in TOKEN_TYPES.items()]
    lines.append(f"| any other | {TokenSource.UNSUPPORTED.value} |")
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    """The rule table as docs/authorization.md shows it (a test keeps the two equal)."""
    lines = [
        "| # | when | OCPP 1.6 idTagInfo | OCPP 2.0.1 / 2.1 idTokenInfo |",
        "|---|---|---|---|",
    ]
    for number, rule in enumerate(RULES, start=1):
        v16, v201 = STATUS[OcppVersion.V16][rule.verdict], STATUS[OcppVersion.V201][rule.verdict]
        lines.append(f"| {number} | {rule.name} | `{v16}` | `{v201}` |")
    return "\n".join(lines) + "\n"
