"""Companies: search, access requests, company applications, members and their rights, installations,
and the operator's decisions on companies waiting for approval."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field

from evharness.reference_backend.api.deps import MAX_ID, CallerDep, ConsoleDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.models import (
    AccessRequest,
    Application,
    Company,
    Installation,
    Member,
    Name,
    ShortText,
)
from evharness.reference_backend.console import companies, registration
from evharness.reference_backend.domain.onboarding import Decision

router = APIRouter(tags=["companies"], responses=REFUSALS)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
StatusFilter = Annotated[Literal["pending", "approved", "rejected"] | None, Query()]


class ApplicationBody(BaseModel):
    name: Name
    type: Annotated[str, Field(max_length=32, examples=["installer"])]
    country: Annotated[str, Field(max_length=8, examples=["NO"])]
    address: ShortText | None = None
    vat_id: Annotated[str | None, Field(max_length=64)] = None


class RoleBody(BaseModel):
    role: Annotated[str, Field(max_length=16, examples=["admin"])]


@router.get("/companies")
def find_companies(
    caller: CallerDep, console: ConsoleDep, name: Annotated[str, Query(max_length=100)] = ""
) -> list[Company]:
    """Active companies whose name contains `name`: the ones a user can ask to join."""
    return [Company.of(c) for c in companies.find(console, name)]


@router.get("/companies/{company_id}")
def get_company(company_id: Id, caller: CallerDep, console: ConsoleDep) -> Company:
    return Company.of(companies.company(console, caller, company_id))


@router.post("/companies/{company_id}/access-requests", status_code=status.HTTP_201_CREATED)
def request_access(company_id: Id, caller: CallerDep, console: ConsoleDep) -> AccessRequest:
    """Ask to join a company; its admins are emailed."""
    return AccessRequest.of(companies.request_access(console, caller, company_id))


@router.get("/companies/{company_id}/access-requests")
def list_access_requests(
    company_id: Id, caller: CallerDep, console: ConsoleDep, status: StatusFilter = None
) -> list[AccessRequest]:
    """The company's access requests (its admins only)."""
    return [AccessRequest.of(r) for r in companies.access_requests(console, caller, company_id, status)]


@router.post("/access-requests/{request_id}/{decision}")
def decide_access_request(
    request_id: Id, decision: Decision, caller: CallerDep, console: ConsoleDep
) -> AccessRequest:
    """`approve` (the requester becomes a member) or `reject`; the requester is emailed."""
    return AccessRequest.of(companies.decide_access_request(console, caller, request_id, decision))


@router.post("/company-applications", status_code=status.HTTP_201_CREATED)
def apply(body: ApplicationBody, caller: CallerDep, console: ConsoleDep) -> Application:
    """Apply for a new company (partner, cpo or installer); the platform operator's admins are emailed."""
    return Application.of(
        companies.apply(console, caller, body.name, body.type, body.country, body.address, body.vat_id)
    )


@router.get("/company-applications")
def list_applications(
    caller: CallerDep, console: ConsoleDep, status: StatusFilter = None
) -> list[Application]:
    """All applications for the operator; one's own for anyone else."""
    return [Application.of(a) for a in companies.applications(console, caller, status)]


@router.post("/company-applications/{application_id}/{decision}")
def decide_application(
    application_id: Id, decision: Decision, caller: CallerDep, console: ConsoleDep
) -> Application:
    """Operator: `approve` creates the company with the applicant as its admin; `reject` does not."""
    return Application.of(companies.decide_application(console, caller, application_id, decision))


@router.post("/companies/{company_id}/{decision}")
def decide_company(company_id: Id, decision: Decision, caller: CallerDep, console: ConsoleDep) -> Company:
    """Operator: approve or reject a company waiting for approval (a data recipient's registration)."""
    return Company.of(registration.decide_company(console, caller, company_id, decision))


@router.get("/companies/{company_id}/members")
def list_members(company_id: Id, caller: CallerDep, console: ConsoleDep) -> list[Member]:
    return [Member.of(m) for m in companies.members(console, caller, company_id)]


@router.put("/companies/{company_id}/members/{user_id}")
def set_role(company_id: Id, user_id: Id, body: RoleBody, caller: CallerDep, console: ConsoleDep) -> Member:
    """Company admins grant or take admin rights (`admin` / `member`); the last admin stays."""
    return Member.of(companies.set_role(console, caller, company_id, user_id, body.role))


@router.delete("/companies/{company_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(company_id: Id, user_id: Id, caller: CallerDep, console: ConsoleDep) -> Response:
    companies.remove_member(console, caller, company_id, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/companies/{company_id}/installations")
def list_installations(company_id: Id, caller: CallerDep, console: ConsoleDep) -> list[Installation]:
    return [Installation.of(i) for i in companies.installations(console, caller, company_id)]
