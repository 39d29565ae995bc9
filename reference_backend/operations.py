"""CALLs from the CSMS to a connected station, and the bridge the console's threads use to send them.

`await call(server, "CP-1", "Reset", {"type": "Soft"})` sends through the station's `CsmsSession.rpc`
(one CALL in flight at a time, OCPP-J §4.1.1) and returns the `Outcome` once the station answered, its
CALLERROR came, the deadline passed or the connection went away. Console handlers run in FastAPI's thread
pool: `Operations.call` and `Operations.run` hand the work to the event loop and wait for it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from websockets.exceptions import ConnectionClosed

from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import CallTimedOut, ErrorReceived, ResultReceived, RpcEvent
from evharness.ocppj.versions import OcppVersion
from reference_backend.server import OcppServer

T = TypeVar("T")

CALL_TIMEOUT = 10.0


@dataclass(frozen=True)
class Outcome:
    """`status`: the station's answer status (`Accepted` …), or `offline`, `CallError`, `timeout`."""

    status: str
    detail: str | None = None
    payload: Payload | None = None

    @property
    def delivered(self) -> bool:
        return self.payload is not None


def _outcome(event: RpcEvent) -> Outcome:
    if isinstance(event, ResultReceived):
        info = event.payload.get("statusInfo") or {}
        return Outcome(str(event.payload.get("status", "Accepted")), info.get("reasonCode"), event.payload)
    if isinstance(event, ErrorReceived):
        return Outcome("CallError", f"{event.code}: {event.description}"[:300])
    assert isinstance(event, CallTimedOut)
    return Outcome("timeout", "no answer before the deadline, or the connection was lost")


async def call(
    server: OcppServer, identity: str, action: str, payload: Payload, wait: float = CALL_TIMEOUT
) -> Outcome:
    session = server.sessions.get(identity)
    connection = server.connections.get(identity)
    if session is None or connection is None:
        return Outcome("offline", f"{identity} is not connected")
    answered: asyncio.Future[RpcEvent] = asyncio.get_running_loop().create_future()

    def settle(event: RpcEvent) -> None:
        if not answered.done():
            answered.set_result(event)

    session.rpc.send_call(action, payload, time.time(), context=settle)
    try:
        for frame in session.data_to_send():
            await connection.send(frame)
        return _outcome(await asyncio.wait_for(asyncio.shield(answered), wait))
    except ConnectionClosed:
        return Outcome("offline", f"{identity} went away")
    except TimeoutError:
        session.expire_calls(math.inf)  # frees the RPC slot for the next CALL
        for frame in session.data_to_send():
            await connection.send(frame)
        return Outcome("timeout", f"{identity} did not answer {action} within {wait:g} s")


class Operations:
    """The console threads' way to the OCPP server's event loop."""

    def __init__(self, server: OcppServer) -> None:
        self.server = server
        self.loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def version(self, identity: str) -> OcppVersion | None:
        session = self.server.sessions.get(identity)
        return session.version if session is not None and session.registered else None

    def run(self, work: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT * 3) -> T:
        """Run `work` on the server's loop from a console thread and wait for its result."""
        if self.loop is None:
            work.close()
            raise RuntimeError("the OCPP server is not running")
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def call(self, identity: str, action: str, payload: Payload) -> Outcome:
        return self.run(call(self.server, identity, action, payload))
