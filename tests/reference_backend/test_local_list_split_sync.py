"""A live station that takes two identifications per SendLocalList gets a list of six from the
reference backend in several messages (D01.FR.11: Full, then Differentials), on 1.6 and 2.0.1; a
refused Differential is followed by the Full list, and the limit is read again on the next
registration."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import orjson
import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence.records import ProvisionedIdentification
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.core.model import StationConfig
from tests.reference_backend.test_local_list_sync import held, synced, until

VERSIONS = [OcppVersion.V16, OcppVersion.V201]
SIX = [
    ProvisionedIdentification(IdType.PIN, "#1111", "Ada", "One"),
    ProvisionedIdentification(IdType.PIN, "#2222", "Bo", "Two"),
    ProvisionedIdentification(IdType.PIN, "#33333333", "Cy", "Three"),
    ProvisionedIdentification(IdType.RFID, "04A2B3C4", "Di", "Four"),
    ProvisionedIdentification(IdType.RFID, "04A2B3C4D5E6F7", "Ed", "Five"),
    ProvisionedIdentification(IdType.RFID, "E004010203040506", "Fay", "Six"),
]
MORE = [
    ProvisionedIdentification(IdType.PIN, "#4444", "Gus", "Seven"),
    ProvisionedIdentification(IdType.RFID, "0A0B0C0D", "Hal", "Eight"),
]


class SendLocalLists:
    """The SendLocalList requests the station received, from its frame hook."""

    def __init__(self) -> None:
        self.requests: list[dict[str, object]] = []

    def __call__(self, direction: str, text: str, at: float) -> None:
        frame = orjson.loads(text)
        if direction == "in" and frame[0] == 2 and frame[2] == "SendLocalList":
            self.requests.append(frame[3])

    def shape(self, version: OcppVersion) -> list[tuple[str, int, int]]:
        key = "listVersion" if version is OcppVersion.V16 else "versionNumber"
        return [
            (str(r["updateType"]), int(str(r[key])), len(r.get("localAuthorizationList", [])))  # type: ignore[arg-type]
            for r in self.requests
        ]


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_list_over_the_stations_limit_goes_in_several_messages(
    sqlite_url: str, version: OcppVersion
) -> None:
    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            store = backend.store
            station_id, _ = store.ensure_station("SIM-SPLIT", datetime.now(UTC))
            backend.ocpp.gate.records.save("SIM-SPLIT", pins_on_profile_0=True)  # docs/security.md
            store.provision(station_id, SIX)
            seen = SendLocalLists()
            config = StationConfig(
                serial_number="SIM-SPLIT", variables=(("LocalAuthListCtrlr.ItemsPerMessage", "2"),)
            )
            station = LiveStation("SIM-SPLIT", version, backend.ocpp_url, config=config, on_frame=seen)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                await until(lambda: synced(backend, station, station_id, 3))
                assert seen.shape(version) == [("Full", 1, 2), ("Differential", 2, 2), ("Differential", 3, 2)]
                assert held(station) == {item.code: "Accepted" for item in SIX}

                # Two added, one blocked, one removed: four changes, two Differentials.
                seen.requests.clear()
                blocked = ProvisionedIdentification(IdType.PIN, "#1111", "Ada", "One", blocked=True)
                store.provision(station_id, [blocked, *SIX[1:5], *MORE], remove=["E004010203040506"])
                assert await backend.sync_local_list("SIM-SPLIT") == "Accepted"
                assert seen.shape(version) == [("Differential", 4, 2), ("Differential", 5, 2)]
                wanted = {item.code: "Accepted" for item in [*SIX[1:5], *MORE]} | {"#1111": "Blocked"}
                assert held(station) == wanted

                # The station now takes one per message, but the backend still believes two: the
                # Differential is refused, so is the Full sent after it; the list stays as it was.
                station.station.device.put("LocalAuthListCtrlr.ItemsPerMessage", "1")
                seen.requests.clear()
                store.provision(station_id, [blocked, *SIX[1:5]], remove=[m.code for m in MORE])
                assert await backend.sync_local_list("SIM-SPLIT") == "Failed"
                assert seen.shape(version) == [("Differential", 6, 2), ("Full", 7, 2)]
                assert held(station) == wanted
                assert station.station.local_list.version == 5

                # On its next registration the backend reads the new limit; the station still holds
                # version 5, so the two removals go out one per message.
                seen.requests.clear()
                await station.disconnect()
                await station.reconnect()
                assert await station.boot() == "Accepted"
                await until(lambda: synced(backend, station, station_id, 7))
                assert seen.shape(version) == [("Differential", 6, 1), ("Differential", 7, 1)]
                assert held(station) == {item.code: "Accepted" for item in SIX[1:5]} | {"#1111": "Blocked"}
                assert station.failures() == []
            finally:
                await station.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_list_over_the_stations_capacity(
    sqlite_url: str, version: OcppVersion, caplog: pytest.LogCaptureFixture
) -> None:
    """1.6 reports its capacity (LocalAuthListMaxLength): the backend sends nothing and says why.
    2.0.1 keeps it in Entries' maxLimit, which the backend does not read: the station refuses the
    part that overflows it, the backend sends the Full list again, and the station keeps what fits."""
    caplog.set_level(logging.INFO, logger="evharness.reference_backend.local_lists")

    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            station_id, _ = backend.store.ensure_station("SIM-CAP", datetime.now(UTC))
            backend.ocpp.gate.records.save("SIM-CAP", pins_on_profile_0=True)  # docs/security.md
            backend.store.provision(station_id, SIX)
            seen = SendLocalLists()
            small = (("LocalAuthListCtrlr.ItemsPerMessage", "2"), ("LocalAuthListMaxLength", "3"))
            config = StationConfig(serial_number="SIM-CAP", variables=small)
            station = LiveStation("SIM-CAP", version, backend.ocpp_url, config=config, on_frame=seen)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                if version is OcppVersion.V16:
                    await until(lambda: "exceed the list's capacity of 3" in caplog.text)
                    assert seen.requests == []
                    assert station.station.local_list.version == 0
                else:
                    await until(lambda: len(seen.requests) == 4)
                    assert seen.shape(version) == [
                        ("Full", 1, 2),
                        ("Differential", 2, 2),  # would make 4 > 3: Failed
                        ("Full", 4, 2),  # above every version planned before (1-3)
                        ("Differential", 5, 2),  # Failed again: the round ends
                    ]
                    await until(lambda: synced(backend, station, station_id, 4))
                    assert held(station) == {"#1111": "Accepted", "#2222": "Accepted"}
            finally:
                await station.close()

    asyncio.run(scenario())


def test_a_2_0_1_station_whose_list_is_off_gets_no_list(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """LocalAuthListCtrlr.Enabled false, read with the limits at registration: no SendLocalList
    (the station would answer Failed to each, after every boot)."""
    caplog.set_level(logging.INFO, logger="evharness.reference_backend.local_lists")

    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            station_id, _ = backend.store.ensure_station("SIM-OFF", datetime.now(UTC))
            backend.ocpp.gate.records.save("SIM-OFF", pins_on_profile_0=True)  # docs/security.md
            backend.store.provision(station_id, SIX)
            seen = SendLocalLists()
            config = StationConfig(
                serial_number="SIM-OFF", variables=(("LocalAuthListCtrlr.Enabled", "false"),)
            )
            station = LiveStation("SIM-OFF", OcppVersion.V201, backend.ocpp_url, config=config, on_frame=seen)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                await until(
                    lambda: "SIM-OFF: LocalAuthListCtrlr.Enabled is false; no list sent" in caplog.text
                )
                assert await backend.sync_local_list("SIM-OFF") is None  # a change sends nothing either
                assert seen.requests == []
                assert backend.store.local_list_sent(station_id) is None
            finally:
                await station.close()

    asyncio.run(scenario())
