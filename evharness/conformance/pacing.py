"""The pause between a station's connections.

Each case has its own station, so without a pause the OCTT station reconnects ~10 ms after the last
case closed its socket; a CSMS may need longer (one loses its message-broker channel on such a fast
reconnect and then serves no station). One `Pacer` per run, shared by every case's station and by
the handshake probes: a connection of an identity waits until `--reconnect-delay` seconds have
passed since that identity's last socket closed.
"""

from __future__ import annotations

import asyncio
import time


class Pacer:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self._closed_at: dict[str, float] = {}

    def closed(self, identity: str) -> None:
        self._closed_at[identity] = time.monotonic()

    async def before_connect(self, identity: str) -> None:
        last = self._closed_at.get(identity)
        if last is not None:
            left = self.delay - (time.monotonic() - last)
            if left > 0:
                await asyncio.sleep(left)
