"""CSMS-initiated CALLs: send one to a connected station and await its answer.

Theory of operation: the OCPP server `attach`es each live connection (its `CsmsSession` and a
coroutine that flushes the session's outbox onto the socket) and `detach`es it when it closes.
`call` queues the CALL on the session's RPC endpoint — which keeps to one outstanding CALL per
connection (OCPP-J §4.1.1) — flushes, and waits for the CALLRESULT, the CALLERROR or the timeout.
The session hands answers back through its `on_answer` hook. Nothing here knows HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from evharness.ocppj import schemas
from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import CallTimedOut, ErrorReceived, ResultReceived
from evharness.ocppj.versions import OcppVersion
from reference_backend.handlers.functions import ANSWERS, record_answer
from reference_backend.session import CsmsSession

log = logging.getLogger("reference_backend.operations")

Flush = Callable[[], Awaitable[None]]
OutcomeStatus = Literal["result", "error", "timeout", "not_connected", "invalid", "refused"]


@dataclass(frozen=True, slots=True)
class Outcome:
    status: OutcomeStatus
    payload: Payload | None = None
    error_code: str | None = None
    description: str = ""


@dataclass
class _Link:
    session: CsmsSession
    flush: Flush
    waiting: dict[int, asyncio.Future[Outcome]] = field(default_factory=dict)

    def settle(self, event: ResultReceived | ErrorReceived | CallTimedOut) -> None:
        future = self.waiting.pop(id(event.call), None)
        if future is None or future.done():
            return
        match event:
            case ResultReceived(_, payload, _):
                future.set_result(Outcome("result", payload))
            case ErrorReceived(_, code, description, _, _):
                future.set_result(Outcome("error", None, code, description))
            case CallTimedOut():
                future.set_result(Outcome("timeout", description="no answer in time"))


class Operations:
    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._links: dict[str, _Link] = {}
        self._background: set[asyncio.Task[Outcome]] = set()

    def attach(self, identity: str, session: CsmsSession, flush: Flush) -> None:
        link = _Link(session, flush)
        session.on_answer = link.settle
        self._links[identity] = link

    def detach(self, identity: str, session: CsmsSession) -> None:
        link = self._links.get(identity)
        if link is None or link.session is not session:
            return  # already superseded by a newer connection
        del self._links[identity]
        for future in link.waiting.values():
            if not future.done():
                future.set_result(Outcome("not_connected", description="the station disconnected"))

    def session_of(self, identity: str) -> CsmsSession | None:
        link = self._links.get(identity)
        return link.session if link is not None else None

    def version_of(self, identity: str) -> OcppVersion | None:
        link = self._links.get(identity)
        return link.session.version if link is not None else None

    def call_soon(self, identity: str, action: str, payload: Payload) -> None:
        """Send a CALL the backend wants sent of itself (not on an operator's request) without waiting
        for the answer, which is logged. Call from the event loop."""
        task = asyncio.get_running_loop().create_task(self.call(identity, action, payload))
        self._background.add(task)
        task.add_done_callback(lambda done: self._settled(identity, action, done))

    async def settle(self) -> None:
        """Wait for the CALLs `call_soon` sent (their connections are closed: they end at once)."""
        await asyncio.gather(*self._background, return_exceptions=True)

    def _settled(self, identity: str, action: str, task: asyncio.Task[Outcome]) -> None:
        self._background.discard(task)
        if task.cancelled():
            return
        if (error := task.exception()) is not None:
            log.error("%s: %s failed", identity, action, exc_info=error)
            return
        outcome = task.result()
        log.info("%s: %s → %s %s", identity, action, outcome.status, outcome.payload or outcome.error_code)

    async def call(
        self, identity: str, action: str, payload: Payload, within: float | None = None
    ) -> Outcome:
        link = self._links.get(identity)
        if link is None:
            return Outcome("not_connected", description=f"{identity} is not connected")
        validate = schemas.validator(link.session.version, action, response=False)
        if validate is None:
            return Outcome("invalid", description=f"OCPP {link.session.version.value} has no {action}")
        problem = schemas.check(validate, payload)
        if problem is not None:
            return Outcome("invalid", description=f"{problem.description} (field {problem.field})")
        refusal = link.session.refusal(action)
        if refusal is not None:
            return Outcome("refused", description=f"{identity}: {refusal}")
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        call = link.session.send_call(action, payload, time.time(), within or self.timeout)
        link.waiting[id(call)] = future
        await link.flush()
        try:
            outcome = await asyncio.wait_for(asyncio.shield(future), (within or self.timeout))
            if outcome.payload is not None and action in ANSWERS:  # what the answer means is kept
                on_16 = link.session.version is OcppVersion.V16
                store, now = link.session.context.store, datetime.now(UTC)
                await asyncio.to_thread(
                    record_answer, store, identity, on_16, action, payload, outcome.payload, now
                )
            return outcome
        except TimeoutError:
            link.session.tick(time.time() + (within or self.timeout) + 1.0)
            await link.flush()
            return Outcome("timeout", description="no answer in time")
        finally:
            link.waiting.pop(id(call), None)
