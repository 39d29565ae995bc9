"""Station identities for load users: the same names `evharness seed` provisions, never shared.

Worker i (0 on a local run) owns the numbers FIRST + i×STRIDE … FIRST + i×STRIDE + STRIDE − 1; within
a worker a user takes the lowest free number and gives it back when it stops, so a ramp that stops
and starts users reuses the same seeded stations. Seed FIRST … FIRST + workers×STRIDE − 1 stations
(or just as many as users on a local run).
"""

from __future__ import annotations

import heapq

from evharness.identities import station_identity


class PoolExhausted(RuntimeError):
    """More users on this worker than --id-stride allows."""


class IdentityPool:
    def __init__(self, prefix: str, first_number: int, stride: int, worker_index: int) -> None:
        if stride < 1:
            raise ValueError("the stride must be at least 1")
        self.prefix = prefix
        self.base = first_number + max(worker_index, 0) * stride
        self.stride = stride
        self._free: list[int] = []  # returned offsets, lowest first
        self._next = 0
        self._taken: set[int] = set()

    def acquire(self) -> tuple[int, str]:
        """(offset within this worker, identity)."""
        if self._free:
            offset = heapq.heappop(self._free)
        elif self._next < self.stride:
            offset, self._next = self._next, self._next + 1
        else:
            raise PoolExhausted(
                f"more than {self.stride} users on one worker: "
                "raise --id-stride (and seed that many stations)"
            )
        self._taken.add(offset)
        return offset, station_identity(self.prefix, self.base + offset)

    def release(self, offset: int) -> None:
        if offset in self._taken:
            self._taken.discard(offset)
            heapq.heappush(self._free, offset)

    @property
    def in_use(self) -> int:
        return len(self._taken)
