"""Reading a confirmation link out of mails, without I/O or Locust: the console user hands in the raw
`.eml` bytes of the reference backend's outbox, these rules pick the one link meant for its address."""

from __future__ import annotations

import re
from collections.abc import Iterable
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

_LINK = re.compile(r"https?://\S+/api/links/confirm\?\S+(?=\s)")  # whole: whitespace after it


def confirmation_token(raw: bytes, address: str) -> str | None:
    """The token of the confirmation link in one mail, if the mail is addressed to `address` and has one."""
    message = message_from_bytes(raw, policy=policy.default)
    if not isinstance(message, EmailMessage) or str(message.get("To", "")).lower() != address.lower():
        return None
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        return None
    match = _LINK.search(body.get_content())
    if match is None:
        return None
    tokens = parse_qs(urlsplit(match.group(0)).query).get("token", [])
    return tokens[0] if tokens else None


def is_complete(raw: bytes) -> bool:
    """Whether a mail file is whole: the backend writes it in one go, ending with the body's newline;
    an empty or cut file is being written and must be read again later, not skipped for good."""
    return raw.endswith(b"\n")


def find_confirmation_token(mails: Iterable[bytes], address: str) -> str | None:
    """The newest confirmation token for `address` (mails oldest first, as the outbox names sort)."""
    found = None
    for raw in mails:
        found = confirmation_token(raw, address) or found
    return found


def refusal_reason(step: str, status: int, body: object, retry_after: str | None = None) -> str:
    """A failure text for Locust's report: the status, the API's own detail (the one error shape
    `{"detail": …, "field": …}`: it never repeats the submitted values), and for 429 that a login
    limit was hit."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if status == 0:  # Locust's status when no HTTP answer came at all
        return f"{step}: no answer from the console API (unreachable, or the connection broke)"
    reason = f"{step} answered HTTP {status}"
    if isinstance(detail, str) and detail:
        reason += f": {detail}"
    if status == 429:
        reason += f" (login rate limit hit, retry after {retry_after or '?'} s: raise the backend's limits)"
    return reason
