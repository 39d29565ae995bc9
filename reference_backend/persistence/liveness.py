"""What stations report about themselves — heartbeats and statuses — held in memory, written when it matters.

A Heartbeat or a StatusNotification that repeats what is known changes nothing worth a database write
(issue 17): most of a fleet's messages are these. The rules, per process (one backend per database,
like the group committer):

- A heartbeat's time is kept here. It is written (with the next group commit) when the station's
  stored time is older than `HEARTBEAT_WRITE_EVERY`, so a station heartbeating every few minutes
  writes its time about once per that interval; `Store.station()` reports the latest time known, and
  `Store.dispose` writes what is still unwritten. A crash loses at most that interval of the time's
  precision, never a transaction: a heartbeat's answer never waited for its commit.
- A status (of a station, or of a connector) is written when it differs from the last one written
  from this process — a change, or the first report since the backend started. Its time column says
  since when the station or connector is in that status.

A commit that failed makes its heartbeats and statuses unknown again (`forget`): the next report
writes. Thread-safe: handlers call it from the handler pool.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

HEARTBEAT_WRITE_EVERY = timedelta(minutes=10)

StatusKey = tuple[int, int, int]  # (station, evse, connector); `station_key` for the station itself
Reported = tuple[str, str | None]  # (status, error code)


def station_key(station_id: int) -> StatusKey:
    """The key of a station's own status (1.6 connector 0), apart from any connector's."""
    return (station_id, -1, -1)


class Liveness:
    def __init__(self, write_every: timedelta = HEARTBEAT_WRITE_EVERY) -> None:
        self.write_every = write_every
        self._lock = threading.Lock()
        self._latest: dict[int, datetime] = {}  # station → latest heartbeat seen
        self._written: dict[int, datetime] = {}  # station → heartbeat time last sent to the database
        self._statuses: dict[StatusKey, Reported] = {}  # the status last sent to the database

    def heartbeat(self, station_id: int, at: datetime) -> bool:
        """Note a heartbeat; True when it is to be written now."""
        with self._lock:
            seen = self._latest.get(station_id)
            if seen is None or seen < at:
                self._latest[station_id] = at
            written = self._written.get(station_id)
            if written is not None and at - written < self.write_every:
                return False
            self._written[station_id] = at
            return True

    def latest_heartbeat(self, station_id: int) -> datetime | None:
        with self._lock:
            return self._latest.get(station_id)

    def unwritten_heartbeats(self) -> dict[int, datetime]:
        """The latest heartbeat of each station whose latest is not written yet (at shutdown)."""
        with self._lock:
            return {s: at for s, at in self._latest.items() if self._written.get(s) != at}

    def status(self, key: StatusKey, status: str, error_code: str | None) -> bool:
        """Note a reported status; True when it differs from the one written last (to be written)."""
        reported = (status, error_code)
        with self._lock:
            if self._statuses.get(key) == reported:
                return False
            self._statuses[key] = reported
            return True

    def forget(self, heartbeats: Iterable[int], statuses: Iterable[StatusKey]) -> None:
        """Their commit failed: what they said is not stored, the next report writes it."""
        with self._lock:
            for station_id in heartbeats:
                self._written.pop(station_id, None)
            for key in statuses:
                self._statuses.pop(key, None)
