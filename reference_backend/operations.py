"""CSMS-initiated CALLs: the one path to send a CALL to a station and learn its answer.

Theory of operation: the OCPP server opens a `Link` for each live connection — its `CsmsConnection`
and a coroutine that puts the connection's outbox on the socket — and `attach`es it here; it
`detach`es it when the socket closes, which settles the CALLs still waiting as `not_connected`.
`Link.call` checks the payload against the version's schema and the station's registration (B02,
B03), queues the CALL on the connection's RPC endpoint — which keeps to one outstanding CALL per
connection (OCPP-J §4.1.1) — sends it, and waits for the CALLRESULT, the CALLERROR or the timeout.
`Link.call_soon` sends one without waiting (its answer is logged): the follow-ups the connection asks
for (`send_follow_ups`, the TriggerMessage after a Pending boot) and the backend's own.

Everything that sends a station a CALL goes through a `Link`: the operations API (`Operations.call`),
the console's threads (`Operations.call_from_thread`, `.run`), the settings push (`pushing`), the
local list sync (`local_lists`) and the boot policy's TriggerMessage. Nothing here knows HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from evharness.ocppj import schemas
from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import CallTimedOut, ErrorReceived, ResultReceived
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Status
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.handlers.functions import ANSWERS, record_answer

log = logging.getLogger(__name__)

T = TypeVar("T")

Send = Callable[[], Awaitable[None]]
OutcomeKind = Literal["result", "error", "timeout", "not_connected", "invalid", "refused"]

CALL_TIMEOUT = 10.0  # what the backend's own jobs and the console wait for an answer
DETAIL_LIMIT = 300


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a CALL ended: `kind` says where (the station answered, refused, said nothing, was not
    there; the CALL was invalid or not allowed now), `status` says it in the console's words."""

    kind: OutcomeKind
    payload: Payload | None = None
    error_code: str | None = None
    description: str = ""

    @property
    def status(self) -> str:
        """The station's answer status (`Accepted` when its answer has none), else `CallError`,
        `offline`, `timeout`, `invalid` or `refused`."""
        match self.kind:
            case "result":
                return str((self.payload or {}).get("status", Status.ACCEPTED))
            case "error":
                return "CallError"
            case "not_connected":
                return "offline"
        return self.kind

    @property
    def detail(self) -> str | None:
        """The station's reason (statusInfo.reasonCode), the CALLERROR, or why nothing was answered."""
        match self.kind:
            case "result":
                info = (self.payload or {}).get("statusInfo") or {}
                reason: str | None = info.get("reasonCode")
                return reason
            case "error":
                return f"{self.error_code}: {self.description}"[:DETAIL_LIMIT]
        return self.description

    @property
    def delivered(self) -> bool:
        return self.payload is not None


class Link:
    """One live connection the CSMS sends CALLs on; made by the OCPP server, owned by `Operations`."""

    def __init__(self, connection: CsmsConnection, send: Send, timeout: float = CALL_TIMEOUT) -> None:
        self.connection = connection
        self.send = send  # puts the connection's outbox on the wire
        self.timeout = timeout  # for `call_soon`
        self.closed = False
        self._waiting: dict[int, asyncio.Future[Outcome]] = {}
        self._background: set[asyncio.Task[Outcome]] = set()
        connection.on_answer = self._settle

    @property
    def identity(self) -> str:
        return self.connection.identity

    @property
    def version(self) -> OcppVersion:
        return self.connection.version

    @property
    def registered(self) -> bool:
        return self.connection.registered and not self.closed

    @property
    def busy(self) -> bool:
        """Whether CALLs sent with `call_soon` are still under way."""
        return bool(self._background)

    async def call(self, action: str, payload: Payload, within: float = CALL_TIMEOUT) -> Outcome:
        """Send `action` and wait up to `within` seconds for the answer (call from the event loop)."""
        identity = self.identity
        if self.closed:
            return Outcome("not_connected", description=f"{identity} is not connected")
        validate = schemas.validator(self.version, action, response=False)
        if validate is None:
            return Outcome("invalid", description=f"OCPP {self.version.value} has no {action}")
        problem = schemas.check(validate, payload)
        if problem is not None:
            return Outcome("invalid", description=f"{problem.description} (field {problem.field})")
        refusal = self.connection.refusal(action)
        if refusal is not None:
            return Outcome("refused", description=f"{identity}: {refusal}")
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        call = self.connection.send_call(action, payload, time.time(), within)
        self._waiting[id(call)] = future
        await self.send()
        try:
            outcome = await asyncio.wait_for(asyncio.shield(future), within)
        except TimeoutError:
            self.connection.tick(time.time() + within + 1.0)
            await self.send()
            return Outcome("timeout", description=f"{identity} did not answer {action} within {within:g} s")
        finally:
            self._waiting.pop(id(call), None)
        if outcome.payload is not None and action in ANSWERS:  # what the answer means is kept
            on_16, now = self.version is OcppVersion.V16, datetime.now(UTC)
            store = self.connection.store
            await asyncio.to_thread(
                record_answer, store, identity, on_16, action, payload, outcome.payload, now
            )
        return outcome

    def call_soon(self, action: str, payload: Payload) -> None:
        """Send a CALL without waiting for its answer, which is logged. Call from the event loop."""
        task = asyncio.get_running_loop().create_task(self.call(action, payload, self.timeout))
        self._background.add(task)
        task.add_done_callback(lambda done: self._logged(action, done))

    def send_follow_ups(self) -> None:
        """The CALLs the connection asked for after its last answer (a TriggerMessage after Pending)."""
        for action, payload in self.connection.take_follow_ups():
            self.call_soon(action, payload)

    def close(self) -> None:
        """The socket closed: CALLs still waiting end as `not_connected`."""
        self.closed = True
        for future in self._waiting.values():
            if not future.done():
                future.set_result(Outcome("not_connected", description="the station disconnected"))

    async def settle(self) -> None:
        """Wait for the CALLs `call_soon` sent (once closed, they end at once)."""
        await asyncio.gather(*self._background, return_exceptions=True)

    def _settle(self, event: ResultReceived | ErrorReceived | CallTimedOut) -> None:
        future = self._waiting.pop(id(event.call), None)
        if future is None or future.done():
            return
        match event:
            case ResultReceived(_, payload, _):
                future.set_result(Outcome("result", payload))
            case ErrorReceived(_, code, description, _, _):
                future.set_result(Outcome("error", None, code, description))
            case CallTimedOut():
                future.set_result(Outcome("timeout", description="no answer in time"))

    def _logged(self, action: str, task: asyncio.Task[Outcome]) -> None:
        self._background.discard(task)
        if task.cancelled():
            return
        if (error := task.exception()) is not None:
            log.error("%s: %s failed", self.identity, action, exc_info=error)
            return
        outcome = task.result()
        log.info("%s: %s → %s %s", self.identity, action, outcome.kind, outcome.payload or outcome.error_code)


