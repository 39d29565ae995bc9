"""Console API load: a real account journey per user. NOT run by default.

With `--outbox-dir` (the reference backend's own `--outbox-dir`, same name and variable), each user signs
up (`POST /api/accounts`), reads its confirmation link from the outbox, confirms (`POST
/api/accounts/confirm`), logs in once (`POST /api/session`), browses with its bearer token (`GET /api/me`,
`/api/stations`, `/api/companies`, each page ROUNDS times), logs out (`DELETE /api/session`) and starts
over with a fresh account. One login per journey, and a journey waits at least 7 × 0.5 s, so a user logs in
at most 20 times a minute.

Without it the mails are out of reach (SMTP, or another machine): each user signs up, checks that a
login of the unconfirmed account is refused with 401 (still the full login path) and starts over, at
most 60 logins a minute; the first user says once that it cannot confirm.

Login limits: every user comes from 127.0.0.1, so start the backend with `--login-limit-client` ≥ 60 ×
users (the default, 30 a minute, is for people). Wrong passwords never happen by design, so the
per-account limit stays out of reach. A 429 is a failure that says a limit was hit.

Add it to a run explicitly, with its own URL:

    locust -f loadtests/locustfile.py,loadtests/console.py --host ws://127.0.0.1:9000/ocpp \\
           --console-url http://127.0.0.1:8000 --outbox-dir var/outbox …

The console URL is `--console-url` / EVHARNESS_CONSOLE_URL (Locust's `--host` is the OCPP target).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task
from locust.clients import ResponseContextManager
from locust.env import Environment

from evharness.loadtests import options  # noqa: F401  (registers --console-url, --outbox-dir)
from evharness.loadtests.mailbox import find_confirmation_token, is_complete, refusal_reason
from evharness.loadtests.settings import LoadSettings

__all__ = ["ConsoleUser"]

log = logging.getLogger("evharness.loadtests.console")

PAGES = ("/api/me", "/api/stations", "/api/companies")  # what a logged-in user reads
ROUNDS = 2  # reads of each page per login: a journey waits ≥ 7 × 0.5 s, so ≤ 20 logins a minute a user
MAIL_POLL_S = 0.1
_told_unconfirmed = False


class ConsoleUser(HttpUser):
    """One account per user: sign up, confirm from the outbox, log in, browse; or, without an outbox,
    sign up and check that the unconfirmed account's logins are refused."""

    wait_time = between(0.5, 2.0)

    def __init__(self, environment: Environment) -> None:
        settings = LoadSettings.from_options(environment.parsed_options)
        self.host = settings.console_url.rstrip("/")  # not Locust's --host: that one is the OCPP target
        super().__init__(environment)
        self.outbox = Path(settings.outbox_dir) if settings.outbox_dir else None
        self.mail_timeout_s = settings.call_timeout_s
        self.read_mails: set[str] = set()  # outbox file names already read
        if self.outbox is None:
            _say_once_unconfirmed()
        self.begin()

    def begin(self) -> None:
        """A new journey with a fresh account."""
        self.email = f"load-{uuid.uuid4().hex[:16]}@example.com"
        self.password = f"Load-{uuid.uuid4().hex}"  # upper, lower, digits and a symbol: strong enough
        self.confirm_token: str | None = None
        self.bearer: str | None = None
        self.page = 0
        # The journey's set-up steps still to do, in order; each returns whether it succeeded (else: retried).
        self.pending: list[Callable[[], bool]] = [self.sign_up]
        if self.outbox is not None:
            self.pending += [self.read_link, self.confirm, self.log_in]

    def on_start(self) -> None:
        while self.pending and self.pending[0]():
            self.pending.pop(0)

    @task
    def go_on(self) -> None:
        """The next set-up step (again, if it failed), else the account's work: browse, then log out."""
        if self.pending:
            if self.pending[0]():
                self.pending.pop(0)
        elif self.outbox is None:
            self.refused_login()
            self.begin()
        elif self.page < len(PAGES) * ROUNDS:
            self.browse()
        else:
            self.log_out()
            self.begin()

    def sign_up(self) -> bool:
        body = {"email": self.email, "password": self.password, "name": "Load Tester"}
        return self._call("POST", "/api/accounts", "sign-up", (202,), json=body) is not None

    def read_link(self) -> bool:
        """Wait for the confirmation mail in the outbox; one `Mail` request, failed on timeout."""
        assert self.outbox is not None
        started = time.perf_counter()
        deadline = started + self.mail_timeout_s
        read = 0
        while True:
            # Only files this user has not read yet: a mail for its fresh address is always a new file.
            fresh = [p for p in sorted(self.outbox.glob("*.eml")) if p.name not in self.read_mails]
            mails = [path.read_bytes() for path in fresh]
            self.read_mails.update(
                path.name for path, raw in zip(fresh, mails, strict=True) if is_complete(raw)
            )
            read += sum(len(raw) for raw in mails)
            self.confirm_token = find_confirmation_token(mails, self.email)
            if self.confirm_token is not None or time.perf_counter() > deadline:
                break
            time.sleep(MAIL_POLL_S)  # cooperative: Locust has monkey-patched time
        failure = None
        if self.confirm_token is None:
            failure = RuntimeError(
                f"no confirmation mail for the account in {self.outbox} after {self.mail_timeout_s:g} s "
                "(is it the backend's --outbox-dir, and the backend without --smtp-url?)"
            )
        self.environment.events.request.fire(
            request_type="Mail",
            name="confirmation link",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=read,
            exception=failure,
            context={},
        )
        return failure is None

    def confirm(self) -> bool:
        body = {"token": self.confirm_token}
        return self._call("POST", "/api/accounts/confirm", "confirm", (200,), json=body) is not None

    def log_in(self) -> bool:
        body = {"email": self.email, "password": self.password}
        answer = self._call("POST", "/api/session", "login", (201,), json=body)
        token = answer.get("token") if isinstance(answer, dict) else None
        self.bearer = token if isinstance(token, str) else None
        return self.bearer is not None

    def browse(self) -> None:
        path = PAGES[self.page % len(PAGES)]
        self.page += 1
        self._call("GET", path, f"GET {path}", (200,), headers=self._authorization())

    def log_out(self) -> None:
        self._call("DELETE", "/api/session", "logout", (204,), headers=self._authorization())
        self.bearer = None

    def refused_login(self) -> None:
        body = {"email": self.email, "password": self.password}
        self._call("POST", "/api/session", "login (unconfirmed)", (401,), json=body)

    def _authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.bearer}"}

    def _call(self, method: str, path: str, name: str, expected: tuple[int, ...], **kwargs: Any) -> Any:
        """One named request; its JSON answer (or {}) when the status is expected, else None + failure."""
        response: ResponseContextManager
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as response:
            try:
                body = response.json() if response.content else {}
            except ValueError:
                body = {}
            if response.status_code in expected:
                response.success()
                return body if body is not None else {}
            response.failure(
                refusal_reason(name, response.status_code, body, response.headers.get("Retry-After"))
            )
            return None


def _say_once_unconfirmed() -> None:
    global _told_unconfirmed
    if not _told_unconfirmed:
        _told_unconfirmed = True
        log.warning(
            "console user: no --outbox-dir (EVHARNESS_OUTBOX_DIR), so accounts cannot be confirmed; "
            "checking only that unconfirmed logins are refused"
        )
