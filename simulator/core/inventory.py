"""The 2.0.1 device model as a report (B07, GetBaseReport → NotifyReport), in neutral words.

The report holds the controllers' variables (`device_model.VARIABLES`) and the physical components a
CSMS builds its view of the station from (2.0.1 Part 2 Appendix, "referenced components"):
`ChargingStation`, each `EVSE` (with its evse id) and each `Connector` (evse id and connectorId),
each with AvailabilityState, Available, SupplyPhases, and Power / ConnectorType where they have them.
What each report base holds is data (`BASES`): FullInventory everything; ConfigurationInventory what
the operator can set (not ReadOnly); SummaryInventory the availability of every component.
`pages` splits the rows by DeviceDataCtrlr.ItemsPerMessage/BytesPerMessage[GetReport].

GetReport (B08) picks rows of the full report (`select`): `Wanted` components (by name, EVSE and
connector) and, if named, one variable of each; componentCriteria keep the components whose variable
of the criterion's name (Active, Available, Enabled, Problem) is true. Both given: both apply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from evharness.simulator.core.device_model import Access, DeviceModel, Kind, ReportRow, Variable
from evharness.simulator.core.model import ConnectorState, Evse, StationConfig


class ReportBase(StrEnum):
    FULL = "FullInventory"
    CONFIGURATION = "ConfigurationInventory"
    SUMMARY = "SummaryInventory"


AVAILABILITY = ("AvailabilityState", "Available")
PHYSICAL = ("ChargingStation", "EVSE", "Connector")

# report base → which rows it holds
BASES: dict[ReportBase, Callable[[ReportRow], bool]] = {
    ReportBase.FULL: lambda row: True,
    ReportBase.CONFIGURATION: lambda row: row.definition.access is not Access.READ_ONLY,
    ReportBase.SUMMARY: lambda row: row.component in PHYSICAL and row.variable in AVAILABILITY,
}

_STATE = Variable("Available", Kind.OPTION_LIST, Access.READ_ONLY)
_FLAG = Variable("true", Kind.BOOLEAN, Access.READ_ONLY)
_COUNT = Variable("3", Kind.INTEGER, Access.READ_ONLY)
_POWER = Variable("0", Kind.DECIMAL, Access.READ_ONLY)
_TYPE = Variable("cType2", Kind.OPTION_LIST, Access.READ_ONLY)

# a connector's state → AvailabilityState (the 2.0.1 ConnectorStatusEnumType's words)
AVAILABILITY_STATE: dict[ConnectorState, str] = {
    ConnectorState.AVAILABLE: "Available",
    ConnectorState.OCCUPIED: "Occupied",
    ConnectorState.CHARGING: "Occupied",
    ConnectorState.FINISHING: "Occupied",
    ConnectorState.UNAVAILABLE: "Unavailable",
    ConnectorState.FAULTED: "Faulted",
    ConnectorState.RESERVED: "Reserved",
}


def _row(
    component: str,
    name: str,
    definition: Variable,
    value: str,
    evse: int | None = None,
    connector: int | None = None,
    max_limit: int | None = None,
) -> ReportRow:
    return ReportRow(component, name, None, definition, value, max_limit, evse, connector)


def physical(config: StationConfig, evses: dict[int, Evse]) -> list[ReportRow]:
    """ChargingStation, each EVSE and each Connector, as they are now."""
    any_operative = any(evse.operative for evse in evses.values())
    phases = str(config.phases)
    rows = [
        _row("ChargingStation", "AvailabilityState", _STATE, "Available" if any_operative else "Unavailable"),
        _row("ChargingStation", "Available", _FLAG, "true"),
        _row("ChargingStation", "SupplyPhases", _COUNT, phases),
    ]
    for evse in evses.values():
        if not evse.operative:
            state = "Unavailable"
        elif evse.transaction is not None or evse.plugged:
            state = "Occupied"
        else:
            state = "Available"
        rows += [
            _row("EVSE", "AvailabilityState", _STATE, state, evse.id),
            _row("EVSE", "Available", _FLAG, "true", evse.id),
            _row(
                "EVSE", "Power", _POWER, f"{evse.meter.power_w:g}", evse.id, max_limit=int(evse.max_power_w)
            ),
            _row("EVSE", "SupplyPhases", _COUNT, phases, evse.id),
        ]
        for connector in evse.connectors.values():
            at = (evse.id, connector.id)
            rows += [
                _row("Connector", "AvailabilityState", _STATE, AVAILABILITY_STATE[connector.state], *at),
                _row("Connector", "Available", _FLAG, "true", *at),
                _row("Connector", "ConnectorType", _TYPE, config.connector_type, *at),
                _row("Connector", "SupplyPhases", _COUNT, phases, *at),
            ]
    return rows


def report(
    base: ReportBase, device: DeviceModel, config: StationConfig, evses: dict[int, Evse]
) -> list[ReportRow]:
    """The rows of `base`: the physical components first, then the controllers."""
    keep = BASES[base]
    return [row for row in [*physical(config, evses), *device.report()] if keep(row)]


def pages(sizes: Sequence[int], items: int, max_bytes: int, overhead: int) -> list[tuple[int, int]]:
    """(first, count) of each NotifyReport, given each row's size in bytes: at most `items` rows
    and `max_bytes` (with `overhead` for the rest of the message) per page; a row too big alone
    still gets its own page (every page holds at least one row)."""
    found: list[tuple[int, int]] = []
    first, size = 0, overhead
    for index, row_size in enumerate(sizes):
        count = index - first
        if count and (count >= items or size + row_size > max_bytes):
            found.append((first, count))
            first, size = index, overhead
        size += row_size
    found.append((first, len(sizes) - first))
    return found


@dataclass(frozen=True, slots=True)
class Wanted:
    """One GetReport componentVariable: a component (its EVSE / connector if given), a variable or all."""

    component: str
    evse_id: int | None = None
    connector_id: int | None = None
    variable: str | None = None
    instance: str | None = None

    def picks(self, row: ReportRow) -> bool:
        return (
            row.component == self.component
            and (self.evse_id is None or row.evse_id == self.evse_id)
            and (self.connector_id is None or row.connector_id == self.connector_id)
            and (self.variable is None or row.variable == self.variable)
            and (self.instance is None or row.instance == self.instance)
        )


@dataclass(frozen=True, slots=True)
class Selection:
    """What a GetReport asks for (B08); empty: everything."""

    criteria: tuple[str, ...] = ()  # componentCriteria: Active, Available, Enabled, Problem
    wanted: tuple[Wanted, ...] = ()


def select(rows: Sequence[ReportRow], selection: Selection) -> list[ReportRow]:
    """The rows a GetReport reports, in report order."""

    def component(row: ReportRow) -> tuple[str, int | None, int | None]:
        return row.component, row.evse_id, row.connector_id

    meeting = {
        component(row)
        for row in rows
        if row.variable in selection.criteria and (row.value or "").lower() == "true"
    }
    return [
        row
        for row in rows
        if (not selection.criteria or component(row) in meeting)
        and (not selection.wanted or any(w.picks(row) for w in selection.wanted))
    ]
