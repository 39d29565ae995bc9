"""A small, strict CSMS for tests (issue 20), on real websockets at 127.0.0.1: like the production
CSMSs evharness meets, it validates every payload the station sends (official schema plus the 2.0.1
identifierString rule, through `RpcEndpoint`), refuses a station CALL that arrives while its own
CALL is unanswered with `RpcFrameworkError "Call already in progress"`, and records every frame and
every rule the station broke (`violations`), among them the order rule: a station answers a CALL
before it sends anything that CALL caused.

It answers the station's CALLs with plain accepting payloads (`ANSWERS`), and sends CALLs of its own
with `call()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import orjson
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import CallReceived, ErrorReceived, ResultReceived, RpcEndpoint
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion

Answer = Callable[[Payload], Payload]
ANSWER_TIMEOUT = 10.0  # real seconds: a station that takes longer fails the test


def _now() -> str:
    return format_timestamp(time.time())


def _token_info(payload: Payload) -> Payload:
    return {"idTokenInfo": {"status": "Accepted"}} if "idToken" in payload else {}


_transaction_ids = iter(range(1, 1_000_000))

ANSWERS: dict[str, Answer] = {
    "BootNotification": lambda p: {"status": "Accepted", "interval": 300, "currentTime": _now()},
    "Heartbeat": lambda p: {"currentTime": _now()},
    "StatusNotification": lambda p: {},
    "Authorize": lambda p: (
        {"idTagInfo": {"status": "Accepted"}} if "idTag" in p else {"idTokenInfo": {"status": "Accepted"}}
    ),
    "StartTransaction": lambda p: {
        "transactionId": next(_transaction_ids),
        "idTagInfo": {"status": "Accepted"},
    },
    "StopTransaction": lambda p: {},
    "MeterValues": lambda p: {},
    "TransactionEvent": _token_info,
    "NotifyReport": lambda p: {},
    "FirmwareStatusNotification": lambda p: {},
    "LogStatusNotification": lambda p: {},
    "SecurityEventNotification": lambda p: {},
}


@dataclass
class StationSide:
    """One station's connection as the strict CSMS sees it."""

    identity: str
    rpc: RpcEndpoint
    websocket: ServerConnection
    frames: list[tuple[str, Any]] = field(default_factory=list)  # ("in"/"out", decoded frame)
    violations: list[str] = field(default_factory=list)
    awaiting: str | None = None  # the messageId of our CALL the station has not answered yet
    connections: int = 1
    outcome: asyncio.Future[Payload | str] | None = None

    def calls(self, action: str) -> list[Payload]:
        """The payloads of the station's CALLs of `action`, in order."""
        return [f[3] for d, f in self.frames if d == "in" and f[0] == 2 and f[2] == action]

    def open_transactions(self) -> set[str]:
        """The transactions the CSMS holds open: started (1.6: answered with an id) and not ended."""
        answers = {f[1]: f[2] for d, f in self.frames if d == "out" and f[0] == 3}
        running: set[str] = set()
        for direction, frame in self.frames:
            if direction != "in" or frame[0] != 2:
                continue
            action, payload = frame[2], frame[3]
            if action == "StartTransaction" and frame[1] in answers:
                running.add(str(answers[frame[1]]["transactionId"]))
            elif action == "StopTransaction":
                running.discard(str(payload["transactionId"]))
            elif action == "TransactionEvent":
                transaction_id = str(payload["transactionInfo"]["transactionId"])
                if payload["eventType"] == "Ended":
                    running.discard(transaction_id)
                else:
                    running.add(transaction_id)
        return running


