"""The OCTT's Charging Station: a scripted station that sends exactly what a test case says.

Unlike the simulator's `LiveStation` (a station with its own behaviour), this one has none: every
CALL comes from a step, every CALL of the CSMS is answered from a table the scenario can change
(`answer_with`). Framing and message ids are the shared `RpcEndpoint`'s; every frame, both ways,
is recorded with its real time in `frames` for the checks and the report.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from evharness.conformance.checks import Frame, Handshake, Side, broken_answers
from evharness.conformance.defaults import default_answer
from evharness.conformance.pacing import Pacer
from evharness.csms_target import station_url
from evharness.ocppj import schemas
from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import CallReceived, ErrorReceived, ResultReceived, RpcEndpoint
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action
from evharness.redaction import guard_loggers

# A payload, a function of the request, a CALLERROR of that kind, or None: never answer (a mute station).
Answerer = Payload | Callable[[Payload], Payload] | ErrorKind | None


@dataclass(frozen=True, slots=True)
class Answer:
    """How the CSMS answered one CALL of the station."""

    action: str
    payload: Payload | None  # the CALLRESULT payload; None on CALLERROR or timeout
    error: str | None = None  # CALLERROR code, or "Timeout"
    description: str = ""

    def require(self) -> Payload:
        if self.payload is None:
            raise AssertionError(f"{self.action}: the CSMS answered {self.error} {self.description}".strip())
        return self.payload


@dataclass(frozen=True, slots=True)
class ReceivedCall:
    action: str
    payload: Payload
    at: float


def basic_auth(identity: str, password: str) -> str:
    """`Authorization: Basic base64(identity:password)` (A00.FR.204; the username is the identity)."""
    return "Basic " + base64.b64encode(f"{identity}:{password}".encode()).decode()


@dataclass
class OcttStation:
    identity: str
    version: OcppVersion
    csms_url: str
    password: str | None = None
    username: str | None = None  # default: the identity
    call_timeout: float = 10.0
    answers: dict[str, Answerer] = field(default_factory=dict)
    frames: list[Frame] = field(default_factory=list)
    received: list[ReceivedCall] = field(default_factory=list)
    pacer: Pacer = field(default_factory=Pacer)  # the run's pause between connections of an identity

    def __post_init__(self) -> None:
        self.rpc = RpcEndpoint(self.version, validate_incoming=False)
        self._websocket: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._waiting: dict[int, asyncio.Future[Answer]] = {}
        self._arrived = asyncio.Event()
        self.closed_by_csms = asyncio.Event()
        self._holding: set[str] = set()  # actions whose CALLs wait for `release` before the answer
        self.held: list[tuple[str, str, Payload]] = []  # (messageId, action, payload)

    # -- connection -------------------------------------------------------------------------------

    async def connect(self) -> None:
        headers = {}
        if self.password is not None:
            headers["Authorization"] = basic_auth(self.username or self.identity, self.password)
        self.closed_by_csms = asyncio.Event()
        self.rpc = RpcEndpoint(self.version, validate_incoming=False)
        guard_loggers()  # websockets logs frames at DEBUG: PINs masked there too
        await self.pacer.before_connect(self.identity)
        self._websocket = await connect(
            station_url(self.csms_url, self.identity),
            subprotocols=[Subprotocol(self.version.subprotocol)],
            additional_headers=headers,
            open_timeout=self.call_timeout,
            ping_interval=None,
            proxy=None,
        )
        if self._websocket.subprotocol != self.version.subprotocol:
            await self._websocket.close()
            raise AssertionError(
                f"offered {self.version.subprotocol}; the CSMS chose {self._websocket.subprotocol!r}"
            )
        self._reader = asyncio.create_task(self._read(self._websocket))

    async def disconnect(self) -> None:
        websocket, reader = self._websocket, self._reader
        self._websocket = self._reader = None
        if websocket is not None:
            await websocket.close()
            self.pacer.closed(self.identity)
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await reader
        for future in self._waiting.values():
            if not future.done():
                future.cancel()
        self._waiting.clear()

    @property
    def connected(self) -> bool:
        return self._websocket is not None and not self.closed_by_csms.is_set()

    # -- the station's CALLs ------------------------------------------------------------------------

    async def call(self, action: str, payload: Payload) -> Answer:
        """Send one CALL and wait for the CSMS's answer (CALLERROR and timeout included)."""
        validate = schemas.validator(self.version, action, response=False)
        assert validate is not None, f"OCPP {self.version.value} has no {action}"
        problem = schemas.check(validate, payload)
        assert problem is None, f"the harness built an invalid {action}: {problem}"
        if self._websocket is None:
            raise AssertionError(f"{action}: the station is not connected")
        call = self.rpc.send_call(action, payload, time.time())
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting[id(call)] = future
        await self._flush()
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.call_timeout)
        except TimeoutError:
            self.rpc.tick(time.time() + call.timeout + 1)
            return Answer(action, None, "Timeout", f"no answer within {self.call_timeout:g} s")
        finally:
            self._waiting.pop(id(call), None)

    async def send_raw(self, text: str, message_id: str, within: float) -> Frame | None:
        """Put `text` on the wire as it is (a provocation); the CSMS frame answering `message_id`, if any."""
        cursor = len(self.frames)
        self.rpc.send_raw(text)
        await self._flush()
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for frame in self.frames[cursor:]:
                if frame.sender is Side.CSMS and _message_id(frame.text) == message_id:
                    return frame
            await asyncio.sleep(0.01)
        return None

    async def send_broken_answers(self) -> tuple[int, Answer]:
        """Send `checks.broken_answers`, then a Heartbeat; where they start in `frames`, and the answer.
        The CSMS reads its socket in order, so any answer to them arrives before the Heartbeat's."""
        start = len(self.frames)
        for text in broken_answers(f"broken-{uuid.uuid4().hex[:8]}"):
            self.rpc.send_raw(text)
        await self._flush()
        return start, await self.call(Action.Heartbeat, {})

    # -- the CSMS's CALLs -----------------------------------------------------------------------------

    def answer_with(self, action: str, answer: Answerer) -> None:
        self.answers[action] = answer

    def hold(self, action: str) -> None:
        """Keep the CSMS's CALLs `action` unanswered until `release` (crossing CALLs, OCPP-J §4.1.1)."""
        self._holding.add(action)

    async def release(self) -> None:
        """Answer every held CALL now, from the answer table."""
        held, self.held = self.held, []
        self._holding.clear()
        for message_id, action, payload in held:
            self._reply(message_id, action, payload)
        await self._flush()

    async def expect_call(self, action: str, within: float, after: int = 0) -> ReceivedCall:
        """The first CALL `action` the CSMS sent since `received[after]`, waiting up to `within` s."""
        deadline = time.monotonic() + within
        while True:
            self._arrived.clear()  # before the scan: nothing can arrive between it and the wait
            for call in self.received[after:]:
                if call.action == action:
                    return call
            left = deadline - time.monotonic()
            if left <= 0:
                seen = ", ".join(c.action for c in self.received[after:]) or "no CALL"
                raise AssertionError(f"expected the CSMS to send {action} within {within:g} s; got {seen}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), left)

    # -- internals ----------------------------------------------------------------------------------

    def _record(self, sender: Side, text: str) -> None:
        self.frames.append(Frame(sender, text, time.time()))

    async def _flush(self) -> None:
        websocket = self._websocket
        for text in self.rpc.data_to_send():
            self._record(Side.STATION, text)
            if websocket is not None:
                with contextlib.suppress(ConnectionClosed):
                    await websocket.send(text)

    async def _read(self, websocket: ClientConnection) -> None:
        try:
            async for message in websocket:
                text = message if isinstance(message, str) else message.decode("utf-8", "replace")
                self._record(Side.CSMS, text)
                self._handle(text)
                await self._flush()
        except ConnectionClosed:
            pass
        finally:
            self.pacer.closed(self.identity)
            self.closed_by_csms.set()
            self._arrived.set()

    def _handle(self, text: str) -> None:
        now = time.time()
        for event in self.rpc.receive(text, now):
            match event:
                case CallReceived(message_id, action, payload):
                    self.received.append(ReceivedCall(action, payload, now))
                    self._arrived.set()
                    if action in self._holding:
                        self.held.append((message_id, action, payload))
                        continue
                    self._reply(message_id, action, payload)
                    self._arrived.set()
                case ResultReceived(call, payload, _):
                    self._settle(call, Answer(call.action, payload))
                case ErrorReceived(call, code, description, _, _):
                    self._settle(call, Answer(call.action, None, code, description))
                case _:
                    pass

    def _reply(self, message_id: str, action: str, payload: Payload) -> None:
        """Answer from the scenario's table, else from the version's defaults (`defaults.py`)."""
        answer: Payload | ErrorKind | None
        if action in self.answers:
            scripted = self.answers[action]
            answer = scripted(payload) if callable(scripted) else scripted
        else:
            answer = default_answer(self.version, action)
        if isinstance(answer, ErrorKind):
            self.rpc.send_error(message_id, answer, f"the OCTT station has no answer to {action}")
        elif answer is not None:
            self.rpc.send_result(message_id, answer)

    def _settle(self, call: Any, answer: Answer) -> None:
        future = self._waiting.get(id(call))
        if future is not None and not future.done():
            future.set_result(answer)


def _message_id(text: str) -> str | None:
    try:
        decoded = json.loads(text)
    except ValueError:
        return None
    if isinstance(decoded, list) and len(decoded) > 1 and isinstance(decoded[1], str):
        return decoded[1]
    return None


async def probe_handshake(
    csms_url: str,
    identity: str,
    offered: tuple[str, ...],
    *,
    password: str | None = None,
    username: str | None = None,
    patience: float = 2.0,
    pacer: Pacer | None = None,
) -> Handshake:
    """Offer `offered` subprotocols and see what comes back (TC_088_CSMS, TC_B_58_CSMS; with Basic
    credentials, `username` defaulting to the identity, TC_A_01/02/03_CSMS)."""
    headers = {"Authorization": basic_auth(username or identity, password)} if password is not None else {}
    pacer = pacer or Pacer()
    await pacer.before_connect(identity)
    try:
        websocket = await connect(
            station_url(csms_url, identity),
            subprotocols=[Subprotocol(name) for name in offered],
            additional_headers=headers,
            open_timeout=patience * 5,
            ping_interval=None,
            proxy=None,
        )
    except InvalidStatus as exc:
        pacer.closed(identity)
        return Handshake(offered, exc.response.status_code, None, None)
    except (OSError, TimeoutError):
        pacer.closed(identity)
        return Handshake(offered, None, None, None)
    started = time.monotonic()
    closed_after: float | None = None
    try:
        await asyncio.wait_for(websocket.wait_closed(), patience)
        closed_after = time.monotonic() - started
    except TimeoutError:
        closed_after = None
    finally:
        await websocket.close()
        pacer.closed(identity)
    return Handshake(offered, 101, websocket.subprotocol, closed_after)
