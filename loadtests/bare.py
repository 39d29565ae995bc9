"""The baseline of the `locust` part of `evharness bench`: a bare websocket Locust user, no station behind it.

It sends one OCPP-shaped CALL and waits for the answer, over the same `websockets.sync` connection the
station user uses, and reports each round trip like the station user does. Point it at the bench's
echo server (any server that answers each frame will do):

    locust -f loadtests/bare.py --host ws://127.0.0.1:PORT --headless -u 50 -r 50 -t 20s
"""

from __future__ import annotations

import itertools
import time

from locust import User, constant, task
from locust.env import Environment
from websockets.sync.client import ClientConnection, connect

__all__ = ["BareWebSocketUser"]

_numbers = itertools.count(1)


class BareWebSocketUser(User):
    wait_time = constant(0)

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.number = next(_numbers)
        self.counter = itertools.count(1)
        self.websocket: ClientConnection | None = None

    def on_start(self) -> None:
        url = f"{(self.host or '').rstrip('/')}/BARE-{self.number:05d}"
        self.websocket = connect(url, compression=None, ping_interval=None, proxy=None, legacy=True)

    def on_stop(self) -> None:
        if self.websocket is not None:
            self.websocket.close()

    @task
    def heartbeat(self) -> None:
        assert self.websocket is not None
        message_id = f"{self.number}-{next(self.counter)}"
        started = time.perf_counter()
        self.websocket.send(f'[2,"{message_id}","Heartbeat",{{}}]')
        answer = self.websocket.recv(timeout=10)
        ok = message_id in answer
        self.environment.events.request.fire(
            request_type="OCPP",
            name="Heartbeat",
            response_time=(time.perf_counter() - started) * 1000.0,
            response_length=len(answer),
            exception=None if ok else RuntimeError(f"unexpected answer {answer[:80]!r}"),
            context={},
        )
