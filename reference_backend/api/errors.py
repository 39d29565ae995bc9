"""Refusals become JSON answers `{"detail": "...", "field": "..."}` with the status their kind means."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from evharness.reference_backend.domain import problems as p

STATUS: list[tuple[type[p.Problem], int]] = [
    (p.InvalidInput, 422),
    (p.NotAuthenticated, 401),
    (p.Forbidden, 403),
    (p.NotFound, 404),
    (p.Conflict, 409),
    (p.LinkGone, 410),
    (p.TooLarge, 413),
    (p.TooManyAttempts, 429),
]


def status_of(problem: p.Problem) -> int:
    return next((status for kind, status in STATUS if isinstance(problem, kind)), 400)


async def _problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, p.Problem)
    body: dict[str, str] = {"detail": exc.message}
    headers: dict[str, str] = {}
    if isinstance(exc, p.InvalidInput):
        body["field"] = exc.field
    if isinstance(exc, p.TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, p.NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status_of(exc), headers=headers)


# Where FastAPI says a field was, not a field name itself
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})


async def _invalid_body(_request: Request, exc: Exception) -> JSONResponse:
    """A schema error in the one error shape: the first error's field and message. The submitted input
    is never echoed (FastAPI's own 422 repeats it: a PIN code, a password)."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    field = ".".join(str(part) for part in first.get("loc", ()) if part not in _LOCATIONS) or "body"
    detail = f"{field}: {first.get('msg', 'not acceptable')}"
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more: {', '.join(_field_of(error) for error in errors[1:])})"
    return JSONResponse({"detail": detail, "field": field}, status_code=422)


def _field_of(error: Any) -> str:
    return ".".join(str(part) for part in error.get("loc", ()) if part not in _LOCATIONS) or "body"


def install(app: FastAPI) -> None:
    app.add_exception_handler(p.Problem, _problem)
    app.add_exception_handler(RequestValidationError, _invalid_body)


class ErrorBody(BaseModel):
    """Every refusal of the API: what is wrong, and the field it concerns (422; else absent)."""

    detail: str
    field: str | None = None


# What each refusal means; every operation documents every one of them with the one error body.
MEANINGS: dict[int, str] = {
    400: "the request cannot be carried out as it is",
    401: "not logged in, or wrong credentials",
    403: "not allowed: the detail names the action and what is missing",
    404: "nothing with that id among what the caller may see",
    409: "clashes with the current state",
    410: "the link was used already or has expired",
    413: "the upload is over its size limit",
    422: "a field is not acceptable: `field` names it",
    429: "too many attempts: wait the Retry-After seconds",
}

# Every status a refusal can have (`STATUS`, and 400 for any other problem): a new kind of problem
# without a meaning above fails here, at import.
REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"description": MEANINGS[status], "model": ErrorBody}
    for status in sorted({400, *(status for _, status in STATUS)})
}
