"""Refusals become JSON answers `{"detail": "...", "field": "..."}` with the status their kind means."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from reference_backend.domain import problems as p

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


# What a schema error may say back: never `input` (the submitted value: a PIN, a password) nor `ctx`.
_SHOWN = ("type", "loc", "msg")


async def _invalid_body(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 list, minus the echoed input: PIN codes and passwords are not sent back."""
    assert isinstance(exc, RequestValidationError)
    errors = [{key: error[key] for key in _SHOWN if key in error} for error in exc.errors()]
    return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(p.Problem, _problem)
    app.add_exception_handler(RequestValidationError, _invalid_body)


REFUSALS: dict[int | str, dict[str, str]] = {
    401: {"description": "not logged in, or wrong credentials"},
    403: {"description": "not allowed: the detail names the action and what is missing"},
    404: {"description": "nothing with that id among what the caller may see"},
    409: {"description": "clashes with the current state"},
    422: {"description": "a field is not acceptable: `field` names it"},
}
