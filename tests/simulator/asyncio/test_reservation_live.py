"""A simulated station and the reference backend over real websockets: the backend reserves, the
station holds the EVSE for the token, the start uses the reservation and both sides agree."""

from __future__ import annotations

import asyncio
import time

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.core.events import ReservationChanged

CARD = "04A2B3C4D50003"  # SIM-0003's own card (the seeded rfid_charging scenario: 04A2B3C4D5{n:04X})
PIN = "#4823"  # SIM-0003's own PIN (pin_charging: #482{n})


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_the_backend_reserves_and_the_station_keeps_the_evse_for_the_token(
    database_url: str, store: Store, version: OcppVersion
) -> None:
    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=database_url, validate_outgoing=True)
        async with BackendServer(settings) as backend:
            station = LiveStation("SIM-0003", version, backend.ocpp_url)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                expiry = format_timestamp(time.time() + 3600)
                if version is OcppVersion.V16:
                    request = {"reservationId": 3, "connectorId": 1, "expiryDate": expiry, "idTag": CARD}
                else:
                    token = {"idToken": CARD, "type": "ISO14443"}
                    request = {"id": 3, "evseId": 1, "expiryDateTime": expiry, "idToken": token}
                outcome = await backend.operations.call("SIM-0003", "ReserveNow", request)
                assert outcome.payload == {"status": "Accepted"}
                await station.settle()
                assert [r.id for r in station.reservations()] == [3]
                await station.plug_in()
                await station.present_token(IdType.PIN, PIN)  # another token: the station keeps it out
                kept_out = station.transaction()
                assert kept_out is None or not kept_out.authorized
                refused = [e for e in station.station.events if isinstance(e, ReservationChanged)]
                assert refused[-1].what == "refused_token"
                assert await station.present_token(IdType.RFID, CARD) == "Accepted"
                running = station.transaction()
                assert running is not None
                assert running.reservation_id == 3
                station_id = backend.store.find_station_id("SIM-0003")
                assert station_id is not None
                (kept,) = backend.store.reservations.of_station(station_id, backend.console.now())
                assert kept.state == "used"
                assert await station.data_transfer("org.evharness", "Echo", "ping") == "Accepted"
                assert station.failures() == []
            finally:
                await station.close()

    asyncio.run(scenario())
