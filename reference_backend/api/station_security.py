"""A station's security in the console API: the claim code the platform operator issues.

`POST /api/stations/{identity}/claim-code` (platform operator admins): a new claim code for a station
known only by connecting (or one whose label is lost), shown once; the owner adds the station to an
installation with it. Nothing a station sends over OCPP claims it (docs/security.md).
"""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from reference_backend.api.deps import CallerDep, StationsDep
from reference_backend.api.errors import REFUSALS
from reference_backend.api.station_deps import IdentityPath
from reference_backend.console import stations

router = APIRouter(tags=["stations"], responses=REFUSALS)


class ClaimCode(BaseModel):
    identity: str
    claim_code: str


@router.post("/stations/{identity}/claim-code", status_code=status.HTTP_201_CREATED)
def issue_claim_code(identity: IdentityPath, caller: CallerDep, st: StationsDep) -> ClaimCode:
    """Platform operator admins: issue a new claim code (replacing any earlier one), shown only here."""
    return ClaimCode(identity=identity, claim_code=stations.issue_claim_code(st, caller, identity))
