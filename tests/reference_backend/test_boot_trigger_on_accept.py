"""The operator accepts a station held Pending: the backend asks for its BootNotification at once
(TriggerMessage, F06) and the station is Accepted without waiting out its interval — a live simulator
station whose clock never moves, on 1.6 and 2.0.1. A Rejected station is sent nothing (B03)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import orjson
import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.boot import BootPolicy, PolicyName, Registration, trigger_on_accept
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation

from .test_boot_policy_api import TOKEN, api
from .test_local_list_sync import until

VERSIONS = [OcppVersion.V16, OcppVersion.V201]
HOUR = 3600


class Calls:
    """The CALLs on the wire and whose answer each is, in order: ("out", "BootNotification") …"""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, direction: str, text: str, at: float) -> None:
        frame = orjson.loads(text)
        if frame[0] == 2:
            self.seen.append((direction, frame[2]))


@pytest.mark.parametrize(
    ("policy", "state", "triggered"),
    [
        (PolicyName.ACCEPTED, Registration.PENDING, True),
        (PolicyName.ACCEPTED, Registration.REJECTED, False),  # B03: nothing to a Rejected station
        (PolicyName.ACCEPTED, Registration.ACCEPTED, False),
        (PolicyName.ACCEPTED, Registration.UNKNOWN, False),
        (PolicyName.PENDING, Registration.PENDING, False),
        (PolicyName.REJECTED, Registration.PENDING, False),
    ],
)
def test_only_an_accepted_policy_triggers_a_pending_station(
    policy: PolicyName, state: Registration, triggered: bool
) -> None:
    expected = {"requestedMessage": "BootNotification"} if triggered else None
    assert trigger_on_accept(BootPolicy(policy), state) == expected


Check = Callable[[BackendServer, LiveStation, "Calls"], Awaitable[None]]


def run(sqlite_url: str, version: OcppVersion, policy: str, check: Check, *, own: bool = False) -> None:
    """`policy` from the backend's default, or (`own`) the station's own over an accepting default."""
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=sqlite_url,
        operator_token=TOKEN,
        boot_policy=PolicyName.ACCEPTED if own else PolicyName(policy),
        boot_retry_interval=HOUR,
    )

    async def main() -> None:
        async with BackendServer(settings) as backend:
            if own:
                choice = {"policy": policy, "retry_interval": HOUR}
                assert (await api(backend, "PUT", "SIM-BOOT/boot-policy", choice))[0] == 200
            calls = Calls()
            station = LiveStation("SIM-BOOT", version, backend.ocpp_url, on_frame=calls)
            await station.connect()
            try:
                assert await station.boot() == policy.capitalize()
                await check(backend, station, calls)
            finally:
                await station.close()

    asyncio.run(main())


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_accepting_a_pending_station_triggers_its_boot(sqlite_url: str, version: OcppVersion) -> None:
    async def check(backend: BackendServer, station: LiveStation, calls: Calls) -> None:
        booted_at = station.clock.now()
        status, body = await api(backend, "PUT", "SIM-BOOT/boot-policy", {"policy": "accepted"})
        assert (status, body["registration"]) == (200, "Pending"), body
        await until(lambda: station.station.boot_status == "Accepted")
        await station.settle()
        assert calls.seen[:3] == [
            ("out", "BootNotification"),  # answered Pending, interval one hour
            ("in", "TriggerMessage"),  # right after the operator's PUT
            ("out", "BootNotification"),  # answered Accepted
        ]
        assert station.clock.now() == booted_at  # the station's clock never reached its retry
        assert (await api(backend, "GET", "SIM-BOOT/boot-policy"))[1]["registration"] == "Accepted"
        assert station.failures() == []

    run(sqlite_url, version, "pending", check)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_accepting_a_rejected_station_waits_for_its_retry(sqlite_url: str, version: OcppVersion) -> None:
    async def check(backend: BackendServer, station: LiveStation, calls: Calls) -> None:
        status, body = await api(backend, "PUT", "SIM-BOOT/boot-policy", {"policy": "accepted"})
        assert (status, body["registration"]) == (200, "Rejected"), body
        await station.advance(HOUR)  # the station boots again after the interval of the Rejected answer
        await until(lambda: station.station.boot_status == "Accepted")
        assert calls.seen[:2] == [("out", "BootNotification"), ("out", "BootNotification")]

    run(sqlite_url, version, "rejected", check)


def test_returning_to_an_accepting_default_triggers_too(sqlite_url: str) -> None:
    async def check(backend: BackendServer, station: LiveStation, calls: Calls) -> None:
        status, body = await api(backend, "DELETE", "SIM-BOOT/boot-policy")
        assert (status, body["policy"], body["own"]) == (200, "accepted", False), body
        await until(lambda: station.station.boot_status == "Accepted")
        assert calls.seen[:3] == [
            ("out", "BootNotification"),
            ("in", "TriggerMessage"),
            ("out", "BootNotification"),
        ]

    run(sqlite_url, OcppVersion.V201, "pending", check, own=True)
