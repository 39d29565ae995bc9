"""The ways a console request can be refused, as plain exceptions the API turns into 4xx answers.

Rules raise these before they change anything, so a refused action leaves no trace. Each one names the
field or the problem in words a user can act on; the HTTP status is the API's business (`api/errors.py`).
"""

from __future__ import annotations


class Problem(Exception):
    """A refusal with a message meant for the caller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(Problem):
    """A field's value is not acceptable (422); `field` is its name in the request body."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class NotAuthenticated(Problem):
    """No valid session, or wrong credentials (401)."""


class Forbidden(Problem):
    """The caller is known but may not do this (403)."""


class NotFound(Problem):
    """Nothing with that id the caller may see (404)."""


class Conflict(Problem):
    """The action clashes with the current state: already a member, already decided … (409)."""


class LinkGone(Problem):
    """An email link that expired or was used already (410)."""


class TooManyAttempts(Problem):
    """Rate limit hit (429); `retry_after` in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooLarge(Problem):
    """An upload over its size limit (413)."""
