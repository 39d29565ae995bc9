"""The backend keeps a live station's Local Authorization List in sync, on 1.6 and 2.0.1: a Full
list on registration, a Differential after a change, a Full again when the station's version is not
the one last sent or a Differential is refused; the station then authorizes offline from it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence.records import ProvisionedIdentification
from evharness.reference_backend.persistence.station_access import StationStore
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation

VERSIONS = [OcppVersion.V16, OcppVersion.V201]
PIN = ProvisionedIdentification(IdType.PIN, "#1234", "Ada", "Pin")
CARD = ProvisionedIdentification(IdType.RFID, "04A2B3C4", "Bo", "Card")
LATER = datetime.now(UTC) + timedelta(days=30)


def held(station: LiveStation) -> dict[str, str]:
    return {code: info.status for code, info in station.station.local_list.entries.items()}


def synced(backend: BackendServer, station: LiveStation, station_id: int, version: int) -> bool:
    """The station holds `version` and the backend has recorded sending it."""
    sent = backend.store.local_list_sent(station_id)
    return station.station.local_list.version == version and sent is not None and sent[0] == version


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(250):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the station's local list never got there")


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_the_station_holds_the_backends_list_and_authorizes_offline_from_it(
    sqlite_url: str, version: OcppVersion
) -> None:
    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            store = backend.store
            station_id, _ = store.ensure_station("SIM-LL", datetime.now(UTC))
            backend.ocpp.gate.records.save("SIM-LL", pins_on_profile_0=True)  # docs/security.md
            store.provision(station_id, [PIN, CARD])
            station = LiveStation("SIM-LL", version, backend.ocpp_url)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                await until(lambda: synced(backend, station, station_id, 1))
                assert held(station) == {"#1234": "Accepted", "04A2B3C4": "Accepted"}

                # A change: the card's user is blocked, a new PIN with an expiry is added.
                later = ProvisionedIdentification(IdType.PIN, "#5678", "Cy", "Later", expires_at=LATER)
                store.provision(station_id, [PIN, replace(CARD, blocked=True), later])
                assert await backend.sync_local_list("SIM-LL") == "Accepted"
                assert station.station.local_list.version == 2
                assert held(station) == {"#1234": "Accepted", "04A2B3C4": "Blocked", "#5678": "Accepted"}
                expiry = station.station.local_list.entries["#5678"].expires_at
                assert expiry == pytest.approx(LATER.timestamp(), abs=1.0)
                assert await backend.sync_local_list("SIM-LL") is None  # nothing changed: nothing sent

                # A removal through the console hook: the entry goes, the version grows.
                store.provision(station_id, [PIN, later], remove=["04a2b3c4"])
                assert backend.stations.on_identifications_changed is not None
                backend.stations.on_identifications_changed("SIM-LL")
                await until(lambda: synced(backend, station, station_id, 3))
                assert held(station) == {"#1234": "Accepted", "#5678": "Accepted"}

                # The station lost track (its version is ahead): the Differential is refused with
                # VersionMismatch and the backend sends the Full list instead.
                station.station.local_list.version = 10
                store.provision(station_id, [PIN, later, CARD])
                assert await backend.sync_local_list("SIM-LL") == "Accepted"
                assert station.station.local_list.version == 5  # Differential 4 refused, Full 5
                assert held(station) == {"#1234": "Accepted", "04A2B3C4": "Accepted", "#5678": "Accepted"}

                # Offline, the list decides (LocalAuthorizeOffline is on by default).
                await station.disconnect()
                await station.plug_in()
                assert await station.present_token(IdType.PIN, "#1234") == "Accepted"
                assert station.failures() == []
            finally:
                await station.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_station_whose_version_differs_gets_the_full_list_on_registration(
    sqlite_url: str, version: OcppVersion
) -> None:
    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            station_id, _ = backend.store.ensure_station("SIM-LL2", datetime.now(UTC))
            backend.ocpp.gate.records.save("SIM-LL2", pins_on_profile_0=True)  # docs/security.md
            backend.store.provision(station_id, [PIN])
            station = LiveStation("SIM-LL2", version, backend.ocpp_url)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                await until(lambda: synced(backend, station, station_id, 1))
                await station.disconnect()
                station.station.local_list.version = 7  # e.g. another CSMS wrote a list meanwhile
                station.station.local_list.entries = {}
                await station.reconnect()
                assert await station.boot() == "Accepted"  # registered again on the new connection
                await until(lambda: synced(backend, station, station_id, 8))
                assert held(station) == {"#1234": "Accepted"}
            finally:
                await station.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_provisioned_tokens_are_in_the_list_with_their_status_and_group(
    sqlite_url: str, version: OcppVersion
) -> None:
    """docs/authorization.md: a token provisioned for the station is a list entry (status by the
    decision table, group as parentIdTag / groupIdToken); a change goes out as a Differential."""

    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            store = backend.store
            station_id, _ = store.ensure_station("SIM-LLT", datetime.now(UTC))
            store.provision(station_id, [CARD])
            with StationStore(store.engine).begin() as tx:
                tx.put_token(station_id, "Central", "TAG-001", "active", LATER, "FLEET-7")
                tx.put_token(station_id, "eMAID", "NL-EVH-C00000001-K", "inactive", None, None)
            station = LiveStation("SIM-LLT", version, backend.ocpp_url)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                await until(lambda: synced(backend, station, station_id, 1))
                assert held(station) == {
                    "04A2B3C4": "Accepted",
                    "TAG-001": "Accepted",
                    "NL-EVH-C00000001-K": "Invalid",
                }
                entry = station.station.local_list.entries["TAG-001"]
                assert entry.group == "FLEET-7"
                assert entry.expires_at == pytest.approx(LATER.timestamp(), abs=1.0)
                with StationStore(store.engine).begin() as tx:
                    tx.put_token(station_id, "eMAID", "NL-EVH-C00000001-K", "active", None, None)
                assert await backend.sync_local_list("SIM-LLT") == "Accepted"
                assert station.station.local_list.version == 2
                assert held(station)["NL-EVH-C00000001-K"] == "Accepted"
            finally:
                await station.close()

    asyncio.run(scenario())
