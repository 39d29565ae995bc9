"""One conformance scenario's world: the OCTT station, what the CSMS answered, the transaction.

The methods are the OCTT's reusable states and tool actions (S1 §3.18, the 1.6 test case document
§2), spelled once per OCPP version by the message builders in `messages`. Steps call them from
synchronous code; they run on the session's background loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest
from websockets.exceptions import InvalidStatus

from evharness.conformance import checks
from evharness.conformance import messages as m
from evharness.conformance.config import TargetConfig
from evharness.conformance.drivers import (
    BootSetup,
    ConfiguresBoot,
    ConfiguresTariff,
    Driver,
    NotApplicable,
    Operation,
)
from evharness.conformance.pacing import Pacer
from evharness.conformance.station import Answer, OcttStation, ReceivedCall, probe_handshake
from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status
from evharness.simulator.asyncio.portal import BackgroundLoop

T = TypeVar("T")
V16 = OcppVersion.V16

# 1.6 StatusNotification status → 2.0.1 connectorStatus (the 2.0.1 connector has fewer states)
CONNECTOR_STATUS_201: dict[str, str] = {
    "Available": "Available",
    "Preparing": "Occupied",
    "Charging": "Occupied",
    "SuspendedEV": "Occupied",
    "SuspendedEVSE": "Occupied",
    "Finishing": "Occupied",
    "Occupied": "Occupied",
    "Reserved": "Reserved",
    "Unavailable": "Unavailable",
    "Faulted": "Faulted",
}

# 2.0.1 stoppedReason → the triggerReason the station gives with it (E06)
# TC_I_01/02's memory state when the driver sets it up: a tariff based on energy (docs/tariffs.md)
ENERGY_TARIFF: Payload = {"currency": "EUR", "energy_price_per_kwh": "0.30"}

STOP_TRIGGER_201: dict[str, str] = {
    "Local": "StopAuthorized",
    "Remote": "RemoteStop",
    "EVDisconnected": "EVCommunicationLost",
    "DeAuthorized": "Deauthorized",
    "StoppedByEV": "ChargingStateChanged",
    "Timeout": "EVConnectTimeout",
    "PowerLoss": "AbnormalCondition",
    "ImmediateReset": "ResetCommand",
    "Other": "StopAuthorized",
}

QueuedCall = Callable[[], tuple[str, Payload]]


class Conformance:
    def __init__(
        self,
        portal: BackgroundLoop,
        csms_url: str,
        config: TargetConfig,
        driver: Driver,
        version: OcppVersion,
        *,
        call_timeout: float = 10.0,
        tolerate_spellings: bool = False,
        pacer: Pacer | None = None,
    ) -> None:
        self.portal = portal
        self.tolerate_spellings = tolerate_spellings
        self.config = config
        self.driver = driver
        self.version = version
        self.call_timeout = call_timeout
        entry = config.station(version)
        self.pacer = pacer or Pacer()
        self.station = OcttStation(
            entry.identity,
            version,
            csms_url,
            password=entry.password,
            call_timeout=call_timeout,
            pacer=self.pacer,
        )
        # No local list until a case gives the station one (`hold_local_list`): a CSMS that syncs lists
        # on connection must not slip its own GetLocalListVersion / SendLocalList into other cases.
        self.station.answer_with(Action.GetLocalListVersion, ErrorKind.NOT_SUPPORTED)
        self.connector = config.connector
        self.answers: dict[str, Answer] = {}
        self.last: Answer | None = None
        self.transaction_id: int | str | None = None
        self.transaction_token: m.Token | None = None
        self.seq_no = 0
        self.meter_wh = 1000.0
        self.clock_offset = 0.0  # seconds subtracted from real time (offline events happened earlier)
        self.offline_queue: list[QueuedCall] = []
        self.replayed: list[Answer] = []
        self.warnings: list[checks.Violation] = []  # tolerated findings, shown in the report
        self.report_note = ""
        self.csms_call: ReceivedCall | None = None
        self.operation_outcome: Payload | None = None
        self.pending_operation: asyncio.Future[Payload | None] | None = None
        self.local_list_version = 0  # what the station says it holds (GetLocalListVersion)
        self.boot_configured = False  # the driver changed how the CSMS answers BootNotification
        self.tariff_configured = False  # the driver gave the station a tariff in the CSMS
        self.upgrades: list[str] = []  # every upgrade request and its HTTP answer, for the case log

    # -- plumbing ----------------------------------------------------------------------------------

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return self.portal.run(coroutine, timeout or self.call_timeout * 6 + self.driver.wait_seconds)

    @property
    def frames(self) -> list[checks.Frame]:
        return self.station.frames

    @property
    def v16(self) -> bool:
        return self.version is V16

    def now(self) -> float:
        return time.time() - self.clock_offset

    def token(self, role: str) -> m.Token:
        return self.config.token(role)

    def feature(self, name: str) -> Any:
        return self.config.features.get(name)

    def require_feature(self, name: str, why: str) -> Any:
        value = self.feature(name)
        if not value:
            pytest.skip(f"NOT APPLICABLE: {why} (features.{name} in {self.config.source} is not set)")
        return value

    def wire_violations(self) -> list[checks.Violation]:
        return checks.check_exchange(
            self.version,
            self.frames,
            response_timeout=self.call_timeout,
            tolerate_spellings=self.tolerate_spellings,
        )

    def close(self) -> None:
        """Leave the CSMS as the scenario found it: end a running transaction, then disconnect."""
        with contextlib.suppress(Exception):
            if self.station.connected and self.transaction_id is not None:
                self.stop_transaction("Other")
        with contextlib.suppress(Exception):
            self.run(self.station.disconnect(), timeout=10)
        if self.boot_configured and isinstance(self.driver, ConfiguresBoot):
            self.boot_configured = False
            self.run(self.driver.configure_boot(None))
        if self.tariff_configured and isinstance(self.driver, ConfiguresTariff):
            self.tariff_configured = False
            self.run(self.driver.configure_tariff(self.station.identity, None))

    # -- connection ---------------------------------------------------------------------------------

    def connect(self) -> None:
        try:
            self.run(self.station.connect())
        except InvalidStatus as exc:
            handshake = checks.Handshake((self.version.subprotocol,), exc.response.status_code, None, None)
            self.upgrades.append(checks.describe(handshake))
            raise

    def probe(
        self, offered: tuple[str, ...], *, username: str | None, password: str | None, patience: float = 0.5
    ) -> checks.Handshake:
        """One upgrade request on its own connection (subprotocols, credentials); logged for the case."""
        handshake = self.run(
            probe_handshake(
                self.station.csms_url,
                self.station.identity,
                offered,
                password=password,
                username=username,
                patience=patience,
                pacer=self.pacer,
            )
        )
        who = f" as {username or self.station.identity}, {'with' if password else 'without'} a password"
        self.upgrades.append(checks.describe(handshake) + who)
        return handshake

    def prove_credentials_accepted(self) -> None:
        """Before a negative case: the right identity and password get in (as in TC_A_01). A CSMS that
        refuses everyone proves nothing by refusing the wrong credentials."""
        right = self.probe(
            (self.version.subprotocol,), username=None, password=self.config.station(self.version).password
        )
        if right.status != 101 or right.closed_after is not None:
            raise AssertionError(
                f"the CSMS refused the right credentials too ({checks.describe(right)}): "
                "its refusal of the wrong ones proves nothing"
            )

    def log(self) -> str:
        """The case log: the frames, then the upgrade requests and their HTTP answers."""
        text = checks.render(self.frames)
        if self.upgrades:
            text += "\n\nHTTP upgrades:\n" + "\n".join(f"  {line}" for line in self.upgrades)
        return text

    def disconnect(self) -> None:
        self.run(self.station.disconnect())

    def send(self, action: str, payload: Payload) -> Answer:
        answer = self.run(self.station.call(action, payload))
        self.answers[action] = answer
        self.last = answer
        return answer

    def answer(self, action: str) -> Answer:
        try:
            return self.answers[action]
        except KeyError:
            raise AssertionError(f"the station sent no {action} in this scenario") from None

    # -- reusable states ------------------------------------------------------------------------------

    def boot(self, reason: str = "PowerUp") -> Answer:
        if not self.station.connected:
            self.connect()
        identity = self.station.identity
        payload = m.boot_v16(identity) if self.v16 else m.boot_v201(identity, reason)
        return self.send(Action.BootNotification, payload)

    def boot_after_interval(self, reason: str = "PowerUp") -> Answer:
        """Boot again once the interval of the last (Pending or Rejected) answer has passed (B02.FR.0x)."""
        last = self.answer(Action.BootNotification).require()
        time.sleep(max(0, int(last.get("interval", 0))))
        return self.boot(reason)

    def configure_boot(self, status: str, trigger: bool = False) -> None:
        """The case's prerequisite "the CSMS is configured to first respond … Pending (or Rejected)":
        through the driver if it can; otherwise the target declared it (`features.boot_pending`)."""
        if not isinstance(self.driver, ConfiguresBoot):
            return
        setup = BootSetup(self.station.identity, self.version, status, trigger)
        self.run(self.driver.configure_boot(setup))
        self.boot_configured = True

    def configure_tariff(self) -> None:
        """TC_I_01/02's memory state "the CSMS is configured with a tariff based on energy": through the
        driver if it can (`features.tariff` if it is a tariff, else `ENERGY_TARIFF`); otherwise the
        target file must declare it (`features.tariff`), or the case is NOT APPLICABLE."""
        declared = self.feature("tariff")
        if not isinstance(self.driver, ConfiguresTariff):
            self.require_feature("tariff", "the case needs a tariff for the station in the CSMS")
            return
        tariff = declared if isinstance(declared, dict) else ENERGY_TARIFF
        self.run(self.driver.configure_tariff(self.station.identity, tariff))
        self.tariff_configured = True

    def booted(self) -> None:
        """Booted: BootNotification Accepted, then the connector Available."""
        status = checks.status_of(self.boot().require())
        assert status == Status.ACCEPTED, f"Booted state: BootNotification answered {status}"
        self.report_status("Available")

    def report_status(self, status: str, error_code: str = "NoError", connector: int | None = None) -> Answer:
        connector = self.connector if connector is None else connector
        if self.v16:
            return self.send(
                Action.StatusNotification, m.status_v16(connector, status, self.now(), error_code)
            )
        payload = m.status_v201(1, connector, CONNECTOR_STATUS_201[status], self.now())
        return self.send(Action.StatusNotification, payload)

    def notify_availability(self, value: str) -> Answer:
        return self.send(Action.NotifyEvent, m.notify_event_v201(1, self.connector, value, self.now()))

    def notify_lock_failure(self) -> Answer:
        """G05: the connector's plug retention lock failed (NotifyEvent, TC_G_20_CSMS)."""
        payload = m.notify_event_v201(1, self.connector, "true", self.now())
        payload["eventData"][0].update(
            {
                "trigger": "Alerting",
                "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": 1, "connectorId": 1}},
                "variable": {"name": "Problem"},
            }
        )
        return self.send(Action.NotifyEvent, payload)

    def hold_local_list(self, version: int) -> None:
        self.local_list_version = version
        key = "listVersion" if self.v16 else "versionNumber"
        self.station.answer_with(Action.GetLocalListVersion, {key: version})

    def plug_in(self) -> None:
        """EVConnectedPreSession (2.0.1) / connector Preparing (1.6)."""
        if self.v16:
            self.report_status("Preparing")
            return
        self.report_status("Occupied")
        self.notify_availability("Occupied")
        first = self.transaction_id is None
        self.transaction_event(
            "Started" if first else "Updated", "CablePluggedIn", charging_state="EVConnected"
        )

    def authorize(self, role: str) -> Answer:
        token = self.token(role)
        payload: Payload = {"idTag": token.v16()} if self.v16 else {"idToken": token.v201()}
        return self.send(Action.Authorize, payload)

    def authorized(self, role: str) -> None:
        """Authorized: Authorize Accepted (2.0.1: and the TransactionEvent with triggerReason Authorized)."""
        status = checks.status_of(self.authorize(role).require())
        assert status == Status.ACCEPTED, f"Authorized state: Authorize answered {status}"
        if not self.v16:
            answer = self.start_transaction(role)
            status = checks.status_of(answer.require())
            assert status == Status.ACCEPTED, f"Authorized state: TransactionEvent answered {status}"

    def start_transaction(self, role: str, offline: bool = False) -> Answer:
        """1.6 StartTransaction; 2.0.1 TransactionEvent (Started, or Updated) triggerReason Authorized."""
        token = self.token(role)
        self.transaction_token = token
        if self.v16:
            answer = self.send(
                Action.StartTransaction,
                m.start_transaction_v16(self.connector, token, self.meter_wh, self.now()),
            )
            if answer.payload is not None:
                self.transaction_id = answer.payload["transactionId"]
            return answer
        first = self.transaction_id is None
        return self.transaction_event(
            "Started" if first else "Updated", "Authorized", token=token, offline=offline
        )

    def charging(self, role: str = "valid") -> None:
        """Charging (1.6) / EnergyTransferStarted (2.0.1), from wherever the scenario is."""
        if self.v16:
            if self.transaction_id is None:
                answer = self.start_transaction(role)
                status = checks.status_of(answer.require())
                assert status == Status.ACCEPTED, f"Charging state: StartTransaction answered {status}"
            self.report_status("Charging")
            return
        self.transaction_event("Updated", "ChargingStateChanged", charging_state="Charging")

    def transaction_event(self, event_type: str, trigger: str, **details: Any) -> Answer:
        """Send a 2.0.1 TransactionEvent (seqNo counted per transaction, from 0: E01.FR.07)."""
        return self.send(Action.TransactionEvent, self._transaction_event(event_type, trigger, **details))

    def queue_transaction_event(self, event_type: str, trigger: str, **details: Any) -> None:
        """Keep a TransactionEvent that happens now, offline, for `reconnect_and_replay` (E04.FR.03)."""
        payload = self._transaction_event(event_type, trigger, offline=True, **details)
        self.queue(lambda: (Action.TransactionEvent, payload))

    def _transaction_event(
        self,
        event_type: str,
        trigger: str,
        *,
        charging_state: str | None = None,
        stopped_reason: str | None = None,
        token: m.Token | None = None,
        meter: str | None = None,
        signed: bool = False,
        offline: bool = False,
        evse_known: bool = True,
    ) -> Payload:
        if event_type == "Started" or self.transaction_id is None:
            self.transaction_id = uuid.uuid4().hex[:20]
            self.seq_no = 0
        assert isinstance(self.transaction_id, str)
        values = [m.sample_v201(self.meter_wh, self.now(), meter, signed)] if meter else None
        payload = m.transaction_event_v201(
            event_type,
            trigger,
            self.seq_no,
            self.transaction_id,
            self.now(),
            charging_state=charging_state,
            stopped_reason=stopped_reason,
            token=token,
            evse=(1, self.connector) if evse_known and (event_type == "Started" or token) else None,
            meter_value=values,
            offline=offline,
        )
        self.seq_no += 1
        if event_type == "Ended":
            self.transaction_id = None
        return payload

    def consume(self, wh: float, power_w: float = 11_000.0) -> None:
        """The EV draws `wh`; while offline, the time it takes passes on the station's clock."""
        self.meter_wh += wh
        if self.offline:
            self.clock_offset = max(60.0, self.clock_offset - wh * 3600.0 / power_w)

    def meter_values(self, context: str, *, in_transaction: bool, signed: bool = False) -> Answer:
        if self.v16:
            transaction = self.transaction_id if in_transaction else None
            assert transaction is None or isinstance(transaction, int)
            payload = m.meter_values_v16(
                self.connector, self.meter_wh, self.now(), transaction, context, signed
            )
        else:
            payload = m.meter_values_v201(
                1 if in_transaction else 0, self.meter_wh, self.now(), context, signed
            )
        return self.send(Action.MeterValues, payload)

    def stop_transaction(self, reason: str, role: str | None = None) -> Answer:
        token = self.token(role) if role else None
        if self.v16:
            assert isinstance(self.transaction_id, int), "no 1.6 transaction is running"
            payload = m.stop_transaction_v16(self.transaction_id, self.meter_wh, self.now(), reason, token)
            answer = self.send(Action.StopTransaction, payload)
            self.transaction_id = None
            return answer
        return self.transaction_event(
            "Ended",
            STOP_TRIGGER_201.get(reason, "StopAuthorized"),
            stopped_reason=reason,
            token=token,
            charging_state="EVConnected" if reason not in ("EVDisconnected",) else "Idle",
            meter="Transaction.End",
        )

    # -- offline (1.6 §3.7; 2.0.1 E04) -------------------------------------------------------------------

    @property
    def offline(self) -> bool:
        return self.clock_offset > 0

    def go_offline(self) -> None:
        self.disconnect()
        self.clock_offset = 3600.0  # what happens offline happened up to an hour before the replay

    def queue(self, build: QueuedCall) -> None:
        self.offline_queue.append(build)

    def reconnect_and_replay(self) -> list[Answer]:
        """Reconnect (no BootNotification: nothing changed) and send the queue in order."""
        self.clock_offset = 0.0
        self.connect()
        answers = []
        for build in self.offline_queue:
            action, payload = build()
            answer = self.send(action, payload)
            if action == Action.StartTransaction and answer.payload is not None:
                self.transaction_id = answer.payload["transactionId"]
            if action == Action.StopTransaction:
                self.transaction_id = None
            answers.append(answer)
        self.offline_queue.clear()
        self.clock_offset = 0.0
        return answers

    # -- provocations (OCPP-J wire rules) ---------------------------------------------------------------

    def provoke(self, provocation: str) -> checks.Frame | None:
        """Send a frame the CSMS must refuse; its answer (a CALLERROR frame), or None after the timeout."""
        message_id = f"provoke-{uuid.uuid4().hex[:8]}"
        frames: dict[str, str] = {
            "bad payload": json.dumps([2, message_id, Action.Authorize, {}]),
            "unknown action": json.dumps([2, message_id, "FlyToTheMoon", {}]),
            "unknown message type": json.dumps([7, message_id, Action.Heartbeat, {}]),
        }
        patience = 2.0 if provocation == "unknown message type" else self.call_timeout
        return self.run(self.station.send_raw(frames[provocation], message_id, patience))

    def send_broken_answers(self) -> list[checks.Violation]:
        """Answers to no CALL of the CSMS: the wire rules they must not break (`checks.broken_answers`)."""
        start, heartbeat = self.run(self.station.send_broken_answers())
        return checks.check_broken_answers_ignored(self.version, self.frames, start, heartbeat.payload)

    # -- CSMS-initiated actions -----------------------------------------------------------------------

    def operate(self, action: str, payload: Payload, purpose: str, *, settle: bool = True) -> ReceivedCall:
        """Make the CSMS send `action` through the driver; the CALL as it arrived (the station answers
        it from its answer table). A driver that cannot do it makes the case NOT APPLICABLE.
        With `settle=False` the driver's outcome is awaited later, by `finish_operation`."""
        operation = Operation(self.station.identity, self.version, action, payload, purpose)
        reason = self.driver.unsupported(operation)
        if reason is not None:
            pytest.skip(f"NOT APPLICABLE: {reason}")

        async def perform() -> tuple[ReceivedCall, Payload | None]:
            cursor = len(self.station.received)
            task = asyncio.ensure_future(self.driver.perform(operation))
            expected = asyncio.ensure_future(
                self.station.expect_call(action, self.driver.wait_seconds + self.call_timeout, after=cursor)
            )
            try:
                await asyncio.wait({task, expected}, return_when=asyncio.FIRST_COMPLETED)
                if task.done() and task.exception() is not None:
                    raise _DriverRaised(task.exception())
                call = await expected
            except BaseException:
                for pending in (task, expected):
                    pending.cancel()
                    with contextlib.suppress(BaseException):
                        await pending
                raise
            if not settle:
                self.pending_operation = task
                return call, None
            return call, await self._settle(task)

        try:
            self.csms_call, self.operation_outcome = self.run(perform())
        except _DriverRaised as raised:
            raise _driver_error(self.driver, f"make the CSMS send {action}", raised.error) from raised.error
        return self.csms_call

    async def _settle(self, task: asyncio.Future[Payload | None]) -> Payload | None:
        """The driver's outcome; if it raised (or never returned), `_DriverRaised`."""
        try:
            return await asyncio.wait_for(task, self.driver.wait_seconds + self.call_timeout)
        except Exception as exc:
            raise _DriverRaised(exc) from exc

    def finish_operation(self) -> Payload | None:
        task = self.pending_operation
        assert task is not None, "no operation is pending"
        self.pending_operation = None

        try:
            self.operation_outcome = self.run(self._settle(task))
        except _DriverRaised as raised:
            raise _driver_error(self.driver, "finish the operation", raised.error) from raised.error
        return self.operation_outcome

    def wait_for_call(self, action: str, timeout: float | None = None) -> ReceivedCall:
        """A CALL the CSMS sends by itself (no operator), e.g. the TriggerMessage of TC_B_31."""
        call = self.run(self.station.expect_call(action, timeout or self.call_timeout))
        self.csms_call = call
        return call


class DriverFailed(AssertionError):
    """The driver could not make the CSMS act: the case FAILs with the driver's own error."""


class _DriverRaised(Exception):
    """Carries a driver's error out of the background loop, apart from the harness's own errors."""

    def __init__(self, error: BaseException | None) -> None:
        super().__init__(str(error))
        self.error = error


def _driver_error(driver: Driver, what: str, error: BaseException | None) -> BaseException:
    """What a raising `perform()` becomes: NOT APPLICABLE (a skip) for `NotApplicable`, else a FAIL
    naming the driver and its error — at once, not after waiting for a CALL that cannot come."""
    if isinstance(error, NotApplicable):
        return pytest.skip.Exception(f"NOT APPLICABLE: {error}")
    if isinstance(error, AssertionError) and str(error):
        return error  # already a verdict (the reference driver: "the reference backend refused …")
    return DriverFailed(f"the {driver.name!r} driver failed to {what}: {type(error).__name__}: {error}")
