"""The lifecycle table is what the station does: every row, taken from its phase, lands in the phase
the table names; a happening a phase does not list changes nothing and sends nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.simulator.core.codec import StartPoint
from evharness.simulator.core.lifecycle import (
    TABLE,
    Happening,
    Occurrence,
    Phase,
    Step,
    phase_of,
    render_markdown,
)
from evharness.simulator.core.model import PresentedToken, StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import codec_for

DRIVER = PresentedToken(IdType.RFID, "04A2B3C4D50001")
VERSIONS = {StartPoint.AUTHORIZED: OcppVersion.V16, StartPoint.EV_CONNECTED: OcppVersion.V201}
# how to reach each phase from a fresh station (offline: nothing is answered)
ROUTES: dict[Phase, tuple[str, ...]] = {
    Phase.IDLE: (),
    Phase.AUTHORIZED: ("accept",),
    Phase.PLUGGED: ("plug",),  # 2.0.1: the plug-in opens a transaction; it is stopped again below
    Phase.OPEN: ("plug",),
    Phase.STARTING: ("plug", "accept_online"),
    Phase.CHARGING: ("plug", "accept"),
    Phase.SUSPENDED: ("plug", "accept", "refuse_keep"),
}
UNREACHABLE = {(StartPoint.AUTHORIZED, Phase.OPEN)}  # 1.6 opens no transaction without a token


def reachable(start_point: StartPoint, phase: Phase) -> bool:
    return (start_point, phase) not in UNREACHABLE


def station_in(phase: Phase, start_point: StartPoint) -> Station:
    station = Station("SIM-0001", codec_for(VERSIONS[start_point]), StationConfig(connectors_per_evse=2), 0.0)
    evse = station.evses[1]
    for move in ROUTES[phase]:
        match move:
            case "plug":
                station.plug_in(1, 1, 0.0)
                if phase is Phase.PLUGGED and start_point is StartPoint.EV_CONNECTED:
                    station.stop_transaction(1, "Local", 0.0)
            case "accept":
                station.lifecycle.handle(evse, Occurrence(Happening.ACCEPTED_LOCALLY, DRIVER), 0.0)
            case "accept_online":
                station.lifecycle.handle(evse, Occurrence(Happening.ACCEPTED, DRIVER), 0.0)
            case "refuse_keep":
                station.lifecycle.handle(evse, Occurrence(Happening.REFUSED_KEEP, reason="DeAuthorized"), 0.0)
    assert phase_of(evse) is phase
    return station


def happen(station: Station, happening: Happening, phase: Phase) -> None:
    if happening is Happening.PLUG:
        station.plug_in(1, 2 if phase is not Phase.IDLE and phase is not Phase.AUTHORIZED else 1, 1.0)
    elif happening is Happening.UNPLUG:
        station.unplug(1, 1, 1.0)
    else:
        station.lifecycle.handle(station.evses[1], Occurrence(happening, DRIVER), 1.0)


ROWS = [
    (start_point, phase, happening, found)
    for start_point, phases in TABLE.items()
    for phase, row in phases.items()
    for happening, found in row.items()
    if reachable(start_point, phase)
]


@pytest.mark.parametrize(
    ("start_point", "phase", "happening", "found"),
    ROWS,
    ids=[f"{sp.value}-{p.value}-{h.value}" for sp, p, h, _ in ROWS],
)
def test_each_row_lands_where_the_table_says(
    start_point: StartPoint, phase: Phase, happening: Happening, found: object
) -> None:
    station = station_in(phase, start_point)
    happen(station, happening, phase)
    expected = TABLE[start_point][phase][happening]
    if Step.PASS_HELD in expected.steps:  # the held token happens again at once (offline: locally)
        expected = TABLE[start_point][expected.next][Happening.ACCEPTED_LOCALLY]
    assert phase_of(station.evses[1]) is expected.next


QUIET = [
    (start_point, phase, happening)
    for start_point in TABLE
    for phase in ROUTES
    for happening in Happening
    if reachable(start_point, phase)
    and happening not in TABLE[start_point][phase]
    and happening not in (Happening.PLUG, Happening.UNPLUG)
]


@pytest.mark.parametrize(("start_point", "phase", "happening"), QUIET, ids=lambda v: getattr(v, "value", v))
def test_a_happening_the_phase_does_not_list_changes_nothing(
    start_point: StartPoint, phase: Phase, happening: Happening
) -> None:
    station = station_in(phase, start_point)
    before = (phase_of(station.evses[1]), len(station.transactional_queue), station.queue_revision)
    happen(station, happening, phase)
    assert (phase_of(station.evses[1]), len(station.transactional_queue), station.queue_revision) == before


def test_the_architecture_page_shows_the_table() -> None:
    text = (Path(__file__).resolve().parents[3] / "docs/architecture.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- lifecycle:start -->\n(.*?)<!-- lifecycle:end -->", text, re.S)
    assert found, "docs/architecture.md has no <!-- lifecycle:start --> … <!-- lifecycle:end --> block"
    assert found.group(1) == render_markdown(), "regenerate the table from simulator.core.lifecycle.TABLE"
