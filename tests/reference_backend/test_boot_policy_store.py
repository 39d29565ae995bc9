"""Boot policies and boot holds outlive a restart: stored on SQLite and PostgreSQL, written through by
the console API, read back at start; bad input writes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from evharness.conformance.station import OcttStation
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.boot_policies import BootPolicies
from evharness.reference_backend.domain.boot import BootPolicy, PolicyName, Registration
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.boot_records import BootRecords
from evharness.reference_backend.settings import BackendSettings

from .helpers import boot_201
from .test_boot_policy_api import TOKEN, api

PENDING = BootPolicy(PolicyName.PENDING, 30, trigger=True)


def test_choices_and_holds_are_read_back_by_a_new_instance(store: Store) -> None:
    first = BootPolicies(records=BootRecords(store.engine))
    first.restore()
    first.set("CP-P", PENDING)
    first.set("CP-R", BootPolicy(PolicyName.REJECTED, 60))
    first.set("CP-GONE", PENDING)
    first.clear("CP-GONE")
    first.record("CP-P", Registration.PENDING)
    first.record("CP-R", Registration.REJECTED)
    first.record("CP-A", Registration.ACCEPTED)

    again = BootPolicies(records=BootRecords(store.engine))
    again.restore()
    assert again.policy_for("CP-P") == PENDING
    assert again.policy_for("CP-R").name is PolicyName.REJECTED
    assert not again.is_own("CP-GONE")
    assert (again.held_back("CP-P"), again.held_back("CP-R"), again.held_back("CP-A")) == (True, True, False)

    again.record("CP-P", Registration.ACCEPTED)  # booted again and was accepted: released
    again.set("CP-R", BootPolicy())  # the operator accepts it: released too
    last = BootPolicies(records=BootRecords(store.engine))
    last.restore()
    assert not last.held_back("CP-P")
    assert not last.held_back("CP-R")
    assert last.policy_for("CP-R") == BootPolicy()


def run_twice(sqlite_url: str, first: Any, second: Any) -> None:
    """Two backends, one after the other, on the same database file: a restart."""
    config = BackendSettings(
        ocpp_port=0, api_port=0, database_url=sqlite_url, operator_token=TOKEN, boot_retry_interval=45
    )

    async def main() -> None:
        async with BackendServer(config) as backend:
            await first(backend)
        async with BackendServer(config) as backend:
            await second(backend)

    asyncio.run(main())


def test_a_restarted_backend_still_holds_the_station_pending(sqlite_url: str) -> None:
    async def before(backend: BackendServer) -> None:
        choice = {"policy": "pending", "retry_interval": 90}
        status, body = await api(backend, "PUT", "CP-1/boot-policy", choice)
        assert status == 200, body
        station = OcttStation("CP-1", OcppVersion.V201, backend.ocpp_url, call_timeout=5)
        await station.connect()
        try:
            assert (await station.call("BootNotification", boot_201())).require()["status"] == "Pending"
        finally:
            await station.disconnect()

    async def after(backend: BackendServer) -> None:
        status, body = await api(backend, "GET", "CP-1/boot-policy")
        assert (status, body["policy"], body["retry_interval"], body["own"]) == (200, "pending", 90, True)
        assert body["registration"] == "Pending"  # its last answer, from before the restart
        station = OcttStation("CP-1", OcppVersion.V201, backend.ocpp_url, call_timeout=5)
        await station.connect()
        try:
            # reconnected without booting: still held back (B02.FR.09)
            assert (await station.call("Heartbeat", {})).error == "SecurityError"
            first = (await station.call("BootNotification", boot_201())).require()
            assert (first["status"], first["interval"]) == ("Pending", 90)
            assert (await station.call("BootNotification", boot_201())).require()["status"] == "Accepted"
        finally:
            await station.disconnect()

    run_twice(sqlite_url, before, after)


def test_bad_input_writes_nothing(sqlite_url: str) -> None:
    async def before(backend: BackendServer) -> None:
        choice = {"policy": "pending", "retry_interval": -1}
        status, body = await api(backend, "PUT", "CP-1/boot-policy", choice)
        assert status == 422, body
        assert "retry_interval" in str(body["detail"])
        assert BootRecords(backend.store.engine).load().policies == {}

    async def after(backend: BackendServer) -> None:
        status, body = await api(backend, "GET", "CP-1/boot-policy")
        assert (status, body["policy"], body["own"]) == (200, "accepted", False)

    run_twice(sqlite_url, before, after)
