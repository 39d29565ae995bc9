"""One station over one blocking WebSocket connection (`simulator.sync.wire`).

The same I/O-free loop as `simulator.asyncio.transport` (`simulator.driver`), with blocking calls
around it: a turn, send what the station queued, receive with a timeout until the next deadline.
Blocking sockets make it fit both plain threads and gevent greenlets (Locust monkey-patches `socket`,
`select` and `threading`, so `recv(timeout=…)` yields to other users).

Measured on this machine for the choice (20 greenlets echoing 1 000 frames each, client CPU per
round trip): `websockets.sync` 52-58 µs, websockets' sans-I/O protocol over the greenlet's own socket
(`wire.BlockingWebSocket`) 35 µs — no reader thread per connection, no hand-over per frame.

An unscripted drop (a CSMS restart, a network cut) does not end a scenario: the link backs off and
connects again within the scenario's time, the station's clock running all the while (`Driver.offline`):
it keeps charging and metering, queues its transaction messages and replays them once back, as the
asyncio transport does. Every connection attempt is handed to `on_connect`.

Every answered, failed or timed-out CALL of the station is handed to `on_round_trip` with its real
duration and the station events it caused, so a load tool can report it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from evharness.csms_target import describe_refusal, refusal_is_final, station_url
from evharness.redaction import guard_loggers
from evharness.simulator.backoff import Backoff
from evharness.simulator.core.clock import Clock
from evharness.simulator.core.station import Station
from evharness.simulator.driver import Driver, RoundTripHook
from evharness.simulator.scenario.runner import ScenarioRunner
from evharness.simulator.sync.wire import BlockingWebSocket
from evharness.simulator.transfers import perform

__all__ = ["ConnectHook", "LinkError", "RoundTripHook", "SyncStationLink"]


class LinkError(Exception):
    """The connection could not be opened, or broke, or a scenario did not finish in time;
    `final` when the CSMS refused the upgrade in a way that retrying will not change (HTTP 4xx)."""

    def __init__(self, message: str, *, final: bool = False) -> None:
        super().__init__(message)
        self.final = final


ConnectHook = Callable[[float, LinkError | None], None]
"""(real seconds the handshake took, or None if it succeeded else why it failed)"""


@dataclass
class SyncStationLink:
    station: Station
    csms_url: str
    clock: Clock
    on_round_trip: RoundTripHook | None = None
    on_connect: ConnectHook | None = None
    backoff: Backoff = field(default_factory=Backoff)
    open_timeout: float = 10.0
    connect_seconds: float = 0.0  # real duration of the last WebSocket handshake
    _websocket: BlockingWebSocket | None = field(default=None, repr=False)
    _give_up: tuple[float, float] = (0.0, 0.0)  # (monotonic moment, the timeout) of the running scenario

    def __post_init__(self) -> None:
        self.station.keep_history = False  # a load test runs for hours: drained events are enough

    @property
    def url(self) -> str:
        return station_url(self.csms_url, self.station.identity)

    @property
    def connected(self) -> bool:
        return self._websocket is not None

    def connect(self) -> None:
        """Open the WebSocket with the station's OCPP subprotocol; raise LinkError if refused.
        Either way `on_connect` hears of it."""
        try:
            self._open()
        except LinkError as exc:
            if self.on_connect is not None:
                self.on_connect(0.0, exc)
            raise
        if self.on_connect is not None:
            self.on_connect(self.connect_seconds, None)

    def _open(self) -> None:
        guard_loggers()  # websockets logs frames at DEBUG: PINs masked there too
        subprotocol = self.station.rpc.version.subprotocol
        started = time.perf_counter()
        try:
            websocket = BlockingWebSocket.open(
                self.url, subprotocols=[subprotocol], open_timeout=self.open_timeout
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            if refusal_is_final(status):
                raise LinkError(describe_refusal(self.url, status, exc.response.body), final=True) from None
            raise LinkError(f"{self.url}: {type(exc).__name__}: {exc}") from None
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            raise LinkError(f"{self.url}: {type(exc).__name__}: {exc}") from None
        self.connect_seconds = time.perf_counter() - started
        if websocket.subprotocol != subprotocol:
            websocket.close()
            raise LinkError(
                f"{self.url}: the CSMS answered subprotocol {websocket.subprotocol!r}, not {subprotocol}"
            )
        self._websocket = websocket
        self.station.connection_made(self.clock.now())
        try:
            self._flush(self.station.data_to_send())
        except ConnectionClosed as exc:
            self.close()
            raise LinkError(f"{self.url}: connection closed: {exc}") from None

    def close(self) -> None:
        websocket, self._websocket = self._websocket, None
        if websocket is not None:
            websocket.close()
        if self.station.connected:
            self.station.connection_lost(self.clock.now())

    def run(self, runner: ScenarioRunner, timeout: float) -> None:
        """Drive the station through `runner` until it is done and the station idle; a dropped
        connection is opened again (backing off, the station's clock running).

        Raises LinkError if `timeout` real seconds pass first, or the CSMS refuses the station for
        good; the link is closed then (the station keeps its transaction messages for the next
        connection).
        """
        station, clock = self.station, self.clock
        driver = Driver(
            station,
            clock,
            runner,
            on_round_trip=self.on_round_trip,
            start_transfer=lambda transfer: station.transfer_finished(perform(transfer), clock.now()),
        )
        self._give_up = (time.monotonic() + timeout, timeout)
        try:
            while not self._drive(driver):
                self._reconnect(driver)
        except LinkError:
            self.close()
            raise

    def wait_offline(self, seconds: float) -> None:
        """Wait `seconds` real seconds without a connection, the station's clock running (between
        two connection attempts outside a scenario)."""
        for pause in Driver(self.station, self.clock, on_round_trip=self.on_round_trip).offline(seconds):
            time.sleep(pause)

    def _drive(self, driver: Driver) -> bool:
        """Move frames until the scenario is finished (True) or the connection dropped (False)."""
        websocket = self._websocket
        if websocket is None:
            return driver.finished
        try:
            while True:
                driver.turn()
                self._flush(driver.data_to_send())
                if driver.finished:
                    return True
                left = self._left()
                delay = driver.real_wait()
                try:
                    text = websocket.recv(timeout=left if delay is None else min(left, delay))
                except TimeoutError:
                    continue
                driver.receive(text)
        except ConnectionClosed:
            self.close()
            return False

    def _reconnect(self, driver: Driver) -> None:
        """Back off (the station's clock running), then connect; again until connected, out of time
        or refused for good (LinkError)."""
        while True:
            for pause in driver.offline(min(self.backoff.next_delay(), self._left())):
                time.sleep(pause)
            if driver.finished:
                return
            self._left()
            try:
                self.connect()
            except LinkError as exc:
                if exc.final:
                    raise
                continue
            self.backoff.reset()
            return

    def _left(self) -> float:
        """Real seconds the scenario has left; LinkError once none."""
        give_up_at, timeout = self._give_up
        left = give_up_at - time.monotonic()
        if left <= 0:
            raise LinkError(f"{self.station.identity}: scenario not finished within {timeout:g} s")
        return left

    def forget_events(self) -> None:
        """Drop what the station has not handed out yet (between scenarios: a new one starts fresh)."""
        self.station.events_received()
        self.station.round_trips_received()

    def _flush(self, frames: list[str]) -> None:
        websocket = self._websocket
        assert websocket is not None
        for text in frames:
            websocket.send(text)
