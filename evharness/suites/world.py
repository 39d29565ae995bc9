"""The charging suites' world and shared steps: a simulated station (`LiveStation`) at the CSMS under test.

The target CSMS, its options (`--csms-url`, `--id-prefix` …, each also an EVHARNESS_ variable) and
the background loop come from the evharness pytest plugin (`evharness.conformance.plugin`): by
default it starts the reference backend (`running_backend`), seeded with stations `--id-prefix`-0001 …
and the bundled scenarios' tokens; `--csms-url` points the suites at another CSMS, which must know the
same (`evharness provision --print` lists it). A suite's conftest star-imports this module.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytest_bdd import given, parsers, then, when

from evharness import scenarios
from evharness.conformance.target import CsmsTarget
from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.asyncio.portal import BackgroundLoop


@dataclass
class Target:
    """The CSMS the charging features talk to."""

    ocpp_url: str
    id_prefix: str
    database_url: str | None = None  # only when it is the reference backend started here

    def next_identity(self) -> str:
        return f"{self.id_prefix}-{next(_NUMBERS):04d}"


# One count per process: every conftest that star-imports this module registers its own `target`.
_NUMBERS = itertools.count(1)


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest, running_backend: CsmsTarget) -> Target:
    return Target(
        running_backend.ocpp_url, request.config.getoption("--id-prefix"), running_backend.database_url
    )


class World:
    """What one feature scenario has seen so far."""

    def __init__(self, portal: BackgroundLoop, target: Target) -> None:
        self.portal = portal
        self.target = target
        self.station: LiveStation | None = None
        self.answer: str | None = None
        self.delivered_wh: float = 0.0
        self.transaction_ids: list[str] = []

    @property
    def live(self) -> LiveStation:
        assert self.station is not None, "no station in this scenario yet"
        return self.station


@pytest.fixture
def world(portal: BackgroundLoop, target: Target) -> Iterator[World]:
    state = World(portal, target)
    yield state
    if state.station is not None:
        portal.run(state.station.close())


# -- shared steps ------------------------------------------------------------------------------


@given(parsers.parse("a station that speaks OCPP {protocol}"))
def a_station(world: World, protocol: str) -> None:
    station = LiveStation(world.target.next_identity(), OcppVersion.parse(protocol), world.target.ocpp_url)
    world.portal.run(station.connect())
    world.station = station


@given(parsers.parse("a booted station that speaks OCPP {protocol}"))
def a_booted_station(world: World, protocol: str) -> None:
    a_station(world, protocol)
    assert world.portal.run(world.live.boot()) == "Accepted"


@when("the station boots")
def the_station_boots(world: World) -> None:
    world.answer = world.portal.run(world.live.boot())


@then("the CSMS accepts the station")
def the_csms_accepts(world: World) -> None:
    assert world.answer == "Accepted", f"BootNotification answered {world.answer}"


@when(parsers.parse('the driver plugs in and presents the {kind} "{token}" of scenario "{scenario}"'))
def plug_in_and_present(world: World, kind: str, token: str, scenario: str) -> None:
    declared = scenarios.load(scenario).for_station(world.live.identity).token(token)  # its `{n}` codes
    expected_type = IdType.PIN if "PIN" in kind else IdType.RFID
    assert declared.type is expected_type, f"{token} is a {declared.type.value}, not a {kind}"
    world.portal.run(world.live.plug_in())
    world.answer = world.portal.run(world.live.present_token(declared.type, declared.code))


@then(parsers.parse('the CSMS answers "{status}"'))
def the_csms_answers(world: World, status: str) -> None:
    assert world.answer == status, f"expected {status}, the CSMS answered {world.answer}"


@then(parsers.parse('the CSMS answers one of "{statuses}"'))
def the_csms_answers_one_of(world: World, statuses: str) -> None:
    allowed = [s.strip() for s in statuses.split(",")]
    assert world.answer in allowed, f"expected one of {allowed}, the CSMS answered {world.answer}"


@then("a transaction is running")
def a_transaction_is_running(world: World) -> None:
    transaction = world.live.transaction()
    assert transaction is not None
    assert transaction.authorized
    assert not transaction.ended
    world.transaction_ids.append(transaction.local_id)


@then("no transaction is running")
def no_transaction_is_running(world: World) -> None:
    transaction = world.live.transaction()
    assert transaction is None or not transaction.authorized, "a refused token started charging"


@when(parsers.parse("the EV charges {kwh:g} kWh"))
def the_ev_charges(world: World, kwh: float) -> None:
    world.delivered_wh = world.portal.run(world.live.charge(energy_kwh=kwh))


@when("the driver stops charging and unplugs")
def stop_and_unplug(world: World) -> None:
    world.portal.run(world.live.stop())
    world.portal.run(world.live.unplug())


@then(parsers.parse("the station metered {kwh:g} kWh in that transaction"))
def the_station_metered(world: World, kwh: float) -> None:
    assert abs(world.delivered_wh - kwh * 1000) < 0.5, f"metered {world.delivered_wh} Wh"


@then("no OCPP call of the station failed")
def no_call_failed(world: World) -> None:
    assert world.live.failures() == []
