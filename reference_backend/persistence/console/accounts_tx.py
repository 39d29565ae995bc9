"""Users, their sessions, emailed links and SSO logins in flight."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.persistence.account_tables import email_links, sessions, sso_logins, users
from evharness.reference_backend.persistence.console.base import TxBase, inserted_id
from evharness.reference_backend.persistence.console_records import LinkRecord, UserRecord


class UsersTx(TxBase):
    # -- users --------------------------------------------------------------------------------

    def user(self, user_id: int) -> UserRecord | None:
        row = self._one(sa.select(users).where(users.c.id == user_id))
        return _user(row) if row else None

    def user_by_email(self, email: str) -> UserRecord | None:
        row = self._one(sa.select(users).where(users.c.email == email))
        return _user(row) if row else None

    def user_by_subject(self, issuer: str, subject: str) -> UserRecord | None:
        row = self._one(
            sa.select(users).where((users.c.oidc_issuer == issuer) & (users.c.oidc_subject == subject))
        )
        return _user(row) if row else None

    def add_user(
        self,
        email: str,
        name: str,
        password_hash: str | None,
        at: datetime,
        *,
        confirmed: bool = False,
        oidc: tuple[str, str] | None = None,
    ) -> int:
        issuer, subject = oidc if oidc else (None, None)
        result = self.conn.execute(
            sa.insert(users).values(
                email=email,
                name=name,
                password_hash=password_hash,
                created_at=at,
                confirmed_at=at if confirmed else None,
                oidc_issuer=issuer,
                oidc_subject=subject,
            )
        )
        return inserted_id(result)

    def confirm_user(self, user_id: int, at: datetime) -> None:
        self.conn.execute(
            sa.update(users)
            .where((users.c.id == user_id) & users.c.confirmed_at.is_(None))
            .values(confirmed_at=at)
        )

    def set_password(self, user_id: int, password_hash: str) -> None:
        self.conn.execute(sa.update(users).where(users.c.id == user_id).values(password_hash=password_hash))

    def user_count(self) -> int:
        return int(self.conn.scalar(sa.select(sa.func.count()).select_from(users)) or 0)

    # -- sessions -----------------------------------------------------------------------------

    def add_session(self, token_hash: str, user_id: int, at: datetime, expires_at: datetime) -> None:
        self.conn.execute(
            sa.insert(sessions).values(
                token_hash=token_hash, user_id=user_id, created_at=at, expires_at=expires_at
            )
        )

    def session_user(self, token_hash: str, now: datetime) -> int | None:
        found = self.conn.scalar(
            sa.select(sessions.c.user_id).where(
                (sessions.c.token_hash == token_hash) & (sessions.c.expires_at > now)
            )
        )
        return int(found) if found is not None else None

    def end_session(self, token_hash: str) -> None:
        self.conn.execute(sa.delete(sessions).where(sessions.c.token_hash == token_hash))

    def end_sessions_of(self, user_id: int) -> None:
        self.conn.execute(sa.delete(sessions).where(sessions.c.user_id == user_id))

    # -- email links --------------------------------------------------------------------------

    def add_link(
        self,
        token_hash: str,
        purpose: str,
        email: str,
        at: datetime,
        expires_at: datetime,
        *,
        user_id: int | None = None,
        account_type: str | None = None,
        issuer: str | None = None,
        subject: str | None = None,
        name: str | None = None,
    ) -> None:
        self.conn.execute(
            sa.insert(email_links).values(
                token_hash=token_hash,
                purpose=purpose,
                email=email,
                user_id=user_id,
                account_type=account_type,
                issuer=issuer,
                subject=subject,
                name=name,
                created_at=at,
                expires_at=expires_at,
            )
        )

    def link(self, token_hash: str, purpose: str) -> LinkRecord | None:
        row = self._one(
            sa.select(email_links).where(
                (email_links.c.token_hash == token_hash) & (email_links.c.purpose == purpose)
            )
        )
        if row is None:
            return None
        return LinkRecord(
            purpose=row.purpose,
            email=row.email,
            user_id=row.user_id,
            account_type=row.account_type,
            issuer=row.issuer,
            subject=row.subject,
            name=row.name,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    def use_link(self, token_hash: str, at: datetime) -> bool:
        """Mark the link used; False if someone used it in the meantime (the update is the guard)."""
        result = self.conn.execute(
            sa.update(email_links)
            .where((email_links.c.token_hash == token_hash) & email_links.c.used_at.is_(None))
            .values(used_at=at)
        )
        return result.rowcount == 1

    def expire_links(self, email: str, at: datetime) -> int:
        """Make every open link of `email` expired (tests and operators use it; the API never does)."""
        result = self.conn.execute(
            sa.update(email_links)
            .where((email_links.c.email == email) & email_links.c.used_at.is_(None))
            .values(expires_at=at)
        )
        return result.rowcount

    # -- SSO logins in flight -----------------------------------------------------------------

    def add_sso_login(
        self, state_hash: str, nonce: str, code_verifier: str, at: datetime, expires_at: datetime
    ) -> None:
        self.conn.execute(
            sa.insert(sso_logins).values(
                state_hash=state_hash,
                nonce=nonce,
                code_verifier=code_verifier,
                created_at=at,
                expires_at=expires_at,
            )
        )

    def take_sso_login(self, state_hash: str, now: datetime) -> tuple[str, str] | None:
        """(nonce, code verifier) of a login started here and not expired; each state works once."""
        row = self._one(sa.select(sso_logins).where(sso_logins.c.state_hash == state_hash))
        if row is None:
            return None
        self.conn.execute(sa.delete(sso_logins).where(sso_logins.c.state_hash == state_hash))
        if row.expires_at <= now:
            return None
        return row.nonce, row.code_verifier

    def link_subject(self, user_id: int, issuer: str, subject: str) -> None:
        self.conn.execute(
            sa.update(users).where(users.c.id == user_id).values(oidc_issuer=issuer, oidc_subject=subject)
        )


def _user(row: Any) -> UserRecord:
    return UserRecord(row.id, row.email, row.name, row.password_hash, row.created_at, row.confirmed_at)
