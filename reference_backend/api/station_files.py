"""Firmware, logs and what stations report (issue 15).

- `GET /api/stations/{identity}/reports[?action=…]`: FirmwareStatusNotification, LogStatusNotification,
  NotifyEvent, NotifyMonitoringReport, NotifyCustomerInformation … as received, newest first (every role).
- `GET /api/stations/{identity}/files[/{id}]`: the files the station uploaded (every role).
- `POST /api/firmware-campaigns`: update-firmware on many stations, each under the caller's roles there.
- `PUT|POST /api/files/logs/{identity}/{filename}`: where stations upload logs and diagnostics (the
  `location` of a get-log operation: `{public URL}/api/files/logs/{identity}/`); at most 10 MiB a file.
- `GET /api/files/firmware/{name}`: firmware images stations download; `PUT` (operator token) adds one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from evharness.reference_backend.api.deps import CallerDep, OperatorDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.station_deps import CanView, IdentityPath, StationsDep
from evharness.reference_backend.api.station_models import OperationBody, Outcome, Record
from evharness.reference_backend.console import station_files
from evharness.reference_backend.domain.problems import TooLarge
from evharness.reference_backend.domain.remote_operations import Request as OperationRequest

router = APIRouter(tags=["stations"], responses=REFUSALS)
files_router = APIRouter(prefix="/files", tags=["files"], responses=REFUSALS)


class CampaignBody(OperationBody):
    stations: Annotated[list[Annotated[str, Field(max_length=48)]], Field(min_length=1, max_length=500)]


class Report(Record):
    id: int
    action: str
    status: str | None
    request_id: int | None
    payload: dict[str, object]
    received_at: datetime


class StoredFile(Record):
    id: int
    filename: str
    size: int
    received_at: datetime


class Stored(Record):
    id: int


@router.get("/stations/{identity}/reports")
def reports(
    access: CanView, st: StationsDep, action: Annotated[str | None, Query(max_length=48)] = None
) -> list[Report]:
    """What the station reported (firmware, logs, monitoring, customer information), newest first."""
    return [Report.model_validate(r) for r in station_files.reports(st, access, action)]


@router.post("/firmware-campaigns")
def firmware_campaign(body: CampaignBody, caller: CallerDep, st: StationsDep) -> dict[str, Outcome]:
    """update-firmware on each station named (`location`, `retrieve_at`, `signing_certificate`, …), each
    under the caller's roles there (`update_firmware`); a refused or offline station gets that as its
    outcome, the others go on. Each station's statuses then arrive in its reports."""
    fields = body.model_dump(exclude={"stations"})
    outcomes = station_files.campaign(st, caller, body.stations, OperationRequest(**fields))
    return {identity: Outcome.model_validate(outcome) for identity, outcome in outcomes.items()}


@router.get("/stations/{identity}/files")
def files(access: CanView, st: StationsDep) -> list[StoredFile]:
    """The files the station uploaded (GetLog, GetDiagnostics), newest first."""
    return [StoredFile.model_validate(f) for f in station_files.files(st, access)]


@router.get("/stations/{identity}/files/{file_id}")
def file(access: CanView, st: StationsDep, file_id: int) -> Response:
    name, content = station_files.file(st, access, file_id)
    disposition = f'attachment; filename="{name}"'
    return Response(
        content, media_type="application/octet-stream", headers={"Content-Disposition": disposition}
    )


async def _body(request: Request, limit: int) -> bytes:
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise TooLarge(f"at most {limit} bytes")
    return bytes(received)


@files_router.put("/logs/{identity}/{filename}", status_code=status.HTTP_201_CREATED)
async def upload(identity: IdentityPath, filename: str, request: Request, st: StationsDep) -> Stored:
    """A station's log or diagnostics file; 404 for an unknown station, 413 over the limit."""
    content = await _body(request, station_files.MAX_UPLOAD_BYTES)
    key = await run_in_threadpool(station_files.receive_upload, st, identity, filename, content)
    return Stored(id=key)


@files_router.post("/logs/{identity}/{filename}", status_code=status.HTTP_201_CREATED)
async def upload_by_post(identity: IdentityPath, filename: str, request: Request, st: StationsDep) -> Stored:
    """The same as PUT, for stations that POST their uploads."""
    return await upload(identity, filename, request, st)


@files_router.get("/firmware/{name}")
def firmware(name: str, st: StationsDep) -> Response:
    """A firmware image, for stations to download (UpdateFirmware's `location`)."""
    return Response(station_files.firmware(st, name), media_type="application/octet-stream")


@files_router.put("/firmware/{name}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[OperatorDep])
async def put_firmware(name: str, request: Request, st: StationsDep) -> None:
    """Add or replace a firmware image (operator token)."""
    content = await _body(request, station_files.MAX_FIRMWARE_BYTES)
    await run_in_threadpool(station_files.put_firmware, st, name, content)
