"""Outgoing email: real SMTP when `--smtp-url` is set, otherwise an outbox folder of `.eml` files.

Either way the log gets one line per message with the link masked: a log is no place for a working
confirmation or reset link, but an operator must see that a message went out and to whom.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from evharness.reference_backend.domain.tokens import mask_secret

log = logging.getLogger("evharness.reference_backend.mail")


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    link: str | None = None  # the secret link in the body, if any: masked in logs

    def masked_link(self) -> str | None:
        if self.link is None:
            return None
        base, _, token = self.link.rpartition("token=")
        return f"{base}token={mask_secret(token)}" if base else mask_secret(self.link)

    def to_email(self, sender: str) -> EmailMessage:
        email = EmailMessage()
        email["From"] = sender
        email["To"] = self.to
        email["Subject"] = self.subject
        email["Date"] = format_datetime(datetime.now(UTC))
        email["Message-ID"] = make_msgid(domain="evharness.invalid")
        # Not quoted-printable: a link must stay one greppable line in the .eml (RFC 5322 allows 998).
        email.set_content(self.body, cte="7bit" if self.body.isascii() else "8bit")
        return email


class Mailer(Protocol):
    def send(self, message: Message) -> None: ...


def _log_sent(how: str, message: Message) -> None:
    link = message.masked_link()
    log.info("mail %s to %s: %s%s", how, message.to, message.subject, f" (link {link})" if link else "")


@dataclass(frozen=True)
class SmtpMailer:
    """`smtp://[user:password@]host[:port][?starttls=true]` or `smtps://…` (TLS from the first byte)."""

    url: str
    sender: str
    timeout: float = 10.0

    def send(self, message: Message) -> None:
        parts = urlsplit(self.url)
        host = parts.hostname or "127.0.0.1"
        query = parse_qs(parts.query)
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, parts.port or 465, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, parts.port or 25, timeout=self.timeout)
        _log_sent(f"sending via {host}", message)  # before: the recipient may read it before we return
        with client:
            if query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes"):
                client.starttls(context=ssl.create_default_context())
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message.to_email(self.sender))


class OutboxMailer:
    """The embedded default: each message becomes `OUTBOX/<time>-<n>.eml`, readable with any mail tool."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender
        self._count = 0
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._count += 1
            number = self._count
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{number:04d}.eml"
        path.write_bytes(message.to_email(self.sender).as_bytes())
        _log_sent(f"written to {path}", message)


def check_smtp_url(text: str) -> str:
    """Validates `--smtp-url` when the backend starts, not at the first email."""
    parts = urlsplit(text)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("use smtp://[user:password@]host[:port] or smtps://…")
    _ = parts.port  # raises ValueError for a bad port
    return text
