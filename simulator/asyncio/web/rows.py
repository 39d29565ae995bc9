"""What the fleet table and the metrics say about a station: its condition and its one-line row.

A station's condition is the first of `CONDITIONS` that holds, so each station is in exactly one
(the filter of the fleet page and the `evharness_sim_stations` gauge count the same thing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.core.events import CallFailed, PeerViolated
from evharness.simulator.core.station import Station

RECENT_EVENTS = 50  # how far back a row looks for the last error


def _charging(station: Station) -> bool:
    return any(evse.meter.power_w > 0 for evse in station.evses.values())


def _in_transaction(station: Station) -> bool:
    return any(e.transaction is not None and not e.transaction.ended for e in station.evses.values())


def _plugged(station: Station) -> bool:
    return any(evse.plugged for evse in station.evses.values())


CONDITIONS: list[tuple[str, Callable[[Station], bool]]] = [
    ("offline", lambda s: not s.connected),
    ("booting", lambda s: s.boot_status != "Accepted"),  # connected: no answer yet, Pending or Rejected
    ("charging", _charging),
    ("in_transaction", _in_transaction),  # a transaction, no energy flowing (suspended, not authorized)
    ("plugged", _plugged),
    ("idle", lambda s: True),
]
CONDITION_NAMES = [name for name, _ in CONDITIONS]


def condition(station: Station) -> str:
    return next(name for name, holds in CONDITIONS if holds(station))


def last_error(link: StationLink) -> str | None:
    """The station's latest CALL failure or protocol violation by the CSMS, else its connection error."""
    for event in reversed(link.station.events[-RECENT_EVENTS:]):
        if isinstance(event, CallFailed):
            return f"{event.action}: {event.code} {event.description}".strip()
        if isinstance(event, PeerViolated):
            return f"CSMS violated OCPP-J: {event.description}"
    return link.last_error


def fleet_row(link: StationLink, now: float) -> dict[str, Any]:
    station = link.station
    connectors, transactions = [], []
    energy_wh = power_w = 0.0
    for evse in station.evses.values():
        evse.meter.advance(now)
        energy_wh += evse.meter.energy_wh
        power_w += evse.meter.power_w
        connectors += [f"{evse.id}/{c.id} {c.state.value}" for c in evse.connectors.values()]
        if evse.transaction is not None and not evse.transaction.ended:
            transactions.append(evse.transaction.key)
    return {
        "identity": station.identity,
        "protocol": station.adapter.version.value,
        "condition": condition(station),
        "connectors": connectors,
        "transaction": ", ".join(transactions) or None,
        "energy_wh": round(energy_wh, 1),
        "power_w": round(power_w, 1),
        "faults": sorted({kind for kind, _ in station.faults.injected}),
        "error": last_error(link),
        "limits": limits(station, now),
    }


def limits(station: Station, now: float) -> list[str]:
    """Each EVSE's smart-charging limit now, for the fleet table ("1: 3.7"), where it has one."""
    shown = []
    for evse in station.evses.values():
        transaction = evse.transaction
        key = None if transaction is None else transaction.key
        started = None if transaction is None else transaction.started_at
        limit = station.profiles.limit_w(evse.id, now, key, started)
        if limit is not None:
            shown.append(f"{evse.id}: {limit / 1000.0:.1f}")
    return shown


@dataclass(frozen=True)
class FleetQuery:
    """One page of the fleet table: stations whose identity contains `search`, in `condition` (if any)."""

    page: int = 0
    size: int = 50
    condition: str | None = None
    search: str = ""

    @classmethod
    def of(cls, message: dict[str, Any]) -> FleetQuery:
        size = int(message.get("size", 50))
        if not 1 <= size <= 500:
            raise ValueError("size must be from 1 to 500")
        wanted = message.get("condition") or None
        if wanted is not None and wanted not in CONDITION_NAMES:
            raise ValueError(f"condition must be one of {', '.join(CONDITION_NAMES)}")
        return cls(max(0, int(message.get("page", 0))), size, wanted, str(message.get("search", ""))[:100])


def fleet_matching(
    links: Iterable[StationLink], query: FleetQuery
) -> tuple[int, dict[str, int], list[StationLink]]:
    """The whole fleet's size and counts per condition, and the stations the query matches, in order."""
    counts = dict.fromkeys(CONDITION_NAMES, 0)
    matching: list[StationLink] = []
    needle = query.search.casefold()
    total = 0
    for link in links:
        total += 1
        state = condition(link.station)
        counts[state] += 1
        if needle and needle not in link.station.identity.casefold():
            continue
        if query.condition is None or state == query.condition:
            matching.append(link)
    return total, counts, matching


def page_of(matching: int, query: FleetQuery) -> tuple[int, int]:
    """The page shown (the one asked for, or the last there is) and how many pages there are."""
    pages = max(1, -(-matching // query.size))
    return min(query.page, pages - 1), pages


def fleet_page(links: Iterable[StationLink], query: FleetQuery, now: float) -> dict[str, Any]:
    """The counts per condition of the whole fleet, and the rows of the one page asked for."""
    total, counts, matching = fleet_matching(links, query)
    page, pages = page_of(len(matching), query)
    shown = matching[page * query.size : (page + 1) * query.size]
    return {
        "total": total,
        "counts": counts,
        "matching": len(matching),
        "page": page,
        "pages": pages,
        "size": query.size,
        "rows": [fleet_row(link, now) for link in shown],
    }


def fleet_slice(
    links: Iterable[StationLink], query: FleetQuery, offset: int, limit: int, now: float
) -> dict[str, Any]:
    """The counts, and the rows of the matching stations from `offset` on (one worker's part of a page
    of a fleet spread over processes: `simulator.workers.proxy`)."""
    total, counts, matching = fleet_matching(links, query)
    shown = matching[offset : offset + limit]
    return {
        "total": total,
        "counts": counts,
        "matching": len(matching),
        "rows": [fleet_row(link, now) for link in shown],
    }
