"""What handlers are given: the `Console`, and the `Caller` behind the bearer token.

`CallerDep` also requires every current agreement to be accepted (seed 002: a newer version must be
accepted at the next login before anything else works); `AnyCallerDep` is for the few endpoints that
must work before that: the profile, the agreements, logout.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from reference_backend.console import accounts
from reference_backend.console.caller import Caller
from reference_backend.console.context import Console
from reference_backend.domain.problems import NotAuthenticated

_bearer = HTTPBearer(auto_error=False, description="the token of POST /api/session")

MAX_ID = 2**31 - 1  # ids are 32-bit in both databases; larger numbers are simply not found


def get_console(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


ConsoleDep = Annotated[Console, Depends(get_console)]


def get_any_caller(
    console: ConsoleDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise NotAuthenticated("log in first: send the session token as `Authorization: Bearer TOKEN`")
    return accounts.authenticate(console, credentials.credentials)


AnyCallerDep = Annotated[Caller, Depends(get_any_caller)]


def get_caller(caller: AnyCallerDep) -> Caller:
    caller.require_agreements_accepted()
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def client_address(request: Request) -> str:
    """The peer address (no X-Forwarded-For: a client could pick its own rate-limit key)."""
    return request.client.host if request.client else "unknown"
