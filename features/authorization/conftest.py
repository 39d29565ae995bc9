"""The authorization suites: one reference backend for the whole folder, the roles' cast, fresh stations.

The backend (in-process, SQLite, the onboarding suites' SMTP mailbox) and the cast are made once per
session: Pia's partner company, Fred's customer company with installation "Garage", and Eve, a
confirmed user. Each scenario gets a fresh station: Pia registers it, Fred adds it to "Garage" (facility
owner, who sets the identification types) and hands it over to Eve (EVSE owner, who manages its local
users); then a simulated station (`LiveStation`) with that identity connects over a real websocket on the
backend's loop, its frames logged (`wire.FrameLog`). Steps shared by the feature files live here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_bdd import given, parsers, then, when

from evharness.idtokens import IdType
from evharness.reference_backend.backend import BackendServer
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.asyncio.portal import BackgroundLoop
from evharness.simulator.core.model import StationConfig
from features.authorization.local_users import KINDS, STATES, LocalUsers
from features.authorization.scene import Charger, Scene, eventually, parse_settings
from features.authorization.wire import FrameLog
from features.onboarding.conftest import World, logged_in, start_backend
from features.onboarding.mailbox import Mailbox
from features.roles.conftest import *  # noqa: F403  (the onboarding and roles fixtures and steps)
from features.roles.conftest import VERSIONS, a_company, added, ok, owns_installation, registered

PROTOCOL = r"(?P<protocol>1\.6|2\.0\.1)"
ID_TYPES = {"pin": IdType.PIN, "rfid": IdType.RFID}
_identities = itertools.count(1)


@pytest.fixture(scope="session")  # type: ignore[no-redef]  # replaces the per-scenario backend
def backend(
    onboarding_loop: BackgroundLoop, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BackendServer]:
    """One backend for every authorization scenario: each has its own station, so nothing is shared."""
    started = start_backend(onboarding_loop, Path(tmp_path_factory.mktemp("authorization")), mailbox)
    yield started
    onboarding_loop.run(started.stop())


@dataclass(frozen=True)
class Cast:
    people: dict[str, Any]
    values: dict[str, Any]


def _client(backend: BackendServer) -> httpx.Client:
    return httpx.Client(base_url=backend.api_url.rstrip("/").removesuffix("/api"), timeout=30)


@pytest.fixture(scope="session")
def cast(backend: BackendServer, mailbox: Mailbox) -> Cast:
    with _client(backend) as http:
        setup = World(backend, mailbox, http)
        a_company(setup, "Volt Supply")
        owns_installation(setup, "Garage")  # Fred's "Harbour Parking"
        logged_in(setup, "Eve")
    return Cast(setup.people, setup.values)


@pytest.fixture  # type: ignore[no-redef]  # replaces the onboarding suites' world: the cast is shared
def world(backend: BackendServer, mailbox: Mailbox, cast: Cast) -> Iterator[World]:
    with _client(backend) as http:
        yield World(backend, mailbox, http, people=cast.people, values=dict(cast.values))


@pytest.fixture
def scene(onboarding_loop: BackgroundLoop) -> Iterator[Scene]:
    found = Scene(onboarding_loop)
    yield found
    for charger in found.chargers:
        onboarding_loop.run(charger.live.close())


# -- the station -----------------------------------------------------------------------------


def eves_station(world: World, scene: Scene, protocol: str, evses: int = 1, settings: str = "") -> Charger:
    identity = f"AUTH-{next(_identities):04d}"
    registered(world, identity)
    added(world, "Fred", identity, "Garage")
    ok(world, "POST", f"/api/stations/{identity}/handover", "Fred", {"email": world.person("Eve").email})
    # the suite's stations connect on profile 0: their supplier allows PINs in their lists (docs/security.md)
    ok(world, "PUT", f"/api/stations/{identity}/security", "Pia", {"pins_on_profile_0": True})
    wire = FrameLog()
    config = StationConfig(serial_number=identity, evses=evses, variables=parse_settings(settings))
    live = LiveStation(identity, VERSIONS[protocol], world.backend.ocpp_url, config=config, on_frame=wire)
    charger = Charger(live, wire, LocalUsers(world, identity))
    scene.chargers.append(charger)
    scene.run(live.connect())
    assert scene.run(live.boot()) == "Accepted"
    return charger


@given(parsers.re(rf"Eve's station is online on OCPP {PROTOCOL}$"))
def eves_station_online(world: World, scene: Scene, protocol: str) -> None:
    eves_station(world, scene, protocol)


@given(parsers.re(rf"Eve's station with (?P<evses>\d+) EVSEs is online on OCPP {PROTOCOL}$"))
def online_with_evses(world: World, scene: Scene, evses: str, protocol: str) -> None:
    eves_station(world, scene, protocol, evses=int(evses))


@given(parsers.re(rf"Eve's station is online on OCPP {PROTOCOL}, configured with (?P<settings>.+)$"))
def online_configured(world: World, scene: Scene, protocol: str, settings: str) -> None:
    eves_station(world, scene, protocol, settings=settings)


@when("the station loses its connection to the backend")
def goes_offline(scene: Scene) -> None:
    scene.run(scene.charger.live.disconnect())


@when("the station is back online")
def back_online(scene: Scene) -> None:
    scene.run(scene.charger.live.reconnect())


# -- local users, through the console ---------------------------------------------------------


@given(parsers.parse('the {kind} "{code}" is {state} at the station'))
def in_state(scene: Scene, kind: str, code: str, state: str) -> None:
    scene.charger.users.set_up(kind, code, STATES[state])


@given(parsers.parse('Eve added the {kind} "{code}" for a new local user {name}'))
def eve_adds_at_once(scene: Scene, kind: str, code: str, name: str) -> None:
    scene.charger.users.add_at_once(name, kind, code)


@given(parsers.parse('Eve added the local user {name} with the {kind} "{code}"'))
@when(parsers.parse('Eve gives {name} the {kind} "{code}"'))
def eve_adds(scene: Scene, name: str, kind: str, code: str) -> None:
    scene.charger.users.add(name, kind, code)


@when(parsers.parse("Eve blocks {name}"))
def eve_blocks(scene: Scene, name: str) -> None:
    scene.charger.users.block(name)


@when(parsers.parse("Eve unblocks {name}"))
def eve_unblocks(scene: Scene, name: str) -> None:
    scene.charger.users.block(name, blocked=False)


@when(parsers.parse('Eve deletes the {kind} "{code}"'))
def eve_deletes(scene: Scene, kind: str, code: str) -> None:
    scene.charger.users.remove(code)


# -- a driver at the station ----------------------------------------------------------------------


PRESENTS = (
    r"a driver plugs in(?: at EVSE (?P<evse>\d+))? "
    r'and presents the (?P<kind>PIN code|RFID card) "(?P<code>[^"]+)"$'
)


@given(parsers.re(PRESENTS))
@when(parsers.re(PRESENTS))
def plugs_in_and_presents(scene: Scene, evse: str | None, kind: str, code: str) -> None:
    charger, number = scene.charger, int(evse or 1)
    scene.run(charger.live.plug_in(number))
    charger.told = scene.run(charger.live.present_token(ID_TYPES[KINDS[kind]], code, number))


@then(parsers.parse('the station is told "{status}"'))
def is_told(scene: Scene, status: str) -> None:
    assert scene.charger.told == status, f"expected {status}, the station was told {scene.charger.told}"


@then(parsers.re(r"charging starts(?: at EVSE (?P<evse>\d+))?$"))
def charging_starts(scene: Scene, evse: str | None) -> None:
    transaction = scene.charger.live.transaction(int(evse or 1))
    assert transaction is not None, "no transaction"
    assert transaction.authorized, transaction
    assert not transaction.ended, transaction


@then(parsers.re(r"charging does not start(?: at EVSE (?P<evse>\d+))?$"))
def charging_does_not_start(scene: Scene, evse: str | None) -> None:
    transaction = scene.charger.live.transaction(int(evse or 1))
    assert transaction is None or not transaction.authorized, "a refused token started charging"


@given(parsers.parse("the EV charges {kwh:g} kWh"))
@when(parsers.parse("the EV charges {kwh:g} kWh"))
def ev_charges(scene: Scene, kwh: float) -> None:
    scene.charger.delivered_wh = scene.run(scene.charger.live.charge(energy_kwh=kwh))
    assert abs(scene.charger.delivered_wh - kwh * 1000) < 0.5, f"metered {scene.charger.delivered_wh} Wh"


@given("the driver stops charging and unplugs")
@when("the driver stops charging and unplugs")
def stops_and_unplugs(scene: Scene) -> None:
    scene.run(scene.charger.live.stop())
    scene.run(scene.charger.live.unplug())


# -- what the station saw, what the backend holds ---------------------------------------------


@then(parsers.parse('the answer to the station\'s {action} said "{status}"'))
def answer_said(scene: Scene, action: str, status: str) -> None:
    found = scene.charger.wire.last_token_status(action)
    assert found == status, f"the last {action} answer on the wire said {found}"


@then(parsers.parse('the station\'s local list holds "{code}" as {status}'))
def list_holds(scene: Scene, code: str, status: str) -> None:
    local_list = scene.charger.live.station.local_list
    eventually(
        lambda: code in local_list.entries and local_list.entries[code].status == status,
        f"{code} held as {status} in the local list",
    )


@given("the station's local list is up to date")
def list_up_to_date(world: World, scene: Scene) -> None:
    """The station holds what the backend wants it to hold now (syncs run in the background)."""
    live, store = scene.charger.live, world.backend.store
    station_id = store.find_station_id(live.identity)
    assert station_id is not None

    def in_sync() -> bool:
        wanted = store.local_list_entries(station_id, live.station.adapter.version, datetime.now(UTC))
        held = {code: info.status for code, info in live.station.local_list.entries.items()}
        return {code: entry.status for code, entry in wanted.items()} == held

    eventually(in_sync, "the station's local list equal to the backend's")


@then(parsers.parse('the station\'s local list no longer holds "{code}"'))
def list_lacks(scene: Scene, code: str) -> None:
    eventually(
        lambda: code not in scene.charger.live.station.local_list.entries,
        f"{code} gone from the local list",
    )


@then(parsers.parse('the backend recorded a finished transaction of {kwh:g} kWh with the {kind} "{code}"'))
def backend_recorded(world: World, scene: Scene, kwh: float, kind: str, code: str) -> None:
    def finished() -> list[Any]:
        records = world.backend.store.transactions(scene.charger.identity)
        return [r for r in records if not r.running and (r.id_token or "").upper() == code.upper()]

    eventually(lambda: len(finished()) == 1, f"one finished transaction with {code}")
    (record,) = finished()
    assert record.energy_wh is not None, record
    assert abs(record.energy_wh - kwh * 1000) <= 1.0, f"recorded {record.energy_wh} Wh"


@then("no OCPP call of the station failed")
def nothing_failed(scene: Scene) -> None:
    assert scene.charger.live.failures() == []
