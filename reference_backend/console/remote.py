"""Remote operations on a station through the console, by permission (`domain.remote_operations`)."""

from __future__ import annotations

from dataclasses import replace

from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.station_access import StationAccess, Stations, require
from evharness.reference_backend.domain.problems import Conflict, NotFound
from evharness.reference_backend.domain.remote_operations import ACTIONS, Request, build
from evharness.reference_backend.domain.tariff_text import tariff_text
from evharness.reference_backend.operations import Outcome
from evharness.reference_backend.persistence.function_records import ReservationRecords
from evharness.reference_backend.persistence.tariff_records import TariffRecords


def operate(stations: Stations, caller: Caller, identity: str, operation: str, request: Request) -> Outcome:
    """Check the matrix, then send the CALL; 409 if the station is offline. Audited with its outcome."""
    action = ACTIONS.get(operation)
    if action is None:
        raise NotFound(f"no remote operation {operation!r}; known: {', '.join(ACTIONS)}")
    access = require(stations, caller, identity, [action])
    version = online_version(stations, identity, operation)
    request = replace(request, at=stations.now())
    if operation == "reserve" and request.reservation_id is None:  # the CSMS picks the id
        request = replace(
            request, reservation_id=ReservationRecords(stations.store.engine).next_id(access.station.id)
        )
    if operation == "tariff-message":  # the tariff's own text in that language, else the settings' words
        tariff = TariffRecords(stations.store.engine).of(access.station.id)
        text = None if tariff is None else tariff.texts.get(request.language or "")
        if text is None:
            with stations.store.begin() as tx:
                desired = {s.name: s.desired for s in tx.settings(access.station.id)}
            text = tariff_text(request.language, desired.get("price_per_kwh"), desired.get("tariff"))
        request = replace(request, content=text)
    ocpp_action, payload = build(operation, version is OcppVersion.V16, request)
    return send(stations, access, operation, ocpp_action, payload)


def online_version(stations: Stations, identity: str, operation: str) -> OcppVersion:
    """The OCPP version of the connected station; 409 if it is offline."""
    ops = stations.operations
    version = ops.version_of(identity) if ops is not None else None
    if version is None:
        raise Conflict(f"station {identity} is offline: {operation} needs a connected station")
    return version


def send(
    stations: Stations, access: StationAccess, operation: str, ocpp_action: str, payload: Payload
) -> Outcome:
    """Send the CALL (the caller's permission checked already) and audit it with its outcome."""
    ops = stations.operations
    if ops is None:
        raise Conflict(f"station {access.identity} is offline: {operation} needs a connected station")
    outcome = ops.call_from_thread(access.identity, ocpp_action, payload)
    with stations.store.begin() as tx:
        detail = f"{outcome.status}" + (f": {outcome.detail}" if outcome.detail else "")
        tx.audit(
            access.station.id,
            access.caller.id,
            "operation",
            operation,
            None,
            ocpp_action,
            detail,
            stations.now(),
        )
    return outcome
