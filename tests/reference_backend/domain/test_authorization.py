"""The authorization decision table (DESIGN §2, seed 001) against a reference model written as plain ifs."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.idtokens import IdType
from evharness.ocppj import schemas
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.authorization import (
    RULES,
    STATUS,
    Decision,
    Facts,
    Identification,
    Verdict,
    decide,
    render_markdown,
    status_for,
)

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
EXPIRIES = (None, NOW - timedelta(days=1), NOW, NOW + timedelta(days=1))
ENABLED = [frozenset(c) for n in range(3) for c in itertools.combinations(IdType, n)]

identifications = st.builds(
    Identification,
    user_blocked=st.booleans(),
    active=st.booleans(),
    expires_at=st.sampled_from(EXPIRIES),
    in_other_transaction=st.booleans(),
)
all_facts = st.builds(
    Facts,
    presented_type=st.none() | st.sampled_from(IdType),
    enabled_types=st.sampled_from(ENABLED),
    identification=st.none() | identifications,
    at_transaction_start=st.booleans(),
    now=st.just(NOW),
)


def expected_verdict(facts: Facts) -> Verdict:
    """DESIGN §2, read literally."""
    if facts.presented_type is None or facts.presented_type not in facts.enabled_types:
        return Verdict.INVALID
    ident = facts.identification
    if ident is None:
        return Verdict.UNKNOWN
    if ident.user_blocked:
        return Verdict.BLOCKED
    if not ident.active:
        return Verdict.INVALID
    if ident.expires_at is not None and ident.expires_at <= facts.now:
        return Verdict.EXPIRED
    if facts.at_transaction_start and ident.in_other_transaction:
        return Verdict.CONCURRENT_TX
    return Verdict.ACCEPTED


def every_combination() -> list[Facts]:
    idents = [None] + [
        Identification(*values)
        for values in itertools.product((False, True), (False, True), EXPIRIES, (False, True))
    ]
    return [
        Facts(presented, enabled, ident, start, NOW)
        for presented, enabled, ident, start in itertools.product(
            (None, *IdType), ENABLED, idents, (False, True)
        )
    ]


def valid_in_schema(version: OcppVersion, status: str) -> bool:
    """Whether the version's official AuthorizeResponse schema takes this status."""
    validate = schemas.validator(version, "Authorize", response=True)
    assert validate is not None
    info = "idTagInfo" if version is OcppVersion.V16 else "idTokenInfo"
    return schemas.check(validate, {info: {"status": status}}) is None


@given(all_facts)
def test_the_table_decides_as_the_design_says(facts: Facts) -> None:
    assert decide(facts).verdict is expected_verdict(facts)


@pytest.mark.parametrize("version", list(OcppVersion))
def test_every_combination_of_facts_gets_exactly_one_status_of_the_version(version: OcppVersion) -> None:
    for facts in every_combination():
        holding = [rule for rule in RULES if rule.holds(facts)]
        decision = decide(facts)
        assert holding, facts
        assert decision.rule == holding[0].name  # the first rule that holds decides, alone
        assert valid_in_schema(version, status_for(version, decision))


@given(all_facts)
def test_an_expiry_travels_only_with_an_acceptance(facts: Facts) -> None:
    decision = decide(facts)
    if decision.verdict is Verdict.ACCEPTED:
        assert facts.identification is not None
        assert decision.expires_at == facts.identification.expires_at
    else:
        assert decision.expires_at is None


def test_unknown_is_invalid_on_16_and_unknown_on_201() -> None:
    unknown = Decision(Verdict.UNKNOWN, "unknown code")
    assert status_for(OcppVersion.V16, unknown) == "Invalid"
    assert status_for(OcppVersion.V201, unknown) == "Unknown"
    assert status_for(OcppVersion.V21, unknown) == "Unknown"
    assert all(set(STATUS[v]) == set(Verdict) for v in OcppVersion)


def test_concurrent_transaction_only_counts_at_the_start() -> None:
    busy = Identification(user_blocked=False, active=True, expires_at=None, in_other_transaction=True)
    both = frozenset(IdType)
    assert decide(Facts(IdType.PIN, both, busy, True, NOW)).verdict is Verdict.CONCURRENT_TX
    assert decide(Facts(IdType.PIN, both, busy, False, NOW)).verdict is Verdict.ACCEPTED


def test_a_disabled_type_is_refused_before_anything_is_looked_at() -> None:
    decision = decide(Facts(IdType.RFID, frozenset({IdType.PIN}), None, False, NOW))
    assert decision.verdict is Verdict.INVALID
    assert "not enabled" in decision.rule


def test_the_docs_show_the_rule_table_as_the_code_has_it() -> None:
    text = (Path(__file__).resolve().parents[3] / "docs/authorization.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- decision:start -->\n(.*?)<!-- decision:end -->", text, re.S)
    assert found, "docs/authorization.md has no <!-- decision:start --> … <!-- decision:end --> block"
    assert found.group(1) == render_markdown(), "regenerate the table from authorization.RULES"
    assert render_markdown().count("\n| ") == len(RULES)