class Operations:
    """The live `Link`s by station identity: the service the console, the API and the jobs use."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout  # what the operations API waits for an answer
        self._links: dict[str, Link] = {}
        self._closed: set[Link] = set()  # detached while CALLs of their own were under way
        self._loop: asyncio.AbstractEventLoop | None = None

    def attach(self, link: Link) -> None:
        self._links[link.identity] = link

    def detach(self, link: Link) -> None:
        link.close()
        if self._links.get(link.identity) is link:  # else already superseded by a newer connection
            del self._links[link.identity]
        self._closed = {old for old in self._closed if old.busy}
        if link.busy:
            self._closed.add(link)

    def link(self, identity: str) -> Link | None:
        """The station's live link, or None if it is not connected."""
        return self._links.get(identity)

    def registered_link(self, identity: str) -> Link | None:
        """The station's live link once it is registered (Accepted) on it, else None."""
        link = self._links.get(identity)
        return link if link is not None and link.registered else None

    def connection_of(self, identity: str) -> CsmsConnection | None:
        link = self._links.get(identity)
        return link.connection if link is not None else None

    def version_of(self, identity: str) -> OcppVersion | None:
        """The station's OCPP version while it is connected and registered, else None."""
        link = self.registered_link(identity)
        return link.version if link is not None else None

    async def call(
        self, identity: str, action: str, payload: Payload, within: float | None = None
    ) -> Outcome:
        link = self._links.get(identity)
        if link is None:
            return Outcome("not_connected", description=f"{identity} is not connected")
        return await link.call(action, payload, within or self.timeout)

    async def request(
        self, identity: str, action: str, payload: Payload, within: float | None = None
    ) -> Payload:
        """`call`, with the CALLRESULT's payload returned and the rest raised: LookupError when not
        connected, TimeoutError on silence, RuntimeError otherwise."""
        outcome = await self.call(identity, action, payload, within)
        if outcome.kind == "result" and outcome.payload is not None:
            return outcome.payload
        if outcome.kind == "not_connected":
            raise LookupError(outcome.description)
        if outcome.kind == "timeout":
            raise TimeoutError(f"{identity} did not answer {action}")
        if outcome.kind in ("invalid", "refused"):
            raise RuntimeError(outcome.description)
        raise RuntimeError(f"{identity} answered {action} with {outcome.error_code}: {outcome.description}")

    def call_soon(self, identity: str, action: str, payload: Payload) -> None:
        """Send a CALL the backend wants sent of itself, not waiting for the answer (logged)."""
        link = self._links.get(identity)
        if link is None:
            log.info("%s: %s not sent: not connected", identity, action)
            return
        link.call_soon(action, payload)

    async def settle(self) -> None:
        """Wait for the CALLs sent with `call_soon` (their connections are closed: they end at once)."""
        links = [*self._links.values(), *self._closed]
        self._closed.clear()
        await asyncio.gather(*(link.settle() for link in links))

    # The console's threads (FastAPI runs plain `def` handlers in its pool) reach the loop here.

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop the OCPP server runs on."""
        self._loop = loop

    def run(self, work: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT * 3) -> T:
        """Run `work` on the server's loop from a console thread and wait for its result."""
        if self._loop is None:
            work.close()
            raise RuntimeError("the OCPP server is not running")
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout)

    def call_from_thread(self, identity: str, action: str, payload: Payload) -> Outcome:
        """`call` from a console thread, waiting `CALL_TIMEOUT` for the answer."""
        return self.run(self.call(identity, action, payload, CALL_TIMEOUT))
