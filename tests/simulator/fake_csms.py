"""A small scriptable CSMS on 127.0.0.1 for tests of how the simulator copes with one it cannot choose.

It runs in its own thread (its own event loop), so a test can point an `evharness sim` process or a
`LiveStation` at it. By default it accepts any station and answers every CALL as a lenient CSMS
would; `answers` overrides an action (a payload, or a `CallError`), `refuse` answers the upgrade
with an HTTP status. It records the request paths it saw and every frame.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

SUBPROTOCOLS = ("ocpp1.6", "ocpp2.0.1", "ocpp2.1")


@dataclass(frozen=True)
class CallError:
    code: str
    description: str = ""


Answer = dict[str, Any] | CallError
Answerer = Callable[[str, dict[str, Any]], Answer]  # (subprotocol, request payload) → answer


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _token_info(subprotocol: str) -> dict[str, Any]:
    return (
        {"idTagInfo": {"status": "Accepted"}}
        if subprotocol == "ocpp1.6"
        else {"idTokenInfo": {"status": "Accepted"}}
    )


DEFAULTS: dict[str, Answerer] = {
    "BootNotification": lambda sp, p: {"status": "Accepted", "currentTime": _now(), "interval": 300},
    "Heartbeat": lambda sp, p: {"currentTime": _now()},
    "Authorize": lambda sp, p: _token_info(sp),
    "StartTransaction": lambda sp, p: {"transactionId": 1, **_token_info(sp)},
    "StopTransaction": lambda sp, p: {},
    "TransactionEvent": lambda sp, p: _token_info(sp) if "idToken" in p else {},
}


@dataclass
class FakeCsms:
    answers: dict[str, Answer | Answerer] = field(default_factory=dict)
    refuse: int | None = None  # answer every upgrade with this HTTP status
    refusal_body: str = "no such station"
    paths: list[str] = field(default_factory=list)
    frames: list[tuple[str, str]] = field(default_factory=list)  # ("in" | "out", text)

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._server: Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def port(self) -> int:
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ocpp"

    def __enter__(self) -> FakeCsms:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self._server = started.result(timeout=10)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _start(self) -> Server:
        return await serve(
            self._serve,
            "127.0.0.1",
            0,
            subprotocols=[Subprotocol(name) for name in SUBPROTOCOLS],
            process_request=self._http,
            select_subprotocol=_first_offered,
        )

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        self.paths.append(request.path)
        if self.refuse is None:
            return None
        headers = Headers([("Content-Type", "text/plain")])
        return Response(self.refuse, "Refused", headers, self.refusal_body.encode())

    async def _serve(self, connection: ServerConnection) -> None:
        subprotocol = connection.subprotocol or "ocpp1.6"
        try:
            async for text in connection:
                assert isinstance(text, str)
                self.frames.append(("in", text))
                message = json.loads(text)
                if message[0] != 2:
                    continue
                _, message_id, action, payload = message
                answer = self.answers.get(action) or DEFAULTS.get(action) or {}
                if callable(answer):
                    answer = answer(subprotocol, payload)
                if isinstance(answer, CallError):
                    reply = [4, message_id, answer.code, answer.description, {}]
                else:
                    reply = [3, message_id, answer]
                out = json.dumps(reply)
                self.frames.append(("out", out))
                await connection.send(out)
        except ConnectionClosed:
            pass


def _first_offered(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
    return next((name for name in offered if name in SUBPROTOCOLS), None)
