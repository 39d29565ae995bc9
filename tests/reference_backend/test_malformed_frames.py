"""A client cannot flood the backend's log with malformed frames: per connection the first few are
logged at WARNING, the rest counted and summed up in one line when it closes; a binary WebSocket frame
is refused (OCPP-J: text frames only) by closing with 1003."""

from __future__ import annotations

import asyncio
import logging

import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.connection import VIOLATIONS_LOGGED
from evharness.reference_backend.settings import BackendSettings

from .helpers import boot_16

FLOOD = 60


def test_malformed_frames_are_logged_a_few_times_then_counted(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "evharness.reference_backend.connection")

    async def scenario() -> list[object]:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, log_level="warning")
        async with BackendServer(settings) as backend:
            url = f"{backend.ocpp_url}SIM-FLOOD"
            async with connect(url, subprotocols=[Subprotocol("ocpp1.6")]) as ws:
                for n in range(FLOOD):
                    await ws.send(f"not a frame {n}")
                await ws.send(orjson.dumps([2, "b1", "BootNotification", boot_16()]).decode())
                while True:  # the CALLERRORs of the malformed frames first (1.6 answers them)
                    answer: list[object] = orjson.loads(await ws.recv())
                    if answer[1] == "b1":
                        return answer  # still served

    answer = asyncio.run(scenario())
    assert answer[:2] == [3, "b1"]
    lines = [r.getMessage() for r in caplog.records if r.name == "evharness.reference_backend.connection"]
    assert len(lines) == VIOLATIONS_LOGGED + 1, lines
    assert f"SIM-FLOOD: {FLOOD - VIOLATIONS_LOGGED} more malformed frames were not logged" in lines[-1]


def test_a_binary_frame_is_refused(sqlite_url: str) -> None:
    async def scenario() -> int | None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, log_level="warning")
        async with BackendServer(settings) as backend:
            url = f"{backend.ocpp_url}SIM-BIN"
            async with connect(url, subprotocols=[Subprotocol("ocpp1.6")]) as ws:
                await ws.send(orjson.dumps([2, "b1", "BootNotification", boot_16()]))  # bytes: a binary frame
                try:
                    await ws.recv()
                except ConnectionClosed as closed:
                    return closed.rcvd.code if closed.rcvd is not None else None
                return None

    assert asyncio.run(scenario()) == 1003
