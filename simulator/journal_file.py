"""A station's journal on disk: `STATE_DIR/<identity>.journal.json`, replaced atomically.

The I/O half of `simulator.core.journal`: drivers call `JournalFile.restore(station)` before the
first connect and `JournalFile.sync(station, now)` after every turn of their loop; it writes only
when the station's transaction queue, its local authorization list or its certificates changed —
before the frames of that turn go out. The file holds `{"queue": [...], "local_list": {...},
"certificates": {...}, "running": [...], "registers": {...}}` (the certificate store and the
station's own keys: `simulator.core.certificates`; the open transactions and the meter registers:
`simulator.core.journal`) — what a real station keeps in non-volatile memory.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from evharness.simulator.core.station import Station


class JournalFile:
    def __init__(self, state_dir: Path | str, identity: str) -> None:
        self.path = Path(state_dir) / f"{quote(identity, safe='')}.journal.json"
        self._written: tuple[int, int, int, int] | None = None

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {"queue": data}

    def restore(self, station: Station) -> int:
        """Queue what an earlier run left unsent and take back the local list; how many messages."""
        data = self._read()
        if "local_list" in data:
            station.local_list.load_data(data["local_list"])
            station.local_list_changed()
        if "certificates" in data:
            station.certificates.load_data(data["certificates"])
        count = station.restore_journal(data.get("queue", []))
        station.restore_durable_state(data)
        self._written = None
        return count

    def sync(self, station: Station, now: float) -> None:
        state = (
            station.queue_revision,
            station.local_list.version,
            len(station.local_list.entries),
            station.certificates.revision,
        )
        if state == self._written:
            return
        self._written = state
        data = {
            "queue": station.journal_entries(),
            "local_list": station.local_list.to_data(),
            "certificates": station.certificates.to_data(),
            **station.durable_state(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self.path)

    def pending(self) -> int:
        return len(self._read().get("queue", []))
