"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1) that keeps what it receives.

The backend sends to it exactly as it would to a production relay; steps wait for a message and read
the link out of its body, as a person would.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+?/api/links/(?P<purpose>[a-z]+)\?token=(?P<token>[\w-]+)")


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    body: str

    def link(self) -> str:
        match = LINK.search(self.body)
        assert match, f"no link in the message {self.subject!r}:\n{self.body}"
        return match.group(0)

    def token(self) -> str:
        match = LINK.search(self.body)
        assert match, f"no link in the message {self.subject!r}:\n{self.body}"
        return match.group("token")


class Mailbox:
    """The aiosmtpd handler: every message delivered, in order, for any recipient."""

    def __init__(self) -> None:
        self.messages: list[Mail] = []
        self._changed = threading.Condition()
        self._controller: Controller | None = None
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        body = parsed.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        with self._changed:
            self.messages.append(
                Mail(tuple(a.lower() for a in envelope.rcpt_tos), str(parsed["Subject"]), text)
            )
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> Mailbox:
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def to(self, address: str) -> list[Mail]:
        with self._changed:
            return [m for m in self.messages if address.lower() in m.to]

    def wait(self, address: str, subject_part: str, *, after: int = 0, timeout: float = 10.0) -> Mail:
        """The first message to `address` whose subject contains `subject_part`, among those after the
        first `after` messages to that address."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                mine = [m for m in self.messages if address.lower() in m.to][after:]
                found = [m for m in mine if subject_part.lower() in m.subject.lower()]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                if left <= 0:
                    subjects = [m.subject for m in mine]
                    raise AssertionError(
                        f"no mail {subject_part!r} to {address} within {timeout} s: {subjects}"
                    )
                self._changed.wait(left)

    def __enter__(self) -> Mailbox:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
