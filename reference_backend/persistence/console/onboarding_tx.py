"""What the operator configures: onboarding settings, partner codes, agreements (and acceptances)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.domain.onboarding import OnboardingSettings
from evharness.reference_backend.persistence.account_tables import (
    agreement_acceptances,
    agreements,
    onboarding_settings,
    partner_codes,
)
from evharness.reference_backend.persistence.console.base import TxBase, inserted_id
from evharness.reference_backend.persistence.console_records import AcceptanceRecord, AgreementRecord


class OnboardingTx(TxBase):
    # -- onboarding settings and partner codes ------------------------------------------------

    def onboarding_settings(self) -> OnboardingSettings:
        row = self._one(sa.select(onboarding_settings).where(onboarding_settings.c.id == 1))
        if row is None:
            return OnboardingSettings()
        values = row._asdict()
        values.pop("id")
        return OnboardingSettings(**values)

    def save_onboarding_settings(self, settings: OnboardingSettings) -> None:
        values = {name: getattr(settings, name) for name in OnboardingSettings.__dataclass_fields__}
        updated = self.conn.execute(
            sa.update(onboarding_settings).where(onboarding_settings.c.id == 1).values(**values)
        ).rowcount
        if not updated:
            self.conn.execute(sa.insert(onboarding_settings).values(id=1, **values))

    def add_partner_code(self, code: str, at: datetime) -> None:
        self.conn.execute(sa.insert(partner_codes).values(code=code, created_at=at))

    def partner_code_free(self, code: str) -> bool | None:
        """True: issued and unused; False: used already; None: never issued."""
        row = self._one(sa.select(partner_codes.c.used_by_company).where(partner_codes.c.code == code))
        if row is None:
            return None
        return row.used_by_company is None

    def partner_codes(self) -> list[tuple[str, int | None]]:
        rows = self.conn.execute(
            sa.select(partner_codes.c.code, partner_codes.c.used_by_company).order_by(partner_codes.c.code)
        )
        return [(row.code, row.used_by_company) for row in rows]

    def use_partner_code(self, code: str, company_id: int) -> bool:
        result = self.conn.execute(
            sa.update(partner_codes)
            .where((partner_codes.c.code == code) & partner_codes.c.used_by_company.is_(None))
            .values(used_by_company=company_id)
        )
        return result.rowcount == 1

    # -- agreements ---------------------------------------------------------------------------

    def add_agreement(self, company_type: str, title: str, text: str, at: datetime) -> AgreementRecord:
        latest = self.conn.scalar(
            sa.select(sa.func.max(agreements.c.version)).where(agreements.c.company_type == company_type)
        )
        version = int(latest or 0) + 1
        result = self.conn.execute(
            sa.insert(agreements).values(
                company_type=company_type, version=version, title=title, text=text, published_at=at
            )
        )
        return AgreementRecord(inserted_id(result), company_type, version, title, text, at)

    def current_agreements(self, company_types: Sequence[str] | None = None) -> list[AgreementRecord]:
        """The newest version of each type's agreement (of the given types, or all)."""
        newest = (
            sa.select(agreements.c.company_type, sa.func.max(agreements.c.version).label("version"))
            .group_by(agreements.c.company_type)
            .subquery()
        )
        statement = sa.select(agreements).join(
            newest,
            (agreements.c.company_type == newest.c.company_type) & (agreements.c.version == newest.c.version),
        )
        if company_types is not None:
            statement = statement.where(agreements.c.company_type.in_(list(company_types)))
        rows = self.conn.execute(statement.order_by(agreements.c.company_type))
        return [_agreement(row) for row in rows]

    def agreement(self, agreement_id: int) -> AgreementRecord | None:
        row = self._one(sa.select(agreements).where(agreements.c.id == agreement_id))
        return _agreement(row) if row else None

    def accept_agreement(self, user_id: int, agreement_id: int, at: datetime) -> None:
        exists = self.conn.scalar(
            sa.select(sa.func.count())
            .select_from(agreement_acceptances)
            .where(
                (agreement_acceptances.c.user_id == user_id)
                & (agreement_acceptances.c.agreement_id == agreement_id)
            )
        )
        if not exists:
            self.conn.execute(
                sa.insert(agreement_acceptances).values(
                    user_id=user_id, agreement_id=agreement_id, accepted_at=at
                )
            )

    def accepted_ids(self, user_id: int) -> set[int]:
        return set(
            self.conn.scalars(
                sa.select(agreement_acceptances.c.agreement_id).where(
                    agreement_acceptances.c.user_id == user_id
                )
            )
        )

    def acceptances(self, user_id: int) -> list[AcceptanceRecord]:
        rows = self.conn.execute(
            sa.select(
                agreements.c.id,
                agreements.c.company_type,
                agreements.c.version,
                agreement_acceptances.c.accepted_at,
            )
            .join(agreement_acceptances, agreement_acceptances.c.agreement_id == agreements.c.id)
            .where(agreement_acceptances.c.user_id == user_id)
            .order_by(agreements.c.company_type, agreements.c.version)
        )
        return [AcceptanceRecord(row.id, row.company_type, row.version, row.accepted_at) for row in rows]


def _agreement(row: Any) -> AgreementRecord:
    return AgreementRecord(row.id, row.company_type, row.version, row.title, row.text, row.published_at)
