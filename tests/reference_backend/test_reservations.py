"""Reservations, display messages and DataTransfer at the reference backend: what it sends through the
operations path is stored with the station's answer, what the station reports moves it on, and a start
by another token on a reserved EVSE is refused — on a real backend and a real station socket."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from evharness.conformance.station import OcttStation
from evharness.idtokens import IdType
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence import ProvisionedIdentification
from evharness.reference_backend.settings import BackendSettings

from .helpers import boot_16, boot_201
from .test_operations import TOKEN, post

OWNER, OTHER = "0A0A0A0A", "0B0B0B0B"
V16, V201 = OcppVersion.V16, OcppVersion.V201


def run(sqlite_url: str, version: OcppVersion, scenario: Any) -> None:
    settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, operator_token=TOKEN)

    async def main() -> None:
        async with BackendServer(settings) as backend:
            station = OcttStation("RES-1", version, backend.ocpp_url, call_timeout=5)
            await station.connect()
            boot = boot_16() if version is V16 else boot_201()
            assert (await station.call("BootNotification", boot)).require()["status"] == "Accepted"
            station_id = backend.store.find_station_id("RES-1")
            assert station_id is not None
            people = [ProvisionedIdentification(IdType.RFID, code, "D", code) for code in (OWNER, OTHER)]
            backend.store.provision(station_id, people)
            try:
                await scenario(backend, station, station_id)
            finally:
                await station.disconnect()

    asyncio.run(main())


async def operate(backend: BackendServer, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    status, body = await asyncio.to_thread(
        post, backend.api_url + f"operations/RES-1/{action}", payload, TOKEN
    )
    assert status == 200, body
    answer: dict[str, Any] = body["payload"]
    return answer


def reserve_now(version: OcppVersion, reservation_id: int, code: str, seconds: float = 600) -> dict[str, Any]:
    expiry = format_timestamp(time.time() + seconds)
    if version is V16:
        return {"reservationId": reservation_id, "connectorId": 1, "idTag": code, "expiryDate": expiry}
    token = {"idToken": code, "type": "ISO14443"}
    return {"id": reservation_id, "evseId": 1, "idToken": token, "expiryDateTime": expiry}


async def start(station: OcttStation, version: OcppVersion, code: str, **extra: Any) -> str:
    """The status the CSMS gives `code` starting on EVSE / connector 1."""
    stamp = format_timestamp(time.time())
    if version is V16:
        payload = {"connectorId": 1, "idTag": code, "meterStart": 0, "timestamp": stamp, **extra}
        answer = (await station.call("StartTransaction", payload)).require()
        status: str = answer["idTagInfo"]["status"]
        return status
    event = {
        "eventType": "Started",
        "timestamp": stamp,
        "triggerReason": "Authorized",
        "seqNo": 0,
        "transactionInfo": {"transactionId": f"tx-{code}"},
        "evse": {"id": 1, "connectorId": 1},
        "idToken": {"idToken": code, "type": "ISO14443"},
        **extra,
    }
    status = (await station.call("TransactionEvent", event)).require()["idTokenInfo"]["status"]
    return status


@pytest.mark.parametrize("version", [V16, V201])
def test_a_reserved_evse_takes_only_its_token_and_the_reservation_is_used(
    sqlite_url: str, version: OcppVersion
) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        assert await operate(backend, "ReserveNow", reserve_now(version, 4, OWNER)) == {"status": "Accepted"}
        (held,) = backend.store.reservations.of_station(station_id, backend.console.now())
        assert (held.reservation_id, held.evse_id, held.state, held.id_token) == (4, 1, "active", OWNER)
        refused = "Invalid" if version is V16 else "NotAtThisTime"
        assert await start(station, version, OTHER) == refused  # H03.FR.04
        assert await start(station, version, OWNER, reservationId=4) == "Accepted"
        (used,) = backend.store.reservations.of_station(station_id, backend.console.now())
        assert used.state == "used"

    run(sqlite_url, version, scenario)


def test_ends_reported_or_cancelled_and_refusals_are_kept(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        await operate(backend, "ReserveNow", reserve_now(V201, 1, OWNER))
        update = {"reservationId": 1, "reservationUpdateStatus": "Expired"}
        assert (await station.call("ReservationStatusUpdate", update)).require() == {}
        await operate(backend, "ReserveNow", reserve_now(V201, 2, OWNER))
        assert await operate(backend, "CancelReservation", {"reservationId": 2}) == {"status": "Accepted"}
        station.answer_with("ReserveNow", {"status": "Occupied"})
        await operate(backend, "ReserveNow", reserve_now(V201, 3, OWNER))
        states = {
            r.reservation_id: (r.state, r.answer)
            for r in backend.store.reservations.of_station(station_id, backend.console.now())
        }
        assert states == {
            1: ("expired", "Accepted"),
            2: ("cancelled", "Accepted"),
            3: ("refused", "Occupied"),
        }
        assert await start(station, V201, OTHER) == "Accepted"  # nothing holds EVSE 1 any more

    run(sqlite_url, V201, scenario)


def test_an_expired_reservation_holds_nothing(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        await operate(backend, "ReserveNow", reserve_now(V16, 9, OWNER, seconds=1))
        await asyncio.sleep(1.1)
        assert await start(station, V16, OTHER) == "Accepted"

    run(sqlite_url, V16, scenario)


def test_on_16_the_connector_status_ends_a_reservation(sqlite_url: str) -> None:
    """1.6 has no ReservationStatusUpdate: Available after Reserved means it expired."""

    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        stamp = format_timestamp(time.time())
        await operate(backend, "ReserveNow", reserve_now(V16, 2, OWNER))
        for status in ("Reserved", "Available"):
            notification = {"connectorId": 1, "errorCode": "NoError", "status": status, "timestamp": stamp}
            await station.call("StatusNotification", notification)
        (ended,) = backend.store.reservations.of_station(station_id, backend.console.now())
        assert ended.state == "expired"
        assert await start(station, V16, OTHER) == "Accepted"

    run(sqlite_url, V16, scenario)


def test_display_messages_set_reported_and_cleared_are_kept(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        content = {"format": "UTF8", "language": "nl", "content": "Tarief 0,35 €/kWh"}
        message = {"id": 1, "priority": "InFront", "message": content}
        assert await operate(backend, "SetDisplayMessage", {"message": message}) == {"status": "Accepted"}
        reported = {**message, "id": 2, "state": "Idle"}
        notify = {"requestId": 5, "messageInfo": [reported], "tbc": False}
        assert (await station.call("NotifyDisplayMessages", notify)).require() == {}
        kept = backend.store.display_messages.of_station(station_id)
        assert [(m.message_id, m.content, m.language, m.source) for m in kept] == [
            (1, "Tarief 0,35 €/kWh", "nl", "set"),
            (2, "Tarief 0,35 €/kWh", "nl", "reported"),
        ]
        station.answer_with("SetDisplayMessage", {"status": "NotSupportedPriority"})
        await operate(
            backend, "SetDisplayMessage", {"message": {**message, "id": 3, "priority": "AlwaysFront"}}
        )
        assert await operate(backend, "ClearDisplayMessage", {"id": 1}) == {"status": "Accepted"}
        assert [m.message_id for m in backend.store.display_messages.of_station(station_id)] == [2]

    run(sqlite_url, V201, scenario)


@pytest.mark.parametrize("version", [V16, V201])
def test_data_transfer_is_answered_from_the_vendor_table(sqlite_url: str, version: OcppVersion) -> None:
    async def scenario(backend: BackendServer, station: OcttStation, station_id: int) -> None:
        async def transfer(payload: dict[str, Any]) -> dict[str, Any]:
            answer: dict[str, Any] = (await station.call("DataTransfer", payload)).require()
            return answer

        echo = {"vendorId": "org.evharness", "messageId": "Echo", "data": "ping"}
        assert await transfer(echo) == {"status": "Accepted", "data": "ping"}
        assert await transfer({"vendorId": "org.evharness", "messageId": "Nope"}) == {
            "status": "UnknownMessageId"
        }
        assert await transfer({"vendorId": "com.unknown"}) == {"status": "UnknownVendorId"}

    run(sqlite_url, version, scenario)
