"""Charging authorization (DESIGN §2, seed 001): the decision as ONE ordered table of rules.

Theory of operation: the store gathers the `Facts` about a token presented at a station; `decide`
walks `RULES` in order and the first rule that holds gives the `Verdict`. Each condition stands
on its own (order only sets precedence) and the last always holds, so every combination of facts
gets exactly one verdict. `STATUS` spells a verdict for an
OCPP version: 1.6 has no `Unknown` and says `Invalid` (OCPP 1.6 §7.2), 2.0.1 says `Unknown`
(C01.FR.07, C04.FR.01 accept Invalid or Unknown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Status


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
    reserved_for_other: bool = False  # the EVSE is reserved, not for this token nor its group (H03)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    holds: Callable[[Facts], bool]
    verdict: Verdict


def _known_and(test: Callable[[Identification, Facts], bool]) -> Callable[[Facts], bool]:
    """A condition on the identification; it never holds for an unknown code."""
    return lambda facts: facts.identification is not None and test(facts.identification, facts)


RULES: tuple[Rule, ...] = (
    Rule(
        "identification type not enabled at this station",
        lambda f: f.presented_type is None or f.presented_type not in f.enabled_types,
        Verdict.INVALID,
    ),
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
