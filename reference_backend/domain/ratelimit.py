"""Login throttling as a plain sliding window, so tests drive it with their own clock.

One limiter counts failed attempts per account (slows password guessing on one account, whether or not
it exists: the answer does not reveal that) and another all attempts per client address.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class SlidingWindow:
    limit: int
    window: float  # seconds
    _hits: dict[str, deque[float]] = field(default_factory=dict)

    def retry_after(self, key: str, now: float) -> int:
        """Seconds until `key` may try again; 0 when it may now."""
        hits = self._prune(key, now)
        if len(hits) < self.limit:
            return 0
        return max(1, int(hits[0] + self.window - now) + 1)

    def hit(self, key: str, now: float) -> None:
        self._prune(key, now).append(now)

    def count(self, key: str, now: float) -> int:
        """Hits of `key` in the window ending now."""
        return len(self._prune(key, now))

    def clear(self, key: str) -> None:
        self._hits.pop(key, None)

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            # Forget idle keys so a scan of many addresses cannot grow the table for ever.
            del self._hits[key]
            hits = self._hits.setdefault(key, deque())
        return hits
