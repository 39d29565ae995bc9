"""What stations reported about firmware, logs, monitoring and customer information, the files they
uploaded, and the firmware files the backend serves (issue 15). Starting an update, a log upload, a
monitoring set-up or a customer-information request is a remote operation (`domain.remote_operations`:
update-firmware, get-log, set-monitoring …, customer-information)."""

from __future__ import annotations

from evharness.reference_backend.console import remote
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.station_access import StationAccess, Stations
from evharness.reference_backend.domain.problems import InvalidInput, NotFound, Problem, TooLarge
from evharness.reference_backend.domain.remote_operations import Request
from evharness.reference_backend.operations import Outcome
from evharness.reference_backend.persistence.report_store import FileRecord, ReportRecord

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a station's log upload, per file
MAX_FIRMWARE_BYTES = 64 * 1024 * 1024
MAX_FILES_PER_STATION = 100  # older uploads are kept; more are refused


def reports(stations: Stations, access: StationAccess, action: str | None) -> list[ReportRecord]:
    with stations.store.begin() as tx:
        return tx.reports(access.station.id, action)


def files(stations: Stations, access: StationAccess) -> list[FileRecord]:
    with stations.store.begin() as tx:
        return tx.files(access.station.id)


def file(stations: Stations, access: StationAccess, file_id: int) -> tuple[str, bytes]:
    with stations.store.begin() as tx:
        found = tx.file(access.station.id, file_id)
    if found is None:
        raise NotFound(f"station {access.identity} has no file {file_id}")
    return found


def receive_upload(stations: Stations, identity: str, filename: str, content: bytes) -> int:
    """A station's upload (GetLog / GetDiagnostics to `/api/files/logs/{identity}/`): kept per station."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise TooLarge(f"an upload is at most {MAX_UPLOAD_BYTES} bytes")
    _check_name(filename, "filename")
    with stations.store.begin() as tx:
        station = tx.station(identity)
        if station is None:
            raise NotFound(f"no station {identity}")
        if len(tx.files(station.id)) >= MAX_FILES_PER_STATION:
            raise TooLarge(f"station {identity} has {MAX_FILES_PER_STATION} files already")
        return tx.add_file(station.id, filename, content, stations.now())


def put_firmware(stations: Stations, name: str, content: bytes) -> None:
    if len(content) > MAX_FIRMWARE_BYTES:
        raise TooLarge(f"a firmware file is at most {MAX_FIRMWARE_BYTES} bytes")
    _check_name(name, "name")
    with stations.store.begin() as tx:
        tx.put_firmware(name, content, stations.now())


def firmware(stations: Stations, name: str) -> bytes:
    with stations.store.begin() as tx:
        content = tx.firmware(name)
    if content is None:
        raise NotFound(f"no firmware file {name}")
    return content


MAX_CAMPAIGN_STATIONS = 500


def campaign(
    stations: Stations, caller: Caller, identities: list[str], request: Request
) -> dict[str, Outcome]:
    """A firmware campaign: update-firmware on each station, each under the caller's roles there;
    a station refused (no role, offline, unknown) gets its refusal as its outcome, the others go on.
    Each station's statuses then arrive in its reports."""
    if not identities or len(identities) > MAX_CAMPAIGN_STATIONS:
        raise InvalidInput("stations", f"name 1 to {MAX_CAMPAIGN_STATIONS} stations")
    outcomes: dict[str, Outcome] = {}
    for identity in dict.fromkeys(identities):
        try:
            outcomes[identity] = remote.operate(stations, caller, identity, "update-firmware", request)
        except InvalidInput:
            raise  # the request itself is wrong: the same for every station
        except Problem as refused:
            outcomes[identity] = Outcome("refused", description=refused.message)
    return outcomes


def _check_name(name: str, field: str) -> None:
    if not name or len(name) > 128 or "/" in name or name.startswith("."):
        raise InvalidInput(field, "must be a file name (at most 128 characters, no '/', not hidden)")
