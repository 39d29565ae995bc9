"""Tables of the console: accounts, companies, memberships, onboarding, agreements, installations.

They share `tables.metadata`, so `Store.create_schema` creates them with the station tables. Secrets
(session tokens, email links) are kept as SHA-256 hashes only; passwords as argon2 hashes.
"""

from __future__ import annotations

import sqlalchemy as sa

from evharness.reference_backend.persistence.tables import UtcDateTime, metadata


def _user_fk(name: str = "user_id", *, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=nullable)


def _company_fk(*, nullable: bool = False) -> sa.Column[int]:
    return sa.Column("company_id", sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=nullable)


users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(254), nullable=False, unique=True),  # normalised, see domain.validation
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("password_hash", sa.String(200)),  # null: signs in only through SSO
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("confirmed_at", UtcDateTime),  # null: cannot log in yet
    sa.Column("oidc_issuer", sa.String(300)),
    sa.Column("oidc_subject", sa.String(255)),
    sa.UniqueConstraint("oidc_issuer", "oidc_subject"),
)

companies = sa.Table(
    "companies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),  # domain.onboarding.CompanyType
    sa.Column("status", sa.String(16), nullable=False),  # active | pending (data recipient) | rejected
    sa.Column("country", sa.String(2)),
    sa.Column("address", sa.String(200)),
    sa.Column("vat_id", sa.String(32)),
    sa.Column("partner_code", sa.String(32), unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

memberships = sa.Table(
    "memberships",
    metadata,
    _user_fk(),
    _company_fk(),
    sa.Column("role", sa.String(16), nullable=False),  # admin | member
    sa.Column("since", UtcDateTime, nullable=False),
    sa.PrimaryKeyConstraint("user_id", "company_id"),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    _user_fk(),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
)

email_links = sa.Table(
    "email_links",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("purpose", sa.String(16), nullable=False),  # confirm | reset | register | sso
    sa.Column("email", sa.String(254), nullable=False),
    _user_fk(nullable=True),
    sa.Column("account_type", sa.String(32)),  # register: what the person registers as
    sa.Column("issuer", sa.String(300)),  # sso: the identity provider
    sa.Column("subject", sa.String(255)),  # sso: the identity provider's `sub`
    sa.Column("name", sa.String(100)),  # sso: the name the provider gave
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("used_at", UtcDateTime),
)

access_requests = sa.Table(
    "access_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _user_fk(),
    _company_fk(),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    _user_fk("decided_by", nullable=True),
    sa.Column("decided_at", UtcDateTime),
)

company_applications = sa.Table(
    "company_applications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _user_fk("applicant_id"),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("address", sa.String(200)),
    sa.Column("vat_id", sa.String(32)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    _user_fk("decided_by", nullable=True),
    sa.Column("decided_at", UtcDateTime),
    sa.Column("company_id", sa.ForeignKey("companies.id", ondelete="SET NULL")),
)

onboarding_settings = sa.Table(
    "onboarding_settings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # one row, id 1
    sa.Column("customer_business", sa.Boolean, nullable=False),
    sa.Column("customer_personal", sa.Boolean, nullable=False),
    sa.Column("channel_partner", sa.Boolean, nullable=False),
    sa.Column("data_recipient", sa.Boolean, nullable=False),
    sa.Column("channel_partner_without_code", sa.Boolean, nullable=False),
    sa.Column("default_location", sa.Boolean, nullable=False),
    sa.Column("sso_customer_creation", sa.Boolean, nullable=False),
)

partner_codes = sa.Table(
    "partner_codes",
    metadata,
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("used_by_company", sa.ForeignKey("companies.id", ondelete="SET NULL")),
)

agreements = sa.Table(
    "agreements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_type", sa.String(32), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("published_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("company_type", "version"),
)

agreement_acceptances = sa.Table(
    "agreement_acceptances",
    metadata,
    _user_fk(),
    sa.Column("agreement_id", sa.ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False),
    sa.Column("accepted_at", UtcDateTime, nullable=False),
    sa.PrimaryKeyConstraint("user_id", "agreement_id"),
)

installations = sa.Table(
    "installations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _company_fk(),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

sso_logins = sa.Table(
    "sso_logins",
    metadata,
    sa.Column("state_hash", sa.String(64), primary_key=True),  # the OAuth `state`, hashed
    sa.Column("nonce", sa.String(64), nullable=False),
    sa.Column("code_verifier", sa.String(128), nullable=False),  # PKCE (RFC 7636)
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
)
