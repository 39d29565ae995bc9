"""Live views over the control WebSocket: a connection subscribes to a page of the fleet table or to
one station, and is sent that view whenever it changed.

    → {"id": 1, "command": "subscribe", "view": "fleet", "page": 0, "size": 50, "condition": "charging",
       "search": "SIM-00"}
    ← {"id": 1, "ok": true}    then, when it changes:   ← {"event": "fleet", "total": …, "rows": […]}
    → {"id": 2, "command": "subscribe", "view": "station", "station": "SIM-0001"}
    ← {"event": "station", "state": {…} or null if unchanged, "frames": [new frames], "skipped": false}
    → {"id": 3, "command": "unsubscribe"}

A connection follows one view at a time (a new subscribe replaces the old one). Views are computed
on the server: the fleet page sends only the rows shown, so the browser's work does not grow with the
fleet. Views are compared as JSON text and sent only when they differ.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from websockets.exceptions import ConnectionClosed

from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.asyncio.web.detail import Frame, new_frames, station_detail
from evharness.simulator.asyncio.web.rows import FleetQuery, fleet_page

FLEET_EVERY_S = 0.5  # real seconds between two looks at the fleet
STATION_EVERY_S = 0.2
COMMANDS = ("subscribe", "unsubscribe")

Send = Callable[[str], Awaitable[None]]


class Follower:
    """The view one control connection follows, and the task that sends it."""

    def __init__(self, links: Mapping[str, StationLink], send: Send) -> None:
        self.links = links
        self.send = send
        self._task: asyncio.Task[None] | None = None

    def handle(self, message: dict[str, Any]) -> dict[str, Any]:
        """Start (or stop) following; the reply to the command (never raises)."""
        reply: dict[str, Any] = {"id": message.get("id")}
        try:
            if message["command"] == "unsubscribe":
                self.close()
            elif message.get("view") == "fleet":
                self._follow(self._fleet(FleetQuery.of(message)))
            elif message.get("view") == "station":
                self._follow(self._station(self.links[str(message["station"])]))
            else:
                raise ValueError("view must be fleet or station")
        except KeyError as missing:
            return reply | {"ok": False, "error": f"unknown or missing {missing}"}
        except (ValueError, TypeError) as exc:
            return reply | {"ok": False, "error": str(exc)}
        return reply | {"ok": True}

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _follow(self, view: Awaitable[None]) -> None:
        self.close()
        self._task = asyncio.ensure_future(_until_closed(view))

    async def _fleet(self, query: FleetQuery) -> None:
        last = None
        while True:
            started = time.monotonic()
            now = next(iter(self.links.values())).clock.now() if self.links else time.time()
            text = json.dumps({"event": "fleet"} | fleet_page(self.links.values(), query, now))
            if text != last:
                await self.send(text)
                last = text
            # a big fleet takes a while to look at: never spend more than a third of the time on it
            await asyncio.sleep(max(FLEET_EVERY_S, 2 * (time.monotonic() - started)))

    async def _station(self, link: StationLink) -> None:
        last_state = None
        last_frame: Frame | None = None
        while True:
            frames, skipped = new_frames(link.station.frame_log, last_frame)
            if frames:
                last_frame = frames[-1]
            state = json.dumps(station_detail(link, link.clock.now()))
            if frames or state != last_state:
                shown = [{"direction": d, "frame": text, "at": at} for d, text, at in frames]
                changed = None if state == last_state else json.loads(state)
                event = {"event": "station", "state": changed, "frames": shown, "skipped": skipped}
                await self.send(json.dumps(event))
                last_state = state
            await asyncio.sleep(STATION_EVERY_S)


async def _until_closed(view: Awaitable[None]) -> None:
    with contextlib.suppress(ConnectionClosed):  # the page went away: nothing more to send
        await view
