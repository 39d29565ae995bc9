"""Answer one connection's station CALLs off the event loop, each once what it stored is durable.

Theory of operation. The OCPP server feeds every frame to its `CsmsConnection` (made with
`deferred=True`) and then `wake`s its `Answering`. One task per connection takes the connection's CALLs
in order and, for each: runs `connection.decide` (the checks and the handler, i.e. the database work) in
the server's handler thread pool, so a database that waits — an outside lock on the SQLite file, a
slow PostgreSQL — never stalls the event loop and the other stations' frames; then, for a transaction
message (`DURABLE`), waits on the loop, without a thread, for the group commits holding what the
handler stored (`GroupCommitter.settled`); then `deliver`s the answer and sends it. A commit that
failed turns the answer into CALLERROR InternalError: the station sends the message again, and the
store takes a resent message once. State reports (Heartbeat, StatusNotification) are answered without
waiting for their commit: losing one costs nothing the station does not report again.

A station sends one CALL at a time (OCPP-J §4.1.1); the CALLs of one connection are answered in the
order they came, those of different connections side by side.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor

from websockets.exceptions import ConnectionClosed

from evharness.ocppj.errors import ErrorKind
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence.group_commit import CommitFailed

log = logging.getLogger(__name__)

# The transaction messages (OCPP 1.6 §3.7/4.10, 2.0.1 E13): answered only once their data is committed.
DURABLE: frozenset[str] = frozenset(
    {"StartTransaction", "StopTransaction", "MeterValues", "TransactionEvent"}
)

Send = Callable[[], Awaitable[None]]


class Answering:
    def __init__(
        self,
        connection: CsmsConnection,
        executor: Executor,
        send: Send,
        after: Callable[[], None] = lambda: None,
    ) -> None:
        self.connection = connection
        self._executor = executor
        self._send = send  # puts the connection's outbox on the wire
        self._after = after  # after each answer sent (the server announces registrations, follow-ups)
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """CALLs may be waiting: answer them (call from the event loop after each frame received)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        """Stop answering (the connection closed): what a handler stored is committed anyway."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        connection = self.connection
        try:
            while calls := connection.take_calls():
                for incoming in calls:
                    decided = await loop.run_in_executor(self._executor, connection.decide, incoming)
                    if decided.call.action in DURABLE and decided.error is None:
                        try:
                            await connection.store.writer.settled(decided.stored)
                        except CommitFailed:  # logged once by the committer
                            decided = decided.failed(
                                ErrorKind.INTERNAL, f"{decided.call.action} could not be stored: try again"
                            )
                    connection.deliver(decided)
                    await self._send()
                    self._after()
        except ConnectionClosed:
            pass
