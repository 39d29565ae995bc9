"""Group commit: many writers' changes committed together, each writer told when its own are durable.

Theory of operation. Writers (OCPP handlers, in worker threads) `add` changes to the OPEN batch and
get its generation number back. One committer thread takes the open batch as soon as it holds
anything, opens the next one, and writes the taken batch in one database transaction (IN FLIGHT).
Whatever arrives while that commit runs gathers in the new open batch and is committed next, in one
transaction: under load a commit carries many messages, when idle each message gets its own at once.
After each commit the generation is settled — committed, or failed — and everyone waiting for it is
told. Nothing is retried here: a failed batch is logged once and dropped, its waiters hear
`CommitFailed` (the OCPP side answers those CALLs with InternalError, so the stations send them
again), and the committer goes on with the next batch.

A handler's answer waits for the generations it wrote into (`tracking` notes them per thread, so
handlers need not pass tickets around; `settled`/`wait` then wait for that span). Readers that must
see accepted-but-uncommitted changes (the store's view of a transaction, a resent message's check)
look at the open and in-flight batches with `read`, before they query the database: a change leaves
the in-flight batch only after its commit, so it is always in one place or the other.

Generic over the batch type: the committer knows only that a batch is truthy when it holds work and
that `write(batch)` commits it. The store's batch and its SQL live in `write_behind` and `Store`;
this object carries over unchanged to a unit of work with repositories.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

log = logging.getLogger("evharness.reference_backend.persistence")


class Batch(Protocol):
    def __bool__(self) -> bool: ...


B = TypeVar("B", bound=Batch)
T = TypeVar("T")

FAILURES_KEPT = 1024  # failed generations remembered for late waiters (each is one failed commit)


class CommitFailed(Exception):
    """The commit that held these changes failed: they are not stored."""


@dataclass(frozen=True, slots=True)
class Span:
    """The generations one piece of work wrote into (inclusive); empty when it wrote nothing."""

    first: int = 0
    last: int = 0

    def __bool__(self) -> bool:
        return self.last > 0

    def joined(self, generation: int) -> Span:
        return Span(generation if not self else min(self.first, generation), max(self.last, generation))


class _Tracked:
    span: Span = Span()


class GroupCommitter(Generic[B]):
    def __init__(self, new_batch: Callable[[], B], write: Callable[[B], None], name: str = "group-commit"):
        self._new_batch = new_batch
        self._write = write
        self._name = name
        self._cond = threading.Condition()
        self._open: B = new_batch()
        self._open_generation = 1
        self._in_flight: B | None = None
        self._settled = 0  # every generation up to this one is committed or failed
        self._failed: dict[int, str] = {}  # generation → why its commit failed (the latest FAILURES_KEPT)
        self._waiters: list[tuple[Span, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._thread: threading.Thread | None = None
        self._closed = False
        self._local = threading.local()
        self.commits = 0  # transactions committed (for reports and tests)

    # -- writers --------------------------------------------------------------------------------

    def add(self, change: Callable[[B], None]) -> int:
        """Apply `change` to the open batch; the generation it joined."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the group committer is closed")
            change(self._open)
            generation = self._open_generation
            tracked: _Tracked | None = getattr(self._local, "tracked", None)
            if tracked is not None:
                tracked.span = tracked.span.joined(generation)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify_all()
        return generation

    @contextlib.contextmanager
    def tracking(self) -> Iterator[_Tracked]:
        """Note the generations this thread adds to while inside; `.span` holds them afterwards."""
        tracked = _Tracked()
        outer = getattr(self._local, "tracked", None)
        self._local.tracked = tracked
        try:
            yield tracked
        finally:
            self._local.tracked = outer
            if outer is not None and tracked.span:
                outer.span = outer.span.joined(tracked.span.first).joined(tracked.span.last)

    def read(self, look: Callable[[Sequence[B]], T]) -> T:
        """`look` at the in-flight and open batches (oldest first), with the committer's lock held."""
        with self._cond:
            batches = [b for b in (self._in_flight, self._open) if b is not None and b]
            return look(batches)

    # -- waiting for durability ---------------------------------------------------------------------

    def wait(self, span: Span) -> None:
        """Block until `span` is settled; CommitFailed if a commit in it failed."""
        if not span:
            return
        with self._cond:
            self._cond.wait_for(lambda: self._settled >= span.last)
            self._check(span)

    async def settled(self, span: Span) -> None:
        """Wait (on the event loop, without a thread) until `span` is settled; CommitFailed as `wait`."""
        if not span:
            return
        with self._cond:
            if self._settled >= span.last:
                self._check(span)
                return
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append((span, asyncio.get_running_loop(), future))
        await future

    def flush(self) -> None:
        """Block until everything added so far is settled (whether a commit failed is for `wait` to say:
        a handler's own changes are checked through its `tracking` span)."""
        with self._cond:
            last = self._open_generation if self._open else self._open_generation - 1
            self._cond.wait_for(lambda: self._settled >= last)

    def close(self) -> None:
        """Commit what is open, then stop the committer thread."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    # -- the committer thread -------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: bool(self._open) or self._closed)
                if not self._open:
                    return  # closed, and nothing left to commit
                batch, generation = self._open, self._open_generation
                self._in_flight, self._open = batch, self._new_batch()
                self._open_generation += 1
            error: str | None = None
            try:
                self._write(batch)
            except Exception as exc:  # a failed commit ends nothing but this batch
                error = f"{type(exc).__name__}: {exc}"
                log.error("group commit %d failed, its changes are not stored: %s", generation, error)
            with self._cond:
                self._in_flight = None
                self._settled = generation
                if error is None:
                    self.commits += 1
                else:
                    self._failed[generation] = error
                    while len(self._failed) > FAILURES_KEPT:
                        del self._failed[next(iter(self._failed))]
                self._cond.notify_all()
                self._wake_waiters()

    def _check(self, span: Span) -> None:
        for generation in range(span.first, span.last + 1):
            why = self._failed.get(generation)
            if why is not None:
                raise CommitFailed(why)

    def _wake_waiters(self) -> None:
        """Tell the event-loop waiters whose span is settled (lock held)."""
        still = []
        for span, loop, future in self._waiters:
            if self._settled < span.last:
                still.append((span, loop, future))
                continue
            error: CommitFailed | None = None
            try:
                self._check(span)
            except CommitFailed as failed:
                error = failed
            with contextlib.suppress(RuntimeError):  # its event loop is closed: nobody waits any more
                loop.call_soon_threadsafe(_settle, future, error)
        self._waiters = still


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
