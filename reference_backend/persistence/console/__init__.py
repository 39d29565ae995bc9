"""The console's reads and writes, one transaction per use case.

`with store.begin() as tx:` gives a `ConsoleTx` whose methods all run in one database transaction, so a
use case that checks, then writes several rows, either happens whole or not at all — and a refusal
raised half-way (a `Problem`) rolls everything back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from evharness.reference_backend.persistence.account_tables import (
    access_requests,
    agreement_acceptances,
    agreements,
    companies,
    company_applications,
    email_links,
    installations,
    memberships,
    onboarding_settings,
    partner_codes,
    sessions,
    sso_logins,
    users,
)
from evharness.reference_backend.persistence.console.accounts_tx import UsersTx
from evharness.reference_backend.persistence.console.companies_tx import CompaniesTx
from evharness.reference_backend.persistence.console.onboarding_tx import OnboardingTx


class ConsoleStore:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @contextmanager
    def begin(self) -> Iterator[ConsoleTx]:
        with self.engine.begin() as conn:
            yield ConsoleTx(conn)


class ConsoleTx(UsersTx, CompaniesTx, OnboardingTx):
    """One transaction's reads and writes, by area (one module each)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def row_counts(self) -> dict[str, int]:
        """Rows per console table: the tests' proof that a refusal wrote nothing."""
        tables = (
            users, companies, memberships, sessions, email_links, access_requests, company_applications,
            onboarding_settings, partner_codes, agreements, agreement_acceptances, installations, sso_logins,
        )  # fmt: skip
        return {
            table.name: int(self.conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
            for table in tables
        }
