"""The OCPP-J WebSocket server: it only moves frames between sockets and `CsmsConnection`s.

Handshake rules (OCPP-J §3.2, 1.6 and 2.0.1 alike): the URL is `/ocpp/{station identity}`,
percent-encoded; any other path gets HTTP 404. The subprotocol is the first one the station
offers among ours (the station lists them by preference); a station offering none of them is
refused with HTTP 400 by the websockets negotiation, which the OCTT accepts (TC_088, TC_B_58).

Per socket: one `CsmsConnection` (the sans-I/O OCPP side), its `Answering` (station CALLs decided in
the handler pool, answered once durable) and its `operations.Link` (the CSMS's CALLs, and the
follow-ups the connection asks for), attached to `Operations` while the socket is open.
"""

from __future__ import annotations

import asyncio
import http
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol
from urllib.parse import unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed, NegotiationError
from websockets.frames import CloseCode
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from evharness.identities import identity_problem
from evharness.ocppj.versions import OcppVersion
from evharness.redaction import FRAME_LOGGERS, guard_loggers
from evharness.reference_backend.answering import Answering
from evharness.reference_backend.boot_policies import BootPolicies
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.notices import Notices
from evharness.reference_backend.operations import Link, Operations
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.station_security import SecurityRecords
from evharness.reference_backend.security import Gate, SecurityPolicy

log = logging.getLogger(__name__)

PATH_PREFIX = "/ocpp/"
SUBPROTOCOLS: frozenset[str] = frozenset(version.subprotocol for version in OcppVersion)
HANDLER_THREADS = 16  # station CALLs decided at once (database work off the event loop; `answering`)


class FrameObserver(Protocol):
    def received(self, identity: str, text: str | bytes) -> None: ...
    def sent(self, identity: str, text: str | bytes) -> None: ...
    def closed(self, identity: str) -> None: ...


def identity_from_path(path: str) -> str | None:
    """The station identity in `/ocpp/{identity}`, percent-decoded; None if the path names none."""
    route = urlsplit(path).path
    if not route.startswith(PATH_PREFIX):
        return None
    try:
        identity = unquote(route.removeprefix(PATH_PREFIX), errors="strict")
    except UnicodeDecodeError:
        return None
    return None if identity_problem(identity) else identity


