"""One station over one websockets client connection (asyncio): move frames, reconnect with
exponential back-off and jitter when the connection drops, carry out the faults the station asks for
(drop the connection, stay offline), authenticate per the security profile. What happens between
frames — ticks, the scenario, the journal — is the shared I/O-free loop, `simulator.driver`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.typing import Subprotocol

from evharness.csms_target import describe_refusal, refusal_is_final, station_url
from evharness.redaction import guard_loggers
from evharness.simulator.backoff import Backoff, OcppBackoff
from evharness.simulator.core.clock import Clock
from evharness.simulator.core.station import Station
from evharness.simulator.core.transfers import Transfer
from evharness.simulator.driver import Driver
from evharness.simulator.journal_file import JournalFile
from evharness.simulator.scenario.runner import ScenarioRunner
from evharness.simulator.security import SecurityProfile, basic_auth_header
from evharness.simulator.transfers import perform

FrameHook = Callable[[str, str, float], None]  # (direction "out"/"in", text, simulated time)
TRANSFER_POLL_S = 0.1  # how often a link without a wake event looks for finished transfers


class HandshakeRefused(Exception):
    """The CSMS refused the WebSocket upgrade or the OCPP subprotocol."""


@dataclass
class StationLink:
    station: Station
    csms_url: str
    clock: Clock
    runner: ScenarioRunner | None = None
    backoff: Backoff | OcppBackoff = field(default_factory=Backoff)
    max_connect_attempts: int = 8
    open_timeout: float = 10.0
    on_frame: FrameHook | None = None
    security: SecurityProfile = field(default_factory=SecurityProfile)
    journal: JournalFile | None = None
    keep_running: bool = False  # stay connected once the scenario is done (control API, fixtures)
    connections: int = 0
    disconnections: int = 0
    last_error: str | None = None
    _wake: asyncio.Event | None = None
    _driver: Driver | None = None
    _transfers: set[asyncio.Task[Any]] = field(default_factory=set)

    def make_interactive(self) -> None:
        """Let code outside the loop act on the station and `kick()` the link to send at once."""
        self._wake = asyncio.Event()

    @property
    def interactive(self) -> bool:
        return self._wake is not None

    def kick(self) -> None:
        if self._wake is not None:
            self._wake.set()

    @property
    def url(self) -> str:
        return station_url(self.csms_url, self.station.identity)

    def handshake_headers(self) -> list[tuple[str, str]]:
        if self.security.profile not in (1, 2):
            return []
        rotated = self.station.device.values.get("SecurityCtrlr.BasicAuthPassword")
        password = rotated or self.security.password or ""
        return [basic_auth_header(self.station.identity, password)]

    @property
    def driver(self) -> Driver:
        """The I/O-free loop around the station (made when the link starts running)."""
        if self._driver is None:
            self._driver = Driver(
                self.station,
                self.clock,
                self.runner,
                self.journal,
                keep_running=self.keep_running,
                start_transfer=self._start_transfer,
            )
        return self._driver

    def _start_transfer(self, transfer: Transfer) -> None:
        """Carry out the transfer in a thread; hand its result to the station and wake the loop."""
        task = asyncio.get_running_loop().create_task(asyncio.to_thread(perform, transfer))
        self._transfers.add(task)

        def finished(done: asyncio.Task[Any]) -> None:
            self._transfers.discard(done)
            if not done.cancelled() and done.exception() is None:
                self.station.transfer_finished(done.result(), self.clock.now())
                self.kick()

        task.add_done_callback(finished)

    async def _stay_offline(self) -> None:
        """While a go_offline fault lasts, keep the station ticking without a connection."""
        driver = self.driver
        while not self.station.wants_connection(self.clock.now()):
            driver.turn()
            wait = driver.real_wait(self.station.faults.offline_until or self.clock.now())
            await self._sleep(0.05 if wait is None else min(wait, 1.0))

    async def _back_off(self, seconds: float) -> None:
        """Wait `seconds` real seconds before the next connection attempt, the station's clock
        running all the while: however the connection was lost, a station keeps charging and
        metering, and queues its transaction messages for the replay (issue 13)."""
        for pause in self.driver.offline(seconds):
            await self._sleep(pause)

    async def _sleep(self, seconds: float) -> None:
        if self._wake is None:
            await asyncio.sleep(seconds)
            return
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    async def run(self) -> None:
        """Connect and drive the station until its scenario is done (or forever without one);
        however it ends (even cancelled), the journal holds what is still owed to the CSMS."""
        self._driver = None
        try:
            await self._run()
        finally:
            self.driver.sync_journal()

    async def _run(self) -> None:
        failures = 0
        driver = self.driver
        driver.restore_journal()
        scheme = "wss://" if self.security.tls else "ws://"
        if not self.csms_url.startswith(scheme):
            raise ConnectionError(f"{self.csms_url}: security profile {self.security.profile} needs {scheme}")
        guard_loggers()  # websockets logs frames at DEBUG: PINs masked there too
        while not driver.finished:
            if not self.station.wants_connection(self.clock.now()):
                await self._stay_offline()
                continue
            try:
                async with connect(
                    self.url,
                    subprotocols=[Subprotocol(self.station.rpc.version.subprotocol)],
                    open_timeout=self.open_timeout,
                    ping_interval=None,
                    compression=None,
                    proxy=None,
                    additional_headers=self.handshake_headers(),
                    ssl=self.security.ssl_context(),
                ) as websocket:
                    if websocket.subprotocol != self.station.rpc.version.subprotocol:
                        raise HandshakeRefused(
                            f"the CSMS answered subprotocol {websocket.subprotocol!r}, "
                            f"not {self.station.rpc.version.subprotocol}"
                        )
                    failures = 0
                    self.backoff.reset()
                    self.connections += 1
                    await self._session(websocket)
                    if driver.should_disconnect():
                        self.station.faults.drop_requested = False
                        self.disconnections += 1
                        driver.connection_lost()
                        continue
            except (OSError, TimeoutError, InvalidHandshake, HandshakeRefused, ConnectionClosed) as exc:
                if isinstance(exc, InvalidStatus) and refusal_is_final(exc.response.status_code):
                    self.last_error = describe_refusal(self.url, exc.response.status_code, exc.response.body)
                    raise ConnectionError(self.last_error) from None
                self.last_error = f"{type(exc).__name__}: {exc}"
                if self.station.connected:
                    self.disconnections += 1
                    driver.connection_lost()
                failures += 1
                if failures >= self.max_connect_attempts:
                    raise ConnectionError(
                        f"{self.url}: gave up after {failures} attempts: {self.last_error}"
                    ) from None
                await self._back_off(self.backoff.next_delay())
            except InvalidURI as exc:
                raise ConnectionError(f"{self.csms_url}: {exc}") from None

    async def _session(self, websocket: ClientConnection) -> None:
        driver, clock = self.driver, self.clock
        driver.connection_made()
        receiving: asyncio.Future[str | bytes] | None = None
        try:
            while True:
                if self._wake is not None:
                    self._wake.clear()
                driver.turn()
                await self._flush(websocket)
                if driver.finished or driver.should_disconnect():
                    return
                wait = driver.real_wait()
                if self._wake is None and self.station.transfers.in_flight:
                    wait = TRANSFER_POLL_S if wait is None else min(wait, TRANSFER_POLL_S)
                if self._wake is None:
                    try:
                        async with asyncio.timeout(wait):
                            text = await websocket.recv()
                    except TimeoutError:
                        continue
                else:
                    receiving = receiving or asyncio.ensure_future(websocket.recv())
                    woken: asyncio.Future[Any] = asyncio.ensure_future(self._wake.wait())
                    either: set[asyncio.Future[Any]] = {receiving, woken}
                    try:
                        done, _ = await asyncio.wait(
                            either, timeout=wait, return_when=asyncio.FIRST_COMPLETED
                        )
                    finally:  # cancelled too (LiveStation.close): leave no task behind
                        await _cancelled(woken)
                    if receiving not in done:
                        continue
                    text, receiving = receiving.result(), None
                if self.on_frame is not None:
                    self.on_frame("in", text if isinstance(text, str) else text.decode(), clock.now())
                driver.receive(text)
        finally:
            try:
                with contextlib.suppress(Exception):
                    await self._flush(websocket)
            finally:
                if receiving is not None:
                    await _cancelled(receiving)

    async def _flush(self, websocket: ClientConnection) -> None:
        for text in self.driver.data_to_send():
            if self.on_frame is not None:
                self.on_frame("out", text, self.clock.now())
            await websocket.send(text)


async def _cancelled(future: asyncio.Future[Any]) -> None:
    """Cancel `future` and wait until it is over, so no task outlives its link. A cancellation of
    the caller's own task (LiveStation.close) is not swallowed: it goes on once this returns."""
    future.cancel()
    try:
        await future
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
    except (ConnectionClosed, OSError):
        pass  # what the receive ended with no longer matters
