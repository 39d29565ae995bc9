"""A station's journal on disk: `STATE_DIR/<identity>.journal.json`, replaced atomically.

The I/O half of `simulator.core.journal`: drivers call `JournalFile.restore(station)` before the
first connect and `JournalFile.sync(station, now)` after every turn of their loop; it writes only
when the station's transaction queue changed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from simulator.core import journal
from simulator.core.station import Station


class JournalFile:
    def __init__(self, state_dir: Path | str, identity: str) -> None:
        self.path = Path(state_dir) / f"{quote(identity, safe='')}.journal.json"
        self._written_revision: int | None = None

    def restore(self, station: Station) -> int:
        """Queue what an earlier run left unsent; how many messages."""
        if not self.path.exists():
            return 0
        entries = json.loads(self.path.read_text(encoding="utf-8"))
        count = journal.restore(station, entries)
        self._written_revision = None
        return count

    def sync(self, station: Station, now: float) -> None:
        if station.queue_revision == self._written_revision:
            return
        self._written_revision = station.queue_revision
        entries = journal.snapshot(station, now)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries), encoding="utf-8")
        os.replace(temporary, self.path)

    def pending(self) -> int:
        return len(json.loads(self.path.read_text(encoding="utf-8"))) if self.path.exists() else 0
