"""A client WebSocket over one blocking socket, driven by websockets' sans-I/O `ClientProtocol`.

Why not `websockets.sync.client`: it runs a reader thread per connection and hands every frame across a
lock and an assembler; under Locust (gevent) that thread is a greenlet woken for every frame, and the
hand-over costs as much as the station core itself (py-spy of a station user, issue 17). Here the caller's
own `recv` reads the socket and feeds the protocol: no thread, no queue, one syscall per frame each way.
Blocking sockets fit plain threads and gevent greenlets alike (Locust monkey-patches `socket`).

What a station needs and nothing more: text frames (OCPP-J), fragmented messages reassembled, pings
answered (the protocol queues the pong), the closing handshake, TLS for `wss://`, extra handshake headers
(Basic authentication of the security profiles).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Mapping, Sequence

from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.typing import Subprotocol
from websockets.uri import parse_uri

__all__ = ["BlockingWebSocket"]

READ_SIZE = 65536
MAX_MESSAGE = 2**22  # bytes; OCPP frames are small, a NotifyReport page is the largest


class BlockingWebSocket:
    """One open client connection: `send` text, `recv` text (with a timeout), `close`."""

    def __init__(
        self, sock: socket.socket, protocol: ClientProtocol, subprotocol: Subprotocol | None
    ) -> None:
        self._sock = sock
        self._protocol = protocol
        self.subprotocol = subprotocol
        self._ready: list[str] = []  # whole text messages received, oldest first
        self._parts: list[bytes] = []  # a fragmented message being reassembled

    @classmethod
    def open(
        cls,
        url: str,
        *,
        subprotocols: Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
        open_timeout: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> BlockingWebSocket:
        """Connect and complete the opening handshake; raise OSError, TimeoutError or InvalidHandshake."""
        uri = parse_uri(url)
        protocol = ClientProtocol(
            uri, subprotocols=[Subprotocol(s) for s in subprotocols] or None, max_size=MAX_MESSAGE
        )
        sock = socket.create_connection((uri.host, uri.port), timeout=open_timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if uri.secure:
                context = ssl_context or ssl.create_default_context()
                sock = context.wrap_socket(sock, server_hostname=uri.host)
            request = protocol.connect()
            for name, value in (headers or {}).items():
                request.headers[name] = value
            protocol.send_request(request)
            sock.sendall(b"".join(protocol.data_to_send()))
            response = cls._handshake(sock, protocol)
        except BaseException:
            sock.close()
            raise
        sock.settimeout(None)
        subprotocol = response.headers.get("Sec-WebSocket-Protocol")
        return cls(sock, protocol, Subprotocol(subprotocol) if subprotocol else None)

    @staticmethod
    def _handshake(sock: socket.socket, protocol: ClientProtocol) -> Response:
        while True:
            data = sock.recv(READ_SIZE)
            if data:
                protocol.receive_data(data)
            else:
                protocol.receive_eof()
            for event in protocol.events_received():
                if isinstance(event, Response):
                    if protocol.handshake_exc is not None:
                        raise protocol.handshake_exc
                    return event
            if protocol.handshake_exc is not None:
                raise protocol.handshake_exc
            if not data:
                raise InvalidHandshake("the server closed the connection during the handshake")

    def send(self, text: str) -> None:
        """Send one text message; raise ConnectionClosed if the connection is no longer open."""
        protocol = self._protocol
        if protocol.state is not State.OPEN:
            raise protocol.close_exc
        protocol.send_text(text.encode())
        self._flush()

    def recv(self, timeout: float | None = None) -> str:
        """The next text message; TimeoutError after `timeout` seconds; ConnectionClosed once closed."""
        ready = self._ready
        if ready:
            return ready.pop(0)
        if self._protocol.state is State.CLOSED:
            raise self._protocol.close_exc
        sock = self._sock
        sock.settimeout(timeout)
        while not ready:
            try:
                data = sock.recv(READ_SIZE)
            except TimeoutError:
                raise  # a subclass of OSError: the caller's timeout, the connection lives on
            except BlockingIOError:  # timeout 0: the socket is non-blocking and had nothing
                raise TimeoutError from None
            except OSError:
                self._protocol.receive_eof()
                self._abort()
                raise self._protocol.close_exc from None
            self._feed(data)
        return ready.pop(0)

    def close(self, timeout: float = 2.0) -> None:
        """The closing handshake (bounded by `timeout`), then the socket is closed."""
        protocol = self._protocol
        try:
            if protocol.state is State.OPEN:
                protocol.send_close()
                self._flush()
                self._sock.settimeout(timeout)
                while True:  # until the server's close (ConnectionClosed), EOF or the timeout
                    data = self._sock.recv(READ_SIZE)
                    self._feed(data)
                    if not data:
                        break
        except (OSError, ConnectionClosed):
            pass
        finally:
            self._abort()

    def _feed(self, data: bytes) -> None:
        protocol = self._protocol
        if data:
            protocol.receive_data(data)
        else:
            protocol.receive_eof()
        for event in protocol.events_received():
            if isinstance(event, Frame):
                self._frame(event)
        self._flush()  # pongs, the answer to a close
        if protocol.state is State.CLOSED or not data:
            self._abort()
            if not self._ready:
                raise protocol.close_exc

    def _frame(self, frame: Frame) -> None:
        if frame.opcode is Opcode.TEXT or frame.opcode is Opcode.BINARY:
            if frame.fin:
                self._ready.append(bytes(frame.data).decode())
            else:
                self._parts = [bytes(frame.data)]
        elif frame.opcode is Opcode.CONT:
            self._parts.append(bytes(frame.data))
            if frame.fin:
                self._ready.append(b"".join(self._parts).decode())
                self._parts = []

    def _flush(self) -> None:
        chunks = self._protocol.data_to_send()
        if not chunks:
            return
        data = b"".join(chunks)
        if data:
            try:
                self._sock.sendall(data)
            except OSError:
                self._protocol.receive_eof()
                self._abort()
                raise self._protocol.close_exc from None

    def _abort(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