def choose_subprotocol(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol:
    for name in offered:
        if name in SUBPROTOCOLS:
            return name
    raise NegotiationError(
        f"no supported OCPP subprotocol offered; expected one of {', '.join(sorted(SUBPROTOCOLS))}"
    )


def refuse_unknown_paths(connection: ServerConnection, request: Request) -> Response | None:
    if identity_from_path(request.path) is None:
        return Response(
            http.HTTPStatus.NOT_FOUND.value,
            "Not Found",
            Headers([("Content-Type", "text/plain; charset=utf-8")]),
            f"no OCPP endpoint here: connect to {PATH_PREFIX}{{station_id}}\n".encode(),
        )
    return None


class OcppServer:
    def __init__(
        self,
        store: Store,
        host: str,
        port: int,
        *,
        heartbeat_interval: int = 300,
        validate_outgoing: bool = False,
        operations: Operations | None = None,
        security: SecurityPolicy | None = None,
        tls_port: int = 0,
        boot_policies: BootPolicies | None = None,
    ) -> None:
        self.store = store
        self.boot_policies = boot_policies or BootPolicies()
        self.operations = operations or Operations()
        self.security = security or SecurityPolicy()
        self.gate = Gate(self.security, store, SecurityRecords(store.engine))
        self.requested_tls_port = tls_port  # wss:// when the policy has certificates
        self.host = host
        self.requested_port = port
        self.heartbeat_interval = heartbeat_interval
        self.validate_outgoing = validate_outgoing
        self.connections: dict[str, ServerConnection] = {}  # by station identity
        # Run once a station is registered on a connection (the backend pushes pending settings).
        self.on_registered: Callable[[Link], Awaitable[None]] | None = None
        self.frames: FrameObserver | None = None  # sees every frame, e.g. `metrics.FrameMetrics`
        self._server: Server | None = None
        self._tls_server: Server | None = None
        self._closing: set[asyncio.Task[None]] = set()
        self.notices = Notices()  # what a station was told once already (refusals, seqNo reuse)
        self._handler_pool: ThreadPoolExecutor | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the OCPP server is not started")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def tls_port(self) -> int | None:
        """The wss:// port; None when the backend has no certificate."""
        if self._tls_server is None:
            return None
        port: int = self._tls_server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> int:
        """Listen; return the bound port (useful when asked for port 0)."""
        # websockets logs frames at DEBUG; the connection and server log tracebacks: PINs masked there too
        guard_loggers((*FRAME_LOGGERS, "evharness.reference_backend.connection", __name__))
        self._server = await self._listen(self.requested_port, None)
        context = self.security.ssl_context()
        if context is not None:
            try:
                self._tls_server = await self._listen(self.requested_tls_port, context)
            except BaseException:
                self._server.close()
                await self._server.wait_closed()
                raise
        self._handler_pool = ThreadPoolExecutor(HANDLER_THREADS, thread_name_prefix="ocpp-handler")
        return self.port

    async def _listen(self, port: int, context: ssl.SSLContext | None) -> Server:
        return await serve(
            self._serve_station,
            self.host,
            port,
            subprotocols=[Subprotocol(name) for name in sorted(SUBPROTOCOLS)],
            select_subprotocol=choose_subprotocol,
            process_request=self._check_request,
            # 2.0.1 Part 4 §3.3: a CSMS supports permessage-deflate; it costs only connections that offer it
            ssl=context,
        )

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """The path names a station (else 404), which proves itself as its security profile asks
        (`security.Gate`: TLS, client certificate, HTTP Basic credentials; A00.FR.203)."""
        refused = refuse_unknown_paths(connection, request)
        if refused is not None:
            return refused
        identity = identity_from_path(request.path)
        assert identity is not None
        return self.gate.check(connection, request, identity)

    async def stop(self) -> None:
        if self._server is None:
            return
        for server in (self._server, self._tls_server):
            if server is not None:
                server.close()  # closes every connection with 1001 (going away)
        await self._server.wait_closed()
        if self._tls_server is not None:
            await self._tls_server.wait_closed()
            self._tls_server = None
        await asyncio.gather(*self._closing, return_exceptions=True)
        await self.operations.settle()
        self._server = None
        if self._handler_pool is not None:
            await asyncio.to_thread(self._handler_pool.shutdown)
            self._handler_pool = None
        self.store.flush()

    async def _serve_station(self, socket: ServerConnection) -> None:
        # The handshake checked the path and negotiated the subprotocol.
        assert socket.request is not None
        identity = identity_from_path(socket.request.path)
        version = OcppVersion.from_subprotocol(socket.subprotocol or "")
        assert identity is not None
        assert version is not None
        connection = CsmsConnection(
            identity,
            version,
            self.store,
            heartbeat_interval=self.heartbeat_interval,
            validate_outgoing=self.validate_outgoing,
            boot_policies=self.boot_policies,
            notices=self.notices,
            deferred=True,
        )
        self._replace_connection(identity, socket)
        log.info("%s connected (%s) from %s", identity, socket.subprotocol, socket.remote_address)

        frames = self.frames

        async def flush() -> None:
            for frame in connection.data_to_send():
                if frames is not None:
                    frames.sent(identity, frame)
                try:
                    await socket.send(frame)
                except ConnectionClosed:
                    # The station left: not an error. Its CALLs waiting for answers end as
                    # not connected when the connection is detached (below).
                    return

        link = Link(connection, flush, self.operations.timeout)
        announced = False

        def answered() -> None:
            nonlocal announced
            link.send_follow_ups()  # e.g. TriggerMessage after Pending
            for identity_elsewhere, action, payload in connection.take_elsewhere():  # a site's profiles
                self.operations.call_soon(identity_elsewhere, action, payload)
            if not announced and connection.registered:
                announced = True
                if self.on_registered is not None:
                    self._spawn(self.on_registered(link))

        assert self._handler_pool is not None
        answering = Answering(connection, self._handler_pool, flush, answered)
        self.operations.attach(link)
        try:
            async for message in socket:
                if frames is not None:
                    frames.received(identity, message)
                if isinstance(message, bytes):  # OCPP-J: text frames only (RFC 6455 §7.4.1: 1003)
                    log.warning(
                        "%s sent a binary frame: connection closed (OCPP-J uses text frames)", identity
                    )
                    await socket.close(CloseCode.UNSUPPORTED_DATA, "OCPP-J uses text frames only")
                    break
                connection.receive(message, time.time())
                await flush()  # what the RPC layer answered itself (a malformed frame …)
                answering.wake()
        except ConnectionClosed:
            pass
        finally:
            await answering.close()
            if frames is not None:
                frames.closed(identity)
            self.operations.detach(link)
            connection.connection_lost()
            if self.connections.get(identity) is socket:
                del self.connections[identity]
            log.info("%s disconnected (%s)", identity, socket.close_code)

    def _replace_connection(self, identity: str, connection: ServerConnection) -> None:
        """A station that connects again supersedes its old connection, which is closed."""
        previous = self.connections.get(identity)
        self.connections[identity] = connection
        if previous is not None:
            self._spawn(previous.close(1000, "superseded by a new connection"))

    def _spawn(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                log.exception("background work failed")

        task = asyncio.create_task(run())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
