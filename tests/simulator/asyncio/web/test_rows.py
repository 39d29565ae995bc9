"""The fleet table's rows, conditions and paging, and the station page's data (no sockets)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.ocppj.versions import OcppVersion
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.asyncio.web.detail import new_frames, shown_code, station_detail
from evharness.simulator.asyncio.web.rows import CONDITION_NAMES, FleetQuery, condition, fleet_page
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.local_auth import ListUpdate, TokenInfo
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for

CLOCK = ManualClock()


def link(identity: str, version: OcppVersion = OcppVersion.V201) -> StationLink:
    station = Station(identity, adapter_for(version), StationConfig(serial_number=identity), CLOCK.now())
    return StationLink(station, "ws://127.0.0.1:9/ocpp", CLOCK)


def online(made: StationLink) -> StationLink:
    made.station.connected = True
    made.station.boot_status = "Accepted"
    return made


def test_each_station_is_in_the_first_condition_that_holds() -> None:
    offline, booting, idle, plugged, charging = (link(f"S-{n}") for n in range(5))
    booting.station.connected = True
    for made in (idle, plugged, charging):
        online(made)
    plugged.station.evses[1].connectors[1].plugged = True
    charging.station.evses[1].connectors[1].plugged = True
    charging.station.evses[1].meter.draw(7400.0, CLOCK.now())
    assert [condition(x.station) for x in (offline, booting, idle, plugged, charging)] == [
        "offline",
        "booting",
        "idle",
        "plugged",
        "charging",
    ]


def test_a_page_holds_only_its_rows_and_counts_the_whole_fleet() -> None:
    links = [link(f"SIM-{n:04d}") for n in range(1, 121)]
    for made in links[:30]:
        online(made)
    view = fleet_page(links, FleetQuery(page=1, size=50), CLOCK.now())
    assert [row["identity"] for row in view["rows"]] == [f"SIM-{n:04d}" for n in range(51, 101)]
    assert (view["total"], view["matching"], view["pages"]) == (120, 120, 3)
    assert view["counts"]["idle"] == 30
    assert view["counts"]["offline"] == 90
    idle = fleet_page(links, FleetQuery(condition="idle", search="sim-001"), CLOCK.now())
    assert [row["identity"] for row in idle["rows"]] == [f"SIM-{n:04d}" for n in range(10, 20)]
    beyond = fleet_page(links, FleetQuery(page=99, size=50), CLOCK.now())
    assert beyond["page"] == 2  # the last page, not an empty one
    assert len(beyond["rows"]) == 20


@given(st.integers(0, 40), st.integers(1, 12), st.integers(0, 8))
def test_paging_shows_every_matching_station_once(count: int, size: int, page: int) -> None:
    links = [link(f"P-{n}") for n in range(count)]
    seen = []
    view = fleet_page(links, FleetQuery(page=0, size=size), CLOCK.now())
    for number in range(view["pages"]):
        seen += [row["identity"] for row in fleet_page(links, FleetQuery(number, size), CLOCK.now())["rows"]]
    assert seen == [made.station.identity for made in links]
    assert fleet_page(links, FleetQuery(page, size), CLOCK.now())["page"] <= max(0, view["pages"] - 1)


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"size": 0}, "size must be from 1 to 500"),
        ({"size": 501}, "size must be from 1 to 500"),
        ({"condition": "asleep"}, "condition must be one of"),
        ({"page": "two"}, "invalid literal"),
    ],
)
def test_a_bad_query_is_refused_saying_why(message: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        FleetQuery.of(message)


def test_conditions_are_named_once() -> None:
    assert len(set(CONDITION_NAMES)) == len(CONDITION_NAMES)


def test_the_station_page_masks_pins_and_lists_what_the_station_keeps() -> None:
    made = online(link("SIM-0001", OcppVersion.V16))
    station = made.station
    updates = [ListUpdate("#4821", TokenInfo("Accepted")), ListUpdate("04A2B3C4", TokenInfo("Blocked"))]
    assert station.local_list.apply("Full", 3, updates) == "Accepted"
    station.auth_cache.store("4821", TokenInfo("Accepted"), CLOCK.now())
    detail = station_detail(made, CLOCK.now())
    assert detail["local_list"] == [
        {"code": "#****", "status": "Accepted", "expires_at": None, "group": None},
        {"code": "04A2B3C4", "status": "Blocked", "expires_at": None, "group": None},
    ]
    assert [entry["code"] for entry in detail["auth_cache"]] == ["#****"]
    names = {row["name"]: row for row in detail["configuration"]}
    assert names["HeartbeatInterval"]["access"] == "ReadWrite"
    assert "AuthorizationKey" not in names  # write-only: never shown
    assert detail["local_list_version"] == 3
    assert "recent_frames" not in detail


def test_2_0_1_configuration_is_the_device_model_without_write_only_variables() -> None:
    names = {row["name"] for row in station_detail(link("SIM-0002"), CLOCK.now())["configuration"]}
    assert "OCPPCommCtrlr.MessageAttempts[TransactionEvent]" in names
    assert "SecurityCtrlr.BasicAuthPassword" not in names


@pytest.mark.parametrize(
    ("code", "shown"), [("#1234", "#****"), ("1234", "#****"), ("04A2B3C4D5E6F7", "04A2B3C4D5E6F7")]
)
def test_codes_are_shown_as_people_may_see_them(code: str, shown: str) -> None:
    assert shown_code(code) == shown


def test_new_frames_follow_the_bounded_log() -> None:
    made = link("SIM-0003")
    log = made.station.frame_log
    first = ("out", "[2]", 1.0)
    log.append(first)
    assert new_frames(log, None) == ([first], False)
    second = ("in", "[3]", 2.0)
    log.append(second)
    assert new_frames(log, first) == ([second], False)
    assert new_frames(log, second) == ([], False)
    for n in range(log.maxlen or 0):
        log.append(("out", str(n), 3.0))
    frames, skipped = new_frames(log, second)
    assert skipped
    assert len(frames) == log.maxlen
