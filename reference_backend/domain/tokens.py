"""Single-use secrets (session tokens, email links): made here, stored only as hashes, logged masked."""

from __future__ import annotations

import hashlib
import secrets as _secrets


def new_token() -> str:
    """256 random bits, URL-safe: unguessable, fits a link."""
    return _secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps: a leaked table gives no usable session or link."""
    return hashlib.sha256(token.encode()).hexdigest()


def mask_secret(token: str) -> str:
    """Enough to tell two tokens apart in a log, far too little to use one."""
    return f"{token[:4]}…" if len(token) > 8 else "…"
