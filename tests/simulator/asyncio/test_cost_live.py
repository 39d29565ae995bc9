"""A simulated station and the reference backend over real websockets: the station has a tariff at the
CSMS, and the station records the cost it is told (2.0.1 CostUpdated + totalCost, 1.6 DataTransfer)
and shows it in its state (the control API's and the fleet page's)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.console import tariffs
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.core.cost import CostState

CARD = "04A2B3C4D50003"  # SIM-0003's own card (the seeded rfid_charging scenario)
TARIFF: dict[str, object] = {"currency": "CHF", "energy_price_per_kwh": "0.30", "session_fee": "0.50"}


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_the_station_records_the_cost_it_is_told(
    database_url: str, store: Store, version: OcppVersion
) -> None:
    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=database_url, validate_outgoing=True)
        async with BackendServer(settings) as backend:
            station = LiveStation("SIM-0003", version, backend.ocpp_url)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                # through the console's use case, as the API does: the currency is pushed to the station
                operator = tariffs.as_operator(backend.stations, "SIM-0003")
                await asyncio.to_thread(tariffs.set_tariff, backend.stations, operator, TARIFF)
                await station.settle()
                assert station.station.device.values["TariffCostCtrlr.Currency"] == "CHF"
                await station.plug_in()
                assert await station.present_token(IdType.RFID, CARD) == "Accepted"
                await station.charge(energy_kwh=2)
                await station.stop()
                await station.unplug()
                for _ in range(50):  # 1.6: the FinalCost DataTransfer follows the Stop's answer
                    if any(c.state is CostState.FINAL for c in station.costs()):
                        break
                    await asyncio.sleep(0.05)
                (record,) = station.costs()
                assert record.state is CostState.FINAL
                assert record.total is not None
                assert record.total >= Decimal("1.10")  # 0.50 + 2 kWh × 0.30
                shown = station.state()["costs"]
                assert shown == [
                    {
                        "transaction": record.transaction_id,
                        "state": "final",
                        "total": str(record.total),
                        "currency": "CHF",
                        "shown": f"Total cost: {record.total} CHF",
                    }
                ]
                assert station.failures() == []
            finally:
                await station.close()

    asyncio.run(scenario())
