"""A reference backend on free ports for the console pages, mailing through a real SMTP server.

People are made the way the onboarding suites make them (sign up, confirm by the emailed link), except
where a test is about something else: companies straight in the database, as the roles suites do.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.console import operator
from evharness.reference_backend.domain.onboarding import CompanyDetails
from evharness.simulator.asyncio.portal import BackgroundLoop
from features.onboarding.conftest import PASSWORD, start_backend
from features.onboarding.mailbox import Mailbox

_numbers = itertools.count(1)


@dataclass
class ConsoleSite:
    loop: BackgroundLoop
    backend: BackendServer
    mailbox: Mailbox
    http: httpx.Client
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.backend.api_port}"

    def address(self, name: str) -> str:
        return f"{name.lower()}-{next(_numbers)}-{uuid.uuid4().hex[:6]}@example.com"

    def call(self, method: str, path: str, email: str | None = None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[email]}"} if email else {}
        answer = self.http.request(method, path, headers=headers, json=body)
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None

    def mail_link(self, email: str, subject: str, after: int = 0) -> str:
        return self.mailbox.wait(email, subject, after=after).link()

    def person(self, name: str) -> str:
        """A confirmed account, logged in over the API; its email."""
        email = self.address(name)
        self.call("POST", "/api/accounts", body={"email": email, "name": name, "password": PASSWORD})
        confirmed = self.http.get(self.mail_link(email, "Confirm your"))
        assert confirmed.status_code == 200, confirmed.text
        self.log_in(email)
        return email

    def log_in(self, email: str, password: str = PASSWORD) -> None:
        session = self.call("POST", "/api/session", body={"email": email, "password": password})
        self.tokens[email] = session["token"]

    def operator(self, name: str = "Olga") -> str:
        email = self.address(name)
        operator.create_admin(self.backend.console, email, name, PASSWORD)
        self.log_in(email)
        return email

    def company(self, name: str, kind: str, admin: str) -> int:
        console = self.backend.console
        with console.store.begin() as tx:
            company = tx.add_company(CompanyDetails(name, "NO", None, None), kind, "active", console.now())
            user = tx.user_by_email(admin)
            assert user is not None
            tx.add_membership(user.id, company, "admin", datetime.now(UTC))
        return company


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


@pytest.fixture(scope="module")
def console_loop() -> Iterator[BackgroundLoop]:
    with BackgroundLoop("console-pages") as loop:
        yield loop


@pytest.fixture
def site(console_loop: BackgroundLoop, mailbox: Mailbox, tmp_path: Path) -> Iterator[ConsoleSite]:
    backend = start_backend(console_loop, tmp_path, mailbox)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{backend.api_port}", timeout=30) as client:
            yield ConsoleSite(console_loop, backend, mailbox, client)
    finally:
        console_loop.run(backend.stop())
