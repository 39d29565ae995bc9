"""What every use case needs, in one object the backend builds once."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from evharness.reference_backend.console.mail import Mailer, Message
from evharness.reference_backend.console.passwords import Passwords
from evharness.reference_backend.domain.ratelimit import SlidingWindow
from evharness.reference_backend.persistence.console import ConsoleStore

SESSION_TTL = timedelta(hours=12)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str


@dataclass
class Console:
    store: ConsoleStore
    mailer: Mailer
    public_url: str = "http://127.0.0.1:8000"  # where links point; the backend sets it once bound
    link_ttl: timedelta = timedelta(hours=24)
    login_limit_account: int = 5  # failed logins per account per 15 minutes
    login_limit_client: int = 30  # login attempts per client address per minute
    oidc: OidcSettings | None = None
    passwords: Passwords = field(default_factory=Passwords)
    now: Callable[[], datetime] = utc_now
    monotonic: Callable[[], float] = time.monotonic
    limits_lock: threading.Lock = field(default_factory=threading.Lock)  # handlers run in a thread pool
    # Mail in the background: an answer that waited for SMTP only when an account exists would time-leak
    # which addresses have one (password reset, resend). The backend turns it on; tests may keep it off.
    background_mail: bool = False
    account_failures: SlidingWindow = field(init=False)
    client_attempts: SlidingWindow = field(init=False)
    _outgoing: ThreadPoolExecutor | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.account_failures = SlidingWindow(self.login_limit_account, 15 * 60)
        self.client_attempts = SlidingWindow(self.login_limit_client, 60)
        if self.background_mail:
            self._outgoing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evharness-mail")

    def close(self) -> None:
        """Deliver what is queued, then stop the mail thread."""
        if self._outgoing is not None:
            self._outgoing.shutdown(wait=True)
            self._outgoing = None

    def link(self, purpose: str, token: str) -> str:
        return f"{self.public_url.rstrip('/')}/api/links/{purpose}?token={token}"

    def send(self, message: Message) -> None:
        """Queue the message (or send it now without `background_mail`)."""
        if self._outgoing is not None:
            self._outgoing.submit(self._deliver, message)
        else:
            self._deliver(message)

    def _deliver(self, message: Message) -> None:
        """Send, or log why not: a failing mail server must not turn a sign-up into a 500 (resend exists)."""
        try:
            self.mailer.send(message)
        except OSError as exc:
            logging.getLogger("evharness.reference_backend.mail").error(
                "mail to %s failed: %s (%s)", message.to, message.subject, exc
            )
