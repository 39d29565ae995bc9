"""The console store on SQLite and PostgreSQL: a use case is all or nothing, links work once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from evharness.reference_backend.domain.onboarding import CompanyDetails, OnboardingSettings
from evharness.reference_backend.domain.problems import Conflict
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.console import ConsoleStore

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.fixture
def console_store(store: Store) -> ConsoleStore:
    return ConsoleStore(store.engine)


def test_a_refusal_inside_a_use_case_rolls_everything_back(console_store: ConsoleStore) -> None:
    with console_store.begin() as tx:
        before = tx.row_counts()

    def refused_half_way() -> None:
        with console_store.begin() as tx:
            user_id = tx.add_user("ada@example.com", "Ada", "hash", NOW)
            company_id = tx.add_company(CompanyDetails("Acme", "NO"), "installer", "active", NOW)
            tx.add_membership(user_id, company_id, "admin", NOW)
            raise Conflict("changed my mind")

    with pytest.raises(Conflict):
        refused_half_way()
    with console_store.begin() as tx:
        assert tx.row_counts() == before


def test_emails_are_unique(console_store: ConsoleStore) -> None:
    with console_store.begin() as tx:
        tx.add_user("ada@example.com", "Ada", "hash", NOW)
    with pytest.raises(sa.exc.IntegrityError), console_store.begin() as tx:
        tx.add_user("ada@example.com", "Ada again", "hash", NOW)


def test_a_link_is_used_once(console_store: ConsoleStore) -> None:
    with console_store.begin() as tx:
        tx.add_link("h" * 64, "confirm", "ada@example.com", NOW, NOW + timedelta(hours=1))
    with console_store.begin() as tx:
        assert tx.use_link("h" * 64, NOW)
    with console_store.begin() as tx:
        assert not tx.use_link("h" * 64, NOW)  # the guard of a second, concurrent use
        link = tx.link("h" * 64, "confirm")
        assert tx.link("h" * 64, "reset") is None  # a token is only good for its purpose
    assert link is not None
    assert link.used_at == NOW


def test_current_agreements_are_the_newest_version_per_type(console_store: ConsoleStore) -> None:
    with console_store.begin() as tx:
        tx.add_agreement("customer_personal", "Terms", "v1", NOW)
        newest = tx.add_agreement("customer_personal", "Terms", "v2", NOW)
        partner = tx.add_agreement("partner", "Partner terms", "p1", NOW)
        user_id = tx.add_user("ada@example.com", "Ada", None, NOW)
        tx.accept_agreement(user_id, newest.id, NOW)
        tx.accept_agreement(user_id, newest.id, NOW + timedelta(seconds=5))  # accepting twice keeps the first
    with console_store.begin() as tx:
        assert [(a.company_type, a.version) for a in tx.current_agreements()] == [
            ("customer_personal", 2),
            ("partner", 1),
        ]
        assert [a.id for a in tx.current_agreements(["partner"])] == [partner.id]
        assert [(a.version, a.accepted_at) for a in tx.acceptances(user_id)] == [(2, NOW)]


def test_onboarding_settings_default_to_all_off_and_are_saved_whole(console_store: ConsoleStore) -> None:
    with console_store.begin() as tx:
        assert tx.onboarding_settings() == OnboardingSettings()
        tx.save_onboarding_settings(OnboardingSettings(customer_personal=True, default_location=True))
        tx.save_onboarding_settings(OnboardingSettings(data_recipient=True))
    with console_store.begin() as tx:
        assert tx.onboarding_settings() == OnboardingSettings(data_recipient=True)


def test_company_search_escapes_like_wildcards(console_store: ConsoleStore) -> None:
    with console_store.begin() as tx:
        tx.add_company(CompanyDetails("100% Electric", "NO"), "installer", "active", NOW)
        tx.add_company(CompanyDetails("Other", "NO"), "installer", "active", NOW)
        tx.add_company(CompanyDetails("Hidden 100% Pending", "NO"), "data_recipient", "pending", NOW)
        tx.add_company(CompanyDetails("Pia 100% Private", "NO"), "customer_personal", "active", NOW)
    with console_store.begin() as tx:
        assert [c.name for c in tx.find_companies("%")] == ["100% Electric"]
        assert [c.name for c in tx.find_companies("")] == ["100% Electric", "Other"]


def test_an_sso_state_works_once_and_expires(console_store: ConsoleStore) -> None:
    with console_store.begin() as tx:
        tx.add_sso_login("s" * 64, "nonce", "verifier", NOW, NOW + timedelta(minutes=10))
        tx.add_sso_login("t" * 64, "nonce2", "verifier2", NOW, NOW + timedelta(minutes=10))
    with console_store.begin() as tx:
        assert tx.take_sso_login("s" * 64, NOW) == ("nonce", "verifier")
        assert tx.take_sso_login("s" * 64, NOW) is None
        assert tx.take_sso_login("t" * 64, NOW + timedelta(minutes=11)) is None
