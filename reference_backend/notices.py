"""Log a station's misbehaviour once, not at every message: `Notices.first(identity, what)`.

A station that breaks a rule usually breaks it on every message (a seqNo reused, an action the CSMS
refuses); an operator needs to see it once per station and kind, a log must not grow with it. One
`Notices` lives as long as the OCPP server, so a station reconnecting is not noticed again. Bounded:
past `limit` keys the oldest are forgotten (and may be noticed again).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

LIMIT = 100_000


class Notices:
    def __init__(self, limit: int = LIMIT) -> None:
        self._limit = limit
        self._seen: OrderedDict[tuple[str, ...], None] = OrderedDict()
        self._lock = threading.Lock()  # handlers run in worker threads

    def first(self, *key: str) -> bool:
        """True the first time `key` is seen (log then), False after."""
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = None
            if len(self._seen) > self._limit:
                self._seen.popitem(last=False)
            return True
