"""File transfers the station asks its transport to carry out: a firmware download, a log upload.

The core does no I/O: a function module `request`s a transfer and names what to do with the result;
the transport (`simulator.asyncio.transport`, `simulator.sync.transport`, a test's pair) `take`s the
wanted transfers, performs them for real (`simulator.transfers`: HTTP GET / PUT on the URL) and hands
each result back through `Station.transfer_finished`, which calls `finished` here. Only URLs a
transport can reach are transferred for real (`is_real`); the function modules simulate the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

REAL_SCHEMES = ("http", "https")


class Direction(Enum):
    DOWNLOAD = "download"  # GET the URL; the result carries the content
    UPLOAD = "upload"  # PUT `body` to the URL (joined with `filename` when the URL ends with "/")


@dataclass(frozen=True, slots=True)
class Transfer:
    id: int
    direction: Direction
    url: str
    body: bytes = b""
    filename: str = ""


@dataclass(frozen=True, slots=True)
class TransferResult:
    transfer_id: int
    ok: bool
    content: bytes | None = None  # a download's bytes
    detail: str = ""  # why it failed, for people


OnDone = Callable[[TransferResult, float], None]


def is_real(url: str) -> bool:
    """Whether a transport transfers `url` for real (HTTP and HTTPS); others are simulated."""
    return urlsplit(url).scheme.lower() in REAL_SCHEMES


@dataclass
class Transfers:
    """The station's transfers: wanted (not yet taken by the transport) and in flight."""

    _next_id: int = 1
    _wanted: list[Transfer] = field(default_factory=list)
    _waiting: dict[int, OnDone] = field(default_factory=dict)

    def request(
        self, direction: Direction, url: str, on_done: OnDone, body: bytes = b"", filename: str = ""
    ) -> int:
        transfer = Transfer(self._next_id, direction, url, body, filename)
        self._next_id += 1
        self._wanted.append(transfer)
        self._waiting[transfer.id] = on_done
        return transfer.id

    def take(self) -> list[Transfer]:
        """The transfers to start now (each handed out once)."""
        wanted, self._wanted = self._wanted, []
        return wanted

    def finished(self, result: TransferResult, now: float) -> None:
        on_done = self._waiting.pop(result.transfer_id, None)
        if on_done is not None:  # a transfer of a canceled job is forgotten
            on_done(result, now)

    def forget(self, transfer_id: int | None) -> None:
        """A job was canceled: its transfer's result, when it comes, changes nothing."""
        if transfer_id is None:
            return
        self._waiting.pop(transfer_id, None)
        self._wanted = [t for t in self._wanted if t.id != transfer_id]

    @property
    def in_flight(self) -> bool:
        return bool(self._waiting)
