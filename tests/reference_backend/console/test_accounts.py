"""Account use cases with the console's clock in hand: expiry of links and sessions, parallel guessing."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from evharness.reference_backend.console import accounts
from evharness.reference_backend.console.context import SESSION_TTL, Console
from evharness.reference_backend.console.mail import Message
from evharness.reference_backend.console.passwords import Passwords
from evharness.reference_backend.domain.problems import LinkGone, NotAuthenticated, TooManyAttempts
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.console import ConsoleStore

PASSWORD = "Corr3ct-horse-battery"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Sent:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    def send(self, message: Message) -> None:
        self.messages.append(message)

    def token(self) -> str:
        link = self.messages[-1].link
        assert link is not None
        return link.rsplit("token=", 1)[1]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
def console(tmp_path: Path, clock: Clock, sent: Sent) -> Console:
    store = Store.from_url(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    store.create_schema()
    return Console(ConsoleStore(store.engine), sent, now=clock, passwords=Passwords.cheapest())


def test_a_link_expires_after_its_time_to_live(console: Console, clock: Clock, sent: Sent) -> None:
    accounts.sign_up(console, "ada@example.com", "Ada", PASSWORD)
    clock.now += console.link_ttl
    with pytest.raises(LinkGone, match="expired"):
        accounts.confirm(console, sent.token())
    clock.now -= timedelta(seconds=1)
    assert accounts.confirm(console, sent.token()) == "ada@example.com"


def test_a_session_expires(console: Console, clock: Clock, sent: Sent) -> None:
    accounts.sign_up(console, "ada@example.com", "Ada", PASSWORD)
    accounts.confirm(console, sent.token())
    token, _ = accounts.log_in(console, "ada@example.com", PASSWORD, "client-1")
    clock.now += SESSION_TTL - timedelta(seconds=1)
    assert accounts.authenticate(console, token).user.email == "ada@example.com"
    clock.now += timedelta(seconds=1)
    with pytest.raises(NotAuthenticated, match="expired"):
        accounts.authenticate(console, token)


def test_parallel_guesses_cannot_pass_the_account_limit(console: Console, sent: Sent) -> None:
    accounts.sign_up(console, "ada@example.com", "Ada", PASSWORD)
    accounts.confirm(console, sent.token())

    def guess(number: int) -> str:
        try:
            accounts.log_in(console, "ada@example.com", f"Wrong-guess-{number}", f"client-{number}")
        except NotAuthenticated:
            return "wrong"
        except TooManyAttempts:
            return "limited"
        return "in"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(guess, range(24)))
    assert outcomes.count("wrong") == console.login_limit_account
    assert outcomes.count("limited") == 24 - console.login_limit_account
    with pytest.raises(TooManyAttempts):  # even the right password waits now
        accounts.log_in(console, "ada@example.com", PASSWORD, "client-x")


def test_a_right_password_clears_the_failures(console: Console, sent: Sent) -> None:
    accounts.sign_up(console, "ada@example.com", "Ada", PASSWORD)
    accounts.confirm(console, sent.token())
    for _ in range(console.login_limit_account - 1):
        with pytest.raises(NotAuthenticated):
            accounts.log_in(console, "ada@example.com", "Wrong-guess-1", "c")
    accounts.log_in(console, "ADA@example.com", PASSWORD, "c")
    for _ in range(console.login_limit_account - 1):
        with pytest.raises(NotAuthenticated):
            accounts.log_in(console, "ada@example.com", "Wrong-guess-1", "c")
    assert accounts.log_in(console, "ada@example.com", PASSWORD, "c")[0]


class SlowMailer(Sent):
    def send(self, message: Message) -> None:
        time.sleep(1.0)
        super().send(message)


def test_with_background_mail_a_reset_answers_as_fast_for_a_known_address(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'slow.sqlite3'}")
    store.create_schema()
    mailer = SlowMailer()
    console = Console(
        ConsoleStore(store.engine), mailer, passwords=Passwords.cheapest(), background_mail=True
    )
    try:
        accounts.sign_up(console, "ada@example.com", "Ada", PASSWORD)
        started = time.monotonic()
        accounts.request_password_reset(console, "ada@example.com")
        known = time.monotonic() - started
        started = time.monotonic()
        accounts.request_password_reset(console, "nobody@example.com")
        unknown = time.monotonic() - started
        assert known < 0.5, known  # the SMTP round trip (1 s here) is not in the answer's time
        assert unknown < 0.5, unknown
    finally:
        console.close()
    assert [m.subject for m in mailer.messages] == [
        "Confirm your evharness account",
        "Reset your evharness password",
    ]


def test_an_unconfirmed_account_answers_a_right_and_a_wrong_password_alike(console: Console) -> None:
    accounts.sign_up(console, "ada@example.com", "Ada", PASSWORD)
    answers = []
    for password in (PASSWORD, "Wrong-guess-1", PASSWORD):
        with pytest.raises(NotAuthenticated) as refused:
            accounts.log_in(console, "ada@example.com", password, "c")
        answers.append(str(refused.value))
    assert len(set(answers)) == 1
    assert "not confirmed yet" in answers[0]
    # the right password did not clear the failures: they count towards the account's limit
    for _ in range(console.login_limit_account - len(answers)):
        with pytest.raises(NotAuthenticated):
            accounts.log_in(console, "ada@example.com", PASSWORD, "c")
    with pytest.raises(TooManyAttempts):
        accounts.log_in(console, "ada@example.com", PASSWORD, "c")
