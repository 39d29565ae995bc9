"""The blocking client WebSocket (`simulator.sync.wire`) against a real `websockets` server on 127.0.0.1:
text both ways, fragments reassembled, pings answered, timeouts that keep the connection, refusals and
closes as the exceptions the link turns into LinkError."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve
from websockets.typing import Subprotocol

from evharness.simulator.sync.wire import BlockingWebSocket

pings_answered: list[bytes] = []


def handler(connection: ServerConnection) -> None:
    """Echoes text; `frag:` answers in three fragments; `ping` pings first; `bye` closes with 4000."""
    assert connection.request is not None
    headers = connection.request.headers
    for message in connection:
        assert isinstance(message, str)
        if message == "headers":
            connection.send(headers.get("Authorization", "-"))
        elif message.startswith("frag:"):
            connection.send(iter(["one-", "two-", message]))
        elif message == "ping":
            pong = connection.ping(b"are you there")
            pings_answered.append(b"yes" if pong.wait(5) else b"no")
            connection.send("pinged")
        elif message == "bye":
            connection.close(4000, "bye")
            return
        elif message == "silence":
            continue
        else:
            connection.send(message)


def refuse_some(connection: ServerConnection, request: Request) -> Response | None:
    if request.path.endswith("/UNKNOWN"):
        return connection.respond(404, "no such station\n")
    return None


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    ocpp = [Subprotocol("ocpp1.6")]
    with serve(
        handler, "127.0.0.1", 0, subprotocols=ocpp, process_request=refuse_some, compression=None
    ) as running:
        assert isinstance(running, Server)
        thread = threading.Thread(target=running.serve_forever, daemon=True)
        thread.start()
        port = running.socket.getsockname()[1]
        yield f"ws://127.0.0.1:{port}"
        running.shutdown()
        thread.join(5)


def test_text_goes_both_ways_and_the_subprotocol_is_agreed(server: str) -> None:
    websocket = BlockingWebSocket.open(f"{server}/SIM-1", subprotocols=["ocpp1.6"])
    try:
        assert websocket.subprotocol == "ocpp1.6"
        for text in ['[2,"1","Heartbeat",{}]', "é" * 70_000]:  # a long one spans many reads
            websocket.send(text)
            assert websocket.recv(timeout=5) == text
    finally:
        websocket.close()


def test_a_fragmented_message_arrives_whole(server: str) -> None:
    websocket = BlockingWebSocket.open(f"{server}/SIM-1", subprotocols=["ocpp1.6"])
    try:
        websocket.send("frag:three")
        assert websocket.recv(timeout=5) == "one-two-frag:three"
    finally:
        websocket.close()


def test_a_ping_is_answered_while_waiting(server: str) -> None:
    websocket = BlockingWebSocket.open(f"{server}/SIM-1", subprotocols=["ocpp1.6"])
    try:
        websocket.send("ping")
        assert websocket.recv(timeout=5) == "pinged"
        assert pings_answered[-1] == b"yes"
    finally:
        websocket.close()


@pytest.mark.parametrize("timeout", [0.0, 0.05])
def test_a_timeout_leaves_the_connection_usable(server: str, timeout: float) -> None:
    websocket = BlockingWebSocket.open(f"{server}/SIM-1", subprotocols=["ocpp1.6"])
    try:
        websocket.send("silence")
        with pytest.raises(TimeoutError):
            websocket.recv(timeout=timeout)
        websocket.send("still here")
        assert websocket.recv(timeout=5) == "still here"
    finally:
        websocket.close()


def test_handshake_headers_are_sent(server: str) -> None:
    basic = {"Authorization": "Basic U0lNLTE6cHc="}
    websocket = BlockingWebSocket.open(f"{server}/SIM-1", subprotocols=["ocpp1.6"], headers=basic)
    try:
        websocket.send("headers")
        assert websocket.recv(timeout=5) == "Basic U0lNLTE6cHc="
    finally:
        websocket.close()


def test_a_refused_upgrade_raises_with_the_status(server: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        BlockingWebSocket.open(f"{server}/UNKNOWN", subprotocols=["ocpp1.6"])
    assert refused.value.response.status_code == 404
    assert isinstance(refused.value, InvalidHandshake)


def test_nobody_listening_is_an_os_error() -> None:
    with pytest.raises(ConnectionRefusedError):
        BlockingWebSocket.open("ws://127.0.0.1:9/SIM-1", open_timeout=2)


def test_a_close_by_the_server_ends_recv_and_send(server: str) -> None:
    websocket = BlockingWebSocket.open(f"{server}/SIM-1", subprotocols=["ocpp1.6"])
    websocket.send("bye")
    with pytest.raises(ConnectionClosed) as closed:
        websocket.recv(timeout=5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4000
    with pytest.raises(ConnectionClosed):
        websocket.send("anyone?")
    with pytest.raises(ConnectionClosed):
        websocket.recv(timeout=1)
    websocket.close()  # closing twice is harmless
