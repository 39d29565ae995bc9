"""The console's CALLs to a station: `Operations` (one mechanism, shared with the operations API and
the conformance driver) seen as the console needs it.

`await call(server, "CP-1", "Reset", {"type": "Soft"})` returns an `Outcome` whose `status` is the
station's answer status (`Accepted` …), or `offline`, `CallError`, `timeout`, `invalid`. Console
handlers run in FastAPI's thread pool: `StationCalls.call` and `.run` hand the work to the event loop
and wait for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Status
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


async def call(
    server: OcppServer, identity: str, action: str, payload: Payload, wait: float = CALL_TIMEOUT
) -> Outcome:
    answer = await server.operations.call(identity, action, payload, within=wait)
    match answer.status:
        case "result":
            result = answer.payload or {}
            info = result.get("statusInfo") or {}
            return Outcome(str(result.get("status", Status.ACCEPTED)), info.get("reasonCode"), result)
        case "error":
            return Outcome("CallError", f"{answer.error_code}: {answer.description}"[:300])
        case "not_connected":
            return Outcome("offline", answer.description or f"{identity} is not connected")
        case "timeout":
            return Outcome("timeout", f"{identity} did not answer {action} within {wait:g} s")
    return Outcome("invalid", answer.description)


class StationCalls:
    """The console threads' way to the OCPP server's event loop."""

    def __init__(self, server: OcppServer) -> None:
        self.server = server
        self.loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def version(self, identity: str) -> OcppVersion | None:
        """The station's OCPP version while it is connected and registered, else None."""
        return self.server.operations.version_of(identity) if identity in self.server.registered else None

    def run(self, work: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT * 3) -> T:
        """Run `work` on the server's loop from a console thread and wait for its result."""
        if self.loop is None:
            work.close()
            raise RuntimeError("the OCPP server is not running")
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def call(self, identity: str, action: str, payload: Payload) -> Outcome:
        return self.run(call(self.server, identity, action, payload))
