"""Outgoing email: the outbox default, real SMTP, and logs that never hold a whole link."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
from pathlib import Path

import pytest

from evharness.reference_backend.console import accounts
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.console.mail import Message, OutboxMailer, SmtpMailer, check_smtp_url
from evharness.reference_backend.console.passwords import Passwords
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.console import ConsoleStore
from features.onboarding.mailbox import Mailbox

SENDER = "evharness <noreply@evharness.invalid>"


@pytest.fixture
def console(tmp_path: Path) -> Console:
    store = Store.from_url(f"sqlite:///{tmp_path / 'mail.sqlite3'}")
    store.create_schema()
    return Console(
        ConsoleStore(store.engine), OutboxMailer(tmp_path / "outbox", SENDER), passwords=Passwords.cheapest()
    )


def test_sign_up_writes_the_link_to_the_outbox_and_logs_it_masked(
    console: Console, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "evharness.reference_backend.mail")
    accounts.sign_up(console, "Ada@Example.com", "Ada", "Corr3ct-horse-battery")
    (written,) = sorted((tmp_path / "outbox").glob("*.eml"))
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ada@example.com"  # normalised
    assert message["From"] == SENDER
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    link = next(word for word in text.split() if "/api/links/confirm?token=" in word)
    token = link.rsplit("=", 1)[1]
    assert len(token) >= 43
    assert token not in caplog.text
    assert f"token={token[:4]}…" in caplog.text
    assert "ada@example.com" in caplog.text
    assert accounts.confirm(console, token) == "ada@example.com"


def test_smtp_delivers_to_a_real_server() -> None:
    with Mailbox() as box:
        SmtpMailer(box.url, SENDER).send(Message("bob@example.com", "Hello", "a body\n"))
        got = box.wait("bob@example.com", "Hello")
    assert got.body.strip() == "a body"


def test_links_stay_on_one_line_and_names_may_be_non_ascii(tmp_path: Path) -> None:
    link = "http://127.0.0.1:8000/api/links/confirm?token=" + "Qx3v" * 12
    for name in ("Ada", "Åse Grünewald"):
        message = Message("ase@example.com", f"Hello {name}", f"Hello {name},\n\n{link}\n", link)
        OutboxMailer(tmp_path / name, SENDER).send(message)
        (written,) = (tmp_path / name).glob("*.eml")
        assert link.encode() in written.read_bytes().splitlines()
        with Mailbox() as box:
            SmtpMailer(box.url, SENDER).send(message)
            got = box.wait("ase@example.com", "Hello")
        assert got.subject == f"Hello {name}"
        assert got.link() == link


def test_an_unreachable_smtp_server_is_logged_not_raised(
    console: Console, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    console.mailer = SmtpMailer(f"smtp://127.0.0.1:{closed_port}", SENDER, timeout=2)
    console.send(
        Message("bob@example.com", "Hello", "body", "http://x/api/links/confirm?token=secret-token-123")
    )
    assert "mail to bob@example.com failed" in caplog.text
    assert "secret-token-123" not in caplog.text


@pytest.mark.parametrize(
    "url", ["smtp://mail.example.com", "smtps://u:p@mail.example.com:465", "smtp://h:2525?starttls=true"]
)
def test_smtp_urls_are_accepted(url: str) -> None:
    assert check_smtp_url(url) == url


@pytest.mark.parametrize(
    "url", ["http://mail.example.com", "smtp://", "mail.example.com", "smtp://h:notaport"]
)
def test_bad_smtp_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"smtp://|port"):
        check_smtp_url(url)
