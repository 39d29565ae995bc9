"""The asyncio transport over real websockets on 127.0.0.1, against the reference backend in-process."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.core.events import TransactionEnded

VERSIONS = [OcppVersion.V16, OcppVersion.V201]


def settings(database_url: str, port: int = 0) -> BackendSettings:
    return BackendSettings(ocpp_port=port, api_port=0, database_url=database_url, validate_outgoing=True)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_live_station_charges_over_real_websockets(
    database_url: str, store: Store, version: OcppVersion
) -> None:
    async def scenario() -> tuple[float, float | None]:
        async with BackendServer(settings(database_url)) as backend:
            station = LiveStation("SIM-0001", version, backend.ocpp_url)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                await station.plug_in()
                assert await station.present_token(IdType.RFID, "04a2b3c4d50001") == "Accepted"  # any case
                delivered = await station.charge(energy_kwh=3.3)
                await station.stop()
                await station.unplug()
                assert station.failures() == []
            finally:
                await station.close()
            (record,) = backend.store.transactions("SIM-0001")
            return delivered, record.energy_wh

    delivered, recorded = asyncio.run(scenario())
    assert delivered == pytest.approx(3300.0)
    assert recorded == pytest.approx(3300.0, abs=1.0)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_the_station_reconnects_and_replays_what_it_queued_while_the_csms_was_away(
    database_url: str, store: Store, version: OcppVersion
) -> None:
    async def scenario() -> tuple[list[float], list[float | None], int]:
        backend = BackendServer(settings(database_url))
        await backend.start()
        port = backend.ocpp_port
        station = LiveStation("SIM-0002", version, backend.ocpp_url)
        await station.connect()
        try:
            await station.boot()
            await station.plug_in()
            await station.present_token(IdType.PIN, "#4822")  # pin_charging's #482{n} at SIM-0002
            await station.charge(seconds=600, power_kw=7.4)
            await backend.stop()  # the CSMS goes away in the middle of the session
            async with asyncio.timeout(5):
                while station.station.connected:  # noqa: ASYNC110 - the flag belongs to the sans-I/O core
                    await asyncio.sleep(0.01)
            station.station.ev_draw(1, 7_400.0, station.clock.now())
            station.clock.advance(1800)  # meter values fall due while offline
            station.station.tick(station.clock.now())
            station.station.stop_transaction(1, "Local", station.clock.now())
            backend = BackendServer(settings(database_url, port))
            await backend.start()
            await station.settle()  # reconnects by itself, then replays in order
            metered = [e.energy_wh for e in station.station.events if isinstance(e, TransactionEnded)]
            recorded = [t.energy_wh for t in backend.store.transactions("SIM-0002")]
            return metered, recorded, station.link.connections
        finally:
            await station.close()
            await backend.stop()

    metered, recorded, connections = asyncio.run(scenario())
    assert connections == 2
    assert len(metered) == 1
    assert metered[0] == pytest.approx(7_400.0 * 2400 / 3600, abs=1.0)
    assert recorded == [pytest.approx(metered[0], abs=1.0)]


@pytest.mark.parametrize(
    ("version", "code"), [(OcppVersion.V16, "FormationViolation"), (OcppVersion.V201, "FormatViolation")]
)
def test_a_malformed_frame_gets_a_callerror_and_the_connection_lives_on(
    database_url: str, version: OcppVersion, code: str
) -> None:
    async def scenario() -> tuple[list[object], list[object]]:
        async with (
            BackendServer(settings(database_url)) as backend,
            connect(
                backend.ocpp_url + "RAW-1", subprotocols=[Subprotocol(version.subprotocol)], proxy=None
            ) as websocket,
        ):
            await websocket.send('[2, "m1", "Heartbeat", {')
            error = orjson.loads(await websocket.recv())
            await websocket.send('[2, "m2", "Heartbeat", {}]')  # unknown station: refused, but answered
            after = orjson.loads(await websocket.recv())
            return error, after

    error, after = asyncio.run(scenario())
    assert error[:3] == [4, "-1", code]
    assert after[:2] == [4, "m2"]  # the connection is still open and still answering


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_restarted_live_station_delivers_what_its_predecessor_queued_offline(
    database_url: str, store: Store, version: OcppVersion, tmp_path: Path
) -> None:
    async def scenario() -> tuple[int, float | None, bool]:
        async with BackendServer(settings(database_url)) as backend:
            first = LiveStation("SIM-0001", version, backend.ocpp_url, state_dir=str(tmp_path))
            await first.connect()
            assert await first.boot() == "Accepted"
            await first.plug_in()
            assert await first.present_token(IdType.RFID, "04A2B3C4D50001") == "Accepted"
            await first.charge(energy_kwh=1)
            await first.disconnect()
            await first.charge(energy_kwh=2)
            await first.stop()
            await first.close()  # the process dies with its queue on disk
            journaled = len(orjson.loads((tmp_path / "SIM-0001.journal.json").read_bytes())["queue"])
            second = LiveStation("SIM-0001", version, backend.ocpp_url, state_dir=str(tmp_path))
            await second.connect()
            assert await second.boot() == "Accepted"  # the journal goes out once accepted
            await second.settle()
            empty = orjson.loads((tmp_path / "SIM-0001.journal.json").read_bytes())["queue"] == []
            await second.close()
            (record,) = backend.store.transactions("SIM-0001")
            return journaled, record.energy_wh, empty

    journaled, recorded, empty = asyncio.run(scenario())
    assert journaled >= 2
    assert recorded == pytest.approx(3000.0, abs=1.0)
    assert empty
