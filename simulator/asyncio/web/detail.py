"""Everything the station page shows about one station, as JSON-able data (PINs masked).

The base is `simulator.state.station_state`; every key of it that the page does not know is shown in
its "Features" section, so what later OCPP functions add to the state (reservations, firmware progress,
display messages) appears without a page change.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from evharness.redaction import MASK, mask
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.asyncio.web.rows import condition
from evharness.simulator.core.device_model import Access
from evharness.simulator.core.events import CallFailed, PeerViolated
from evharness.simulator.core.local_auth import TokenInfo
from evharness.simulator.state import station_state

RECENT_ERRORS = 20
Frame = tuple[str, str, float]


def shown_code(code: str) -> str:
    """A card UID as it is; a PIN masked, with or without its `#` (a short all-digit code may be a PIN
    on the 2.0.1 wire: masked too, at the price of hiding the odd all-digit 4-byte card UID)."""
    return MASK if code.isdigit() and len(code) <= 8 else mask(None, code)


def _token(code: str, info: TokenInfo) -> dict[str, Any]:
    return {
        "code": shown_code(code),
        "status": info.status,
        "expires_at": info.expires_at,
        "group": info.group,
    }


def configuration(link: StationLink) -> list[dict[str, Any]]:
    """The 1.6 configuration keys or the 2.0.1 device model variables, as the CSMS can read them."""
    device = link.station.device
    if link.station.adapter.version.value == "1.6":
        rows = []
        for key in device.keys_16():
            found = device.get_key(key)
            if found is not None:
                access = "ReadOnly" if found[1] else "ReadWrite"
                rows.append({"name": key, "value": found[0], "access": access})
        return rows
    return [
        {
            "name": f"{row.component}.{row.variable}" + (f"[{row.instance}]" if row.instance else ""),
            "value": row.value,
            "access": row.definition.access.value,
        }
        for row in device.report()
        if row.definition.access is not Access.WRITE_ONLY
    ]


def station_detail(link: StationLink, now: float) -> dict[str, Any]:
    station = link.station
    state = station_state(station, now, frames=1)
    del state["recent_frames"]  # the page follows the frame log itself (`new_frames`)
    errors = [
        {"at": e.at, "text": f"{e.action}: {e.code} {e.description}".strip()}
        if isinstance(e, CallFailed)
        else {"at": e.at, "text": f"CSMS violated OCPP-J: {e.description}"}
        for e in station.events
        if isinstance(e, CallFailed | PeerViolated)
    ][-RECENT_ERRORS:]
    return state | {
        "condition": condition(station),
        "link": {
            "url": link.url,
            "connections": link.connections,
            "disconnections": link.disconnections,
            "last_error": link.last_error,
        },
        "local_list": [_token(code, info) for code, info in sorted(station.local_list.entries.items())],
        "auth_cache": [_token(code, info) for code, info in station.auth_cache.entries()],
        "configuration": configuration(link),
        "errors": errors,
    }


def new_frames(log: deque[Frame], last: Frame | None) -> tuple[list[Frame], bool]:
    """The frames logged after `last` (compared by identity: each logged frame is its own tuple), and
    whether some were missed because the bounded log dropped them meanwhile."""
    frames = list(log)
    if last is None:
        return frames, False
    for index in range(len(frames) - 1, -1, -1):
        if frames[index] is last:
            return frames[index + 1 :], False
    return frames, True
