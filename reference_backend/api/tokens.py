"""The tokens provisioned for a station beyond PIN and RFID: `/api/stations/{identity}/tokens`.

Central, eMAID, MacAddress, Local and EVCCID tokens (docs/authorization.md, "Token types"), with a
status, an optional expiry and an optional group. Every role may list them (`view_settings`);
provisioning and removing need `manage_tokens`. A field that breaks a rule is a 422 naming it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field

from evharness.reference_backend.api.deps import MAX_ID, CallerDep, StationsDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.station_deps import CanView, IdentityPath, requires
from evharness.reference_backend.console import tokens
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.provisioned_tokens import check_token

router = APIRouter(prefix="/stations/{identity}/tokens", tags=["tokens"], responses=REFUSALS)
MANAGE = [Depends(requires(Action.MANAGE_TOKENS))]

TokenId = Annotated[int, Path(ge=1, le=MAX_ID)]


class TokenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Annotated[str, Field(max_length=20, examples=["Central"])]
    code: Annotated[str, Field(max_length=64, examples=["TAG-001"])]
    status: str = "active"
    expires_at: datetime | None = None
    group_id: Annotated[str | None, Field(max_length=64)] = None


class Token(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    type: str
    code: str
    status: str
    expires_at: datetime | None
    group_id: str | None


@router.get("")
def list_tokens(access: CanView, st: StationsDep) -> list[Token]:
    return [Token.model_validate(t) for t in tokens.tokens(st, access)]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=MANAGE)
def provision_token(
    identity: IdentityPath, body: TokenBody, caller: CallerDep, st: StationsDep, response: Response
) -> Token:
    """Provision a token (201), or change the status, expiry and group of the one of that type and
    code (200)."""
    spec = check_token(body.type, body.code, body.status, body.expires_at, body.group_id)
    stored, created = tokens.provision(st, caller, identity, spec)
    if not created:
        response.status_code = status.HTTP_200_OK
    return Token.model_validate(stored)


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=MANAGE)
def remove_token(identity: IdentityPath, token_id: TokenId, caller: CallerDep, st: StationsDep) -> Response:
    tokens.remove(st, caller, identity, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
