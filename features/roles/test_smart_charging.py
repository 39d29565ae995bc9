"""Steps of smart_charging.feature: what the simulated stations hold, and the site limit."""

from __future__ import annotations

import time
from collections.abc import Callable

from pytest_bdd import given, parsers, scenarios, then, when

from evharness.idtokens import IdType
from evharness.reference_backend.domain.load_management import SITE_PROFILE_ID
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.asyncio.portal import BackgroundLoop
from evharness.simulator.core.ev import EvSpec
from evharness.simulator.core.model import StationConfig
from features.onboarding.conftest import World
from features.roles.conftest import VERSIONS, ok

scenarios("smart_charging.feature")


def _eventually(check: Callable[[], bool], what: str) -> None:
    """The backend pushes profiles in the background after it answered: wait for them a little."""
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _limit(station: LiveStation, profile_id: int) -> float | None:
    profile = station.station.profiles.profiles.get(profile_id)
    return None if profile is None else profile.periods[0].limit


@then(parsers.parse('station "{identity}" holds charging profile {profile_id:d} limited to {limit:g}'))
def holds_profile(live: dict[str, LiveStation], identity: str, profile_id: int, limit: float) -> None:
    station = live[identity]
    _eventually(lambda: _limit(station, profile_id) == limit, f"{identity}: profile {profile_id} at {limit}")


@then(parsers.parse('station "{identity}" holds the site profile limited to {limit:g}'))
def holds_site_profile(live: dict[str, LiveStation], identity: str, limit: float) -> None:
    holds_profile(live, identity, SITE_PROFILE_ID, limit)


@then(parsers.parse('station "{identity}" holds no site profile'))
def holds_no_site_profile(live: dict[str, LiveStation], identity: str) -> None:
    station = live[identity]
    _eventually(lambda: _limit(station, SITE_PROFILE_ID) is None, f"{identity}: the site profile cleared")


@then(parsers.parse('{who} sees the charging profiles of station "{identity}" as {listed}'))
def sees_profiles(world: World, who: str, identity: str, listed: str) -> None:
    found = ok(world, "GET", f"/api/stations/{identity}/charging-profiles", who)
    shown = ", ".join(f"{p['profile_id']} {p['purpose']}" for p in found) or "none"
    assert shown == listed


@when(parsers.parse('{who} sets the site limit of installation "{name}" to {amps:g}'))
def sets_site_limit(world: World, who: str, name: str, amps: float) -> None:
    world.call("PUT", f"/api/installations/{world.values[name]}/site-limit", who, {"limit_a": amps})


@when(parsers.parse('{who} removes the site limit of installation "{name}"'))
def removes_site_limit(world: World, who: str, name: str) -> None:
    ok(world, "PUT", f"/api/installations/{world.values[name]}/site-limit", who, {"limit_a": None})


@given(parsers.parse('Fred added the RFID card "{uid}" at station "{identity}"'))
def adds_card(world: World, uid: str, identity: str) -> None:
    body = {"uid": uid, "first_name": "Card", "last_name": "Fred"}
    ok(world, "POST", f"/api/stations/{identity}/rfid-cards", "Fred", body)


@when(parsers.parse('an EV starts charging at station "{identity}" with the card "{uid}"'))
def starts_charging(
    live: dict[str, LiveStation], onboarding_loop: BackgroundLoop, identity: str, uid: str
) -> None:
    station = live[identity]
    onboarding_loop.run(station.plug_in())
    assert onboarding_loop.run(station.present_token(IdType.RFID, uid)) == "Accepted"
    _eventually(lambda: station.transaction() is not None, f"{identity}: a transaction")


@when(parsers.parse('the session at station "{identity}" stops'))
def session_stops(live: dict[str, LiveStation], onboarding_loop: BackgroundLoop, identity: str) -> None:
    onboarding_loop.run(live[identity].stop())


@given(parsers.parse('{who} set max_current of station "{identity}" to {value}'))
def set_max_current(world: World, who: str, identity: str, value: str) -> None:
    """The installer's first settings edit: its installer role on the station."""
    ok(world, "PATCH", f"/api/stations/{identity}/settings", who, {"max_current": int(value)})


@given(parsers.parse('station "{identity}" is online on OCPP {version} with an ISO 15118 EV'))
def online_with_iso15118_ev(
    world: World, live: dict[str, LiveStation], onboarding_loop: BackgroundLoop, identity: str, version: str
) -> None:
    config = StationConfig(serial_number=identity, ev=EvSpec(iso15118=True, energy_kwh=20))
    station = LiveStation(identity, VERSIONS[version], world.backend.ocpp_url, config=config)
    live[identity] = station
    onboarding_loop.run(station.connect())
    assert onboarding_loop.run(station.boot()) == "Accepted"


@then(parsers.parse('{who} sees the notices of station "{identity}" as {listed}'))
def sees_notices(world: World, who: str, identity: str, listed: str) -> None:
    def shown() -> str:
        found = ok(world, "GET", f"/api/stations/{identity}/charging-notices", who)
        return ", ".join(f"{n['action']} {n['status']}" for n in found)

    _eventually(lambda: shown() == listed, f"{identity}: notices {listed}; got {shown()}")