class StrictCsms:
    def __init__(self, version: OcppVersion, answers: dict[str, Answer] | None = None) -> None:
        self.version = version
        self.answers = ANSWERS | (answers or {})
        self.stations: dict[str, StationSide] = {}
        self.refuse_while_awaiting = True
        self._server: Server | None = None
        self._refusing_until = 0.0
        self._connected = asyncio.Condition()

    @property
    def url(self) -> str:
        assert self._server is not None
        port = next(iter(self._server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}"

    async def __aenter__(self) -> StrictCsms:
        self._server = await serve(
            self._serve,
            "127.0.0.1",
            0,
            subprotocols=[Subprotocol(self.version.subprotocol)],
            process_request=self._refuse,
        )
        return self

    async def cut(self, identity: str, refuse_for: float) -> None:
        """Drop the station's connection (a network cut, a CSMS restart) and refuse it with HTTP 503
        for `refuse_for` real seconds."""
        self._refusing_until = time.monotonic() + refuse_for
        await self.stations[identity].websocket.close()

    def _refuse(self, connection: ServerConnection, request: Request) -> Response | None:
        if time.monotonic() < self._refusing_until:
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "restarting\n")
        return None

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def station(self, identity: str) -> StationSide:
        async with asyncio.timeout(ANSWER_TIMEOUT), self._connected:
            await self._connected.wait_for(lambda: identity in self.stations)
        return self.stations[identity]

    async def call(self, identity: str, action: str, payload: Payload) -> Payload | str:
        """Send a CALL to the station; its CALLRESULT payload, or the CALLERROR's code."""
        side = await self.station(identity)
        loop = asyncio.get_running_loop()
        side.outcome = loop.create_future()
        call = side.rpc.send_call(action, payload, time.time())
        side.awaiting = call.message_id
        await self._flush(side)
        async with asyncio.timeout(ANSWER_TIMEOUT):
            return await side.outcome

    async def _serve(self, websocket: ServerConnection) -> None:
        identity = websocket.request.path.rstrip("/").rsplit("/", 1)[-1] if websocket.request else "?"
        rpc = RpcEndpoint(self.version, validate_outgoing=True)
        side = self.stations.get(identity)
        if side is None:
            side = StationSide(identity, rpc, websocket)
        else:  # the station is back: a new connection, the same record
            side.rpc, side.websocket, side.awaiting = rpc, websocket, None
            side.connections += 1
        async with self._connected:
            self.stations[identity] = side
            self._connected.notify_all()
        with contextlib.suppress(ConnectionClosed):
            async for text in websocket:
                self._receive(side, text)
                await self._flush(side)

    def _receive(self, side: StationSide, text: str | bytes) -> None:
        frame = orjson.loads(text)
        side.frames.append(("in", frame))
        if frame[0] == 2 and side.awaiting is not None:
            side.violations.append(f"{frame[2]} sent before the answer to our CALL {side.awaiting}")
            if self.refuse_while_awaiting:
                side.rpc.send_error(frame[1], ErrorKind.RPC_FRAMEWORK, "Call already in progress")
                return
        for event in side.rpc.receive(text, time.time()):
            match event:
                case CallReceived(message_id, action, payload):
                    answer = self.answers.get(action)
                    if answer is None:
                        side.rpc.send_error(message_id, ErrorKind.NOT_IMPLEMENTED, f"no {action} here")
                    else:
                        side.rpc.send_result(message_id, answer(payload), action)
                case ResultReceived(_, payload):
                    self._answered(side, payload)
                case ErrorReceived(_, code):
                    self._answered(side, code)
                case _:
                    side.violations.append(f"broke OCPP-J: {event}")

    def _answered(self, side: StationSide, outcome: Payload | str) -> None:
        side.awaiting = None
        if side.outcome is not None and not side.outcome.done():
            side.outcome.set_result(outcome)

    async def _flush(self, side: StationSide) -> None:
        for text in side.rpc.data_to_send():
            frame = orjson.loads(text)
            side.frames.append(("out", frame))
            if frame[0] == 4 and frame[2] != "RpcFrameworkError":
                side.violations.append(f"refused the station's payload: {frame[2]} {frame[3]}")
            await side.websocket.send(text)


@contextlib.asynccontextmanager
async def strict_csms(version: OcppVersion, **kwargs: Any) -> AsyncIterator[StrictCsms]:
    async with StrictCsms(version, **kwargs) as csms:
        yield csms


async def until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    """Wait (real time, polling) until `condition` holds; fail the test naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)
