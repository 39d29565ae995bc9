"""A simulated station driven step by step from your own code: the Python API behind the
features, and the way another project's tests can use an evharness station as a fixture.

    station = LiveStation("CP-1", OcppVersion.V201, "ws://127.0.0.1:9000/ocpp")
    await station.connect()
    assert await station.boot() == "Accepted"
    await station.plug_in()
    assert await station.present_token(IdType.PIN, "#1234") == "Accepted"
    await station.charge(energy_kwh=5)

Each action returns once the CSMS has answered everything it caused. Simulated time moves only
when told (`advance`, `charge`), so a 20 kWh charge takes milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action
from evharness.simulator.asyncio.transport import FrameHook, StationLink
from evharness.simulator.backoff import Backoff
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.cost import CostRecord
from evharness.simulator.core.display_messages import DisplayMessage
from evharness.simulator.core.events import (
    Authorized,
    Booted,
    CallFailed,
    DataTransferred,
    EvNegotiated,
    StationEvent,
    TransactionStarted,
)
from evharness.simulator.core.external_limits import ExternalLimit, Tell
from evharness.simulator.core.faults import FaultKind
from evharness.simulator.core.model import PresentedToken, StationConfig, Transaction
from evharness.simulator.core.reservations import Reservation
from evharness.simulator.core.station import Station
from evharness.simulator.journal_file import JournalFile
from evharness.simulator.protocol import adapter_for
from evharness.simulator.security import SecurityProfile
from evharness.simulator.state import station_state


class StationError(RuntimeError):
    """The CSMS did not answer as a station needs (CALLERROR, timeout, lost connection)."""


class LiveStation:
    def __init__(
        self,
        identity: str,
        version: OcppVersion,
        csms_url: str,
        *,
        config: StationConfig | None = None,
        on_frame: FrameHook | None = None,
        validate_outgoing: bool = True,
        answer_timeout: float = 10.0,
        security: SecurityProfile | None = None,
        state_dir: str | None = None,
    ) -> None:
        self.clock = ManualClock(time.time())
        self.station = Station(
            identity,
            adapter_for(version),
            config or StationConfig(serial_number=identity),
            self.clock.now(),
            validate_outgoing=validate_outgoing,
        )
        self.link = StationLink(
            self.station,
            csms_url,
            self.clock,
            on_frame=on_frame,
            backoff=Backoff(0.05, 1.0),
            security=security or SecurityProfile(),
            journal=JournalFile(state_dir, identity) if state_dir else None,
        )
        self.answer_timeout = answer_timeout
        self._task: asyncio.Task[None] | None = None

    @property
    def identity(self) -> str:
        return self.station.identity

    # -- connection -------------------------------------------------------------------------------

    async def connect(self) -> None:
        self.link.make_interactive()
        self._task = asyncio.create_task(self.link.run())
        await self._until(lambda: self.station.connected, "the connection to open")

    async def disconnect(self, offline_s: float = float("inf")) -> None:
        """Go offline: the connection drops and stays down until `reconnect()` (or `offline_s`)."""
        self.station.inject_fault(FaultKind.GO_OFFLINE, self.clock.now(), offline_s)
        await self._until(lambda: not self.station.connected, "the connection to close")

    async def reconnect(self) -> None:
        """Come back online; returns once the queued transaction messages were replayed."""
        self.station.faults.offline_until = None
        await self._until(lambda: self.station.connected, "the connection to open again")
        await self.settle()

    async def inject_fault(self, kind: FaultKind | str, seconds: float | None = None) -> None:
        self.station.inject_fault(kind, self.clock.now(), seconds)
        self.link.kick()
        await asyncio.sleep(0)

    def state(self) -> dict[str, object]:
        return station_state(self.station, self.clock.now())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await self._task
            self._task = None

    # -- what a person does -----------------------------------------------------------------------

    async def boot(self) -> str:
        cursor = len(self.station.events)
        self.station.boot(self.clock.now())
        event = await self._next_event(cursor, lambda e: isinstance(e, Booted), Action.BootNotification)
        assert isinstance(event, Booted)
        await self.settle()
        return event.status

    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        self.station.plug_in(evse, connector, self.clock.now())
        await self.settle()

    async def present_token(self, id_type: IdType, code: str, evse: int = 1) -> str:
        """Present a token; the CSMS's status for it (a refusal at transaction start included)."""
        cursor = len(self.station.events)
        self.station.present_token(evse, PresentedToken(id_type, code), self.clock.now())
        event = await self._next_event(
            cursor, lambda e: isinstance(e, Authorized) and e.code == code, Action.Authorize
        )
        assert isinstance(event, Authorized)
        await self.settle()
        refusals = [
            e
            for e in self.station.events[cursor:]
            if isinstance(e, Authorized) and e.source != Action.Authorize
        ]
        return refusals[-1].status if refusals else event.status

    def transaction(self, evse: int = 1) -> Transaction | None:
        return self.station.evses[evse].transaction

    def started_transactions(self) -> list[TransactionStarted]:
        return [e for e in self.station.events if isinstance(e, TransactionStarted)]

    async def charge(
        self,
        evse: int = 1,
        *,
        energy_kwh: float | None = None,
        seconds: float | None = None,
        power_kw: float | None = None,
    ) -> float:
        """Let the EV draw power for an energy or a duration; the energy delivered, in Wh."""
        unit = self.station.evses[evse]
        cap_w = self.station.power_cap_w(evse)
        power_w = min(power_kw * 1000.0 if power_kw else cap_w, cap_w)
        unit.meter.advance(self.clock.now())
        before = unit.meter.energy_wh
        if energy_kwh is not None:
            limit = before + energy_kwh * 1000.0
            self.station.ev_draw(evse, power_w, self.clock.now(), energy_limit_wh=limit)
            horizon = self.clock.now() + 7 * 86_400.0  # a limit of 0 W would never get there
            while unit.meter.energy_wh < limit - 1e-6 and self.clock.now() < horizon:
                if unit.meter.power_w <= 0 and unit.next_power_review_at is None:
                    break  # nothing flows and nothing will change: not authorized, or limited to 0
                rate = max(unit.meter.power_w, 1.0)
                await self.advance((limit - unit.meter.energy_wh) * 3600.0 / rate + 1e-6)
        elif seconds is not None:
            self.station.ev_draw(evse, power_w, self.clock.now())
            await self.advance(seconds)
        else:
            raise ValueError("give energy_kwh or seconds")
        self.station.ev_draw(evse, 0.0, self.clock.now())
        return unit.meter.energy_wh - before

    async def stop(self, evse: int = 1, reason: str = "Local") -> None:
        self.station.stop_transaction(evse, reason, self.clock.now())
        await self.settle()

    async def unplug(self, evse: int = 1, connector: int = 1) -> None:
        self.station.unplug(evse, connector, self.clock.now())
        await self.settle()

    async def data_transfer(self, vendor: str, message: str | None = None, data: object = None) -> str:
        """Send DataTransfer (P02, 1.6 §4.3); the CSMS's status."""
        cursor = len(self.station.events)
        self.station.send_data_transfer(vendor, message, data, self.clock.now())
        event = await self._next_event(cursor, lambda e: isinstance(e, DataTransferred), Action.DataTransfer)
        assert isinstance(event, DataTransferred)
        return event.status

    async def fault_connector(self, evse: int = 1, connector: int = 1, faulted: bool = True) -> None:
        """The connector faults (a reservation of its EVSE is removed) or recovers."""
        self.station.set_connector_fault(evse, connector, faulted, self.clock.now())
        await self.settle()

    async def ems_limit(self, limit: ExternalLimit) -> Tell:
        """The tester's EMS limits the station (K12); whether the CSMS was told, once it answered."""
        tell = self.station.ems_limit(limit, self.clock.now())
        await self.settle()
        return tell

    async def ems_release(self, evse: int = 0, source: str = "EMS") -> Tell:
        """The EMS releases its limit (K13: ClearedChargingLimit)."""
        tell = self.station.ems_release(evse, source, self.clock.now())
        await self.settle()
        return tell

    async def ev_needs(
        self, evse: int = 1, energy_kwh: float | None = None, departure_s: float | None = None
    ) -> str:
        """The ISO 15118 EV renegotiates (K17); the CSMS's answer to NotifyEVChargingNeeds."""
        cursor = len(self.station.events)
        self.station.ev_renegotiate(evse, self.clock.now(), energy_kwh=energy_kwh, departure_s=departure_s)
        event = await self._next_event(
            cursor,
            lambda e: isinstance(e, EvNegotiated) and e.action == Action.NotifyEVChargingNeeds,
            Action.NotifyEVChargingNeeds,
        )
        assert isinstance(event, EvNegotiated)
        return event.status

    def reservations(self) -> list[Reservation]:
        """The reservations the station holds now (`simulator.core.reservations`)."""
        return list(self.station.reservations.held.values())

    def displayed(self) -> list[DisplayMessage]:
        """The messages a driver sees now (`simulator.core.display_messages`)."""
        return self.station.displayed(self.clock.now())

    def costs(self) -> list[CostRecord]:
        """The cost the CSMS told of each transaction, in the order told (`simulator.core.cost`)."""
        return list(self.station.costs.records.values())

    # -- time -------------------------------------------------------------------------------------

    async def advance(self, seconds: float) -> None:
        """Move simulated time forward, stopping at each of the station's deadlines on the way."""
        target = self.clock.now() + seconds
        while True:
            deadline = self.station.next_deadline()
            step_to = target if deadline is None else min(deadline, target)
            self.clock.set(step_to)
            self.station.tick(self.clock.now())
            await self.settle()
            if self.clock.now() >= target:
                return

    async def settle(self) -> None:
        """Wait until everything queued is sent and answered (offline: nothing to wait for)."""
        self.link.kick()
        if not self.station.wants_connection(self.clock.now()):
            return
        await self._until(lambda: self.station.idle and not self.station.rpc.busy, "the CSMS to answer")

    def failures(self) -> list[CallFailed]:
        return [e for e in self.station.events if isinstance(e, CallFailed)]

    # -- internals ----------------------------------------------------------------------------------

    async def _until(self, condition: Callable[[], bool], what: str) -> None:
        self.link.kick()
        deadline = time.monotonic() + self.answer_timeout
        while not condition():
            if self._task is not None and self._task.done():
                error = self._task.exception()
                raise StationError(f"{self.identity}: connection ended while waiting for {what}: {error}")
            if time.monotonic() > deadline:
                raise StationError(f"{self.identity}: timed out waiting for {what}")
            await asyncio.sleep(0.001)

    async def _next_event(
        self, cursor: int, match: Callable[[StationEvent], bool], action: str
    ) -> StationEvent:
        found: list[StationEvent] = []

        def seen() -> bool:
            for event in self.station.events[cursor:]:
                if isinstance(event, CallFailed) and event.action == action:
                    raise StationError(f"{self.identity}: {action} failed: {event.code} {event.description}")
                if match(event):
                    found.append(event)
                    return True
            return False

        await self._until(seen, f"the answer to {action}")
        return found[0]
