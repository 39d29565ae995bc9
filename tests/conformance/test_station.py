"""The subprotocol probe on real sockets: a CSMS may refuse with HTTP or with 101 and a close."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.typing import Subprotocol

from evharness.conformance import checks
from evharness.conformance.station import OcttStation, probe_handshake
from evharness.ocppj.versions import OcppVersion


def no_protocol(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
    return None  # upgrade without Sec-WebSocket-Protocol


async def close_at_once(connection: ServerConnection) -> None:
    await connection.close()


async def stay_open(connection: ServerConnection) -> None:
    await connection.wait_closed()


async def probe(handler: Callable[[ServerConnection], Awaitable[None]]) -> checks.Handshake:
    async with serve(handler, "127.0.0.1", 0, select_subprotocol=no_protocol) as server:
        port = server.sockets[0].getsockname()[1]
        return await probe_handshake(f"ws://127.0.0.1:{port}/ocpp", "CP-1", ("ocpp0.1",), patience=0.5)


def test_101_without_the_header_then_a_close_is_a_refusal() -> None:
    handshake = asyncio.run(probe(close_at_once))
    assert (handshake.status, handshake.subprotocol) == (101, None)
    assert handshake.closed_after is not None
    assert checks.check_refusal(handshake, patience=0.5) is None


def test_101_without_the_header_kept_open_is_a_violation() -> None:
    handshake = asyncio.run(probe(stay_open))
    assert handshake.closed_after is None
    violation = checks.check_refusal(handshake, patience=0.5)
    assert violation is not None
    assert "kept the socket open" in violation.detail


def test_the_station_refuses_to_talk_a_protocol_it_did_not_offer() -> None:
    async def scenario() -> None:
        def other(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
            return None

        async with serve(stay_open, "127.0.0.1", 0, select_subprotocol=other) as server:
            port = server.sockets[0].getsockname()[1]
            station = OcttStation("CP-1", OcppVersion.V201, f"ws://127.0.0.1:{port}/ocpp", call_timeout=2)
            with pytest.raises(AssertionError, match="the CSMS chose None"):
                await station.connect()

    asyncio.run(scenario())


def test_unscripted_calls_get_the_version_default_or_a_callerror() -> None:
    """A real CSMS socket sends three CALLs the scenario never scripted; what the station answers."""
    import json

    answers: list[list[object]] = []

    async def csms(connection: ServerConnection) -> None:
        for message_id, action in (
            ("1", "GetLocalListVersion"),
            ("2", "BootNotification"),
            ("3", "Teleport"),
        ):
            await connection.send(json.dumps([2, message_id, action, {}]))
            answers.append(json.loads(await connection.recv()))
        await connection.close()

    def ocpp16(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
        return Subprotocol("ocpp1.6")

    async def scenario() -> None:
        async with serve(csms, "127.0.0.1", 0, select_subprotocol=ocpp16) as server:
            port = server.sockets[0].getsockname()[1]
            station = OcttStation("CP-1", OcppVersion.V16, f"ws://127.0.0.1:{port}/ocpp", call_timeout=2)
            await station.connect()
            await station.closed_by_csms.wait()
            await station.disconnect()

    asyncio.run(scenario())
    assert answers[0] == [3, "1", {"listVersion": 0}]
    assert answers[1][:3] == [4, "2", "NotSupported"]
    assert answers[2][:3] == [4, "3", "NotImplemented"]


def test_a_station_waits_the_reconnect_delay_after_its_socket_closed() -> None:
    """Issue 20: one CSMS loses its broker channel on a reconnect ~10 ms after a close. Every station of a
    run (and every probe) shares one `Pacer`: a connection of an identity waits `--reconnect-delay`."""
    from evharness.conformance.pacing import Pacer

    opened: list[float] = []
    closed: list[float] = []

    async def record(connection: ServerConnection) -> None:
        opened.append(time.monotonic())
        await connection.wait_closed()

    async def scenario() -> None:
        def agree(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
            return offered[0]

        async with serve(record, "127.0.0.1", 0, select_subprotocol=agree) as server:
            url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/ocpp"
            pacer = Pacer(0.3)
            for _ in range(2):  # two cases in a row, each with its own station
                station = OcttStation("CP-1", OcppVersion.V201, url, call_timeout=2, pacer=pacer)
                await station.connect()
                await station.disconnect()
                closed.append(time.monotonic())
            await probe_handshake(url, "CP-1", ("ocpp2.0.1",), patience=0.1, pacer=pacer)
            other = OcttStation("CP-2", OcppVersion.V201, url, call_timeout=2, pacer=pacer)
            await other.connect()  # another identity: no wait for it
            await other.disconnect()

    asyncio.run(scenario())
    assert len(opened) == 4
    assert opened[1] - closed[0] >= 0.3
    assert opened[2] - closed[1] >= 0.3


def test_the_reconnect_delay_is_an_option_with_a_realistic_default() -> None:
    from evharness.conformance.options import PLUGIN_OPTIONS

    (default,) = [option.default for option in PLUGIN_OPTIONS if option.flag == "--reconnect-delay"]
    assert default == "1"
