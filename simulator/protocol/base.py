"""What every protocol adapter does; the station core calls these and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from simulator.core.events import Authorized
from simulator.core.model import Connector, ConnectorState, Evse, PresentedToken

if TYPE_CHECKING:
    from simulator.core.station import Station

ResultHandler = Callable[["Station", Any, Payload, float], None]
CallHandler = Callable[["Station", Payload, float], Payload]

DATA_TRANSFER_VENDOR = "evharness"  # DataTransfer with this vendorId is echoed back (P01/P02)


class ProtocolAdapter:
    """Base of the per-version adapters. Subclasses fill the two tables and the actions."""

    version: ClassVar[OcppVersion]

    def __init__(self) -> None:
        self.reset_reason = "Reboot"  # the stop reason of transactions ended by a Reset
        # action → what to do with its CALLRESULT / how to answer the CSMS's CALL; subclasses add theirs
        self.result_handlers: dict[str, ResultHandler] = {"BootNotification": self._boot_result}
        self.call_handlers: dict[str, CallHandler] = {
            "ClearCache": self._clear_cache,
            "DataTransfer": self._data_transfer,
            "TriggerMessage": self._trigger_message,
        }

    def _boot_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        station.boot_answered(payload["status"], float(payload["interval"]), now)

    def _trigger_message(self, station: Station, payload: Payload, now: float) -> Payload:
        """F06 / 1.6 §5.17: answer Accepted, then send the requested message."""
        trigger = self.triggers(station, now).get(payload["requestedMessage"])
        if trigger is None:
            return {"status": "NotImplemented"}
        station.after_answer(trigger)
        return {"status": "Accepted"}

    def triggers(self, station: Station, now: float) -> dict[str, Callable[[], None]]:
        return {
            "BootNotification": lambda: self.boot(station, now),
            "Heartbeat": lambda: self.heartbeat(station, now),
            "StatusNotification": lambda: self.after_boot(station, now),
            "MeterValues": lambda: self._all_meter_values(station, now),
        }

    def _clear_cache(self, station: Station, payload: Payload, now: float) -> Payload:
        """C11.FR.04/05, 1.6 §5.4: Accepted and emptied, Rejected when the cache is disabled."""
        if not station.device.flag("AuthCacheCtrlr.Enabled"):
            return {"status": "Rejected"}
        station.auth_cache.clear()
        return {"status": "Accepted"}

    def _data_transfer(self, station: Station, payload: Payload, now: float) -> Payload:
        """Our own vendorId echoes the data; any other is UnknownVendorId (P01.FR.06, 1.6 §5.6)."""
        if payload.get("vendorId") != DATA_TRANSFER_VENDOR:
            return {"status": "UnknownVendorId"}
        answer: Payload = {"status": "Accepted"}
        if "data" in payload:
            answer["data"] = payload["data"]
        return answer

    def _all_meter_values(self, station: Station, now: float) -> None:
        for evse in station.evses.values():
            self.meter_values(station, evse, now)

    # the station's life
    def boot(self, station: Station, now: float) -> None:
        raise NotImplementedError

    def after_boot(self, station: Station, now: float) -> None:
        raise NotImplementedError

    def heartbeat(self, station: Station, now: float) -> None:
        station.send("Heartbeat", {}, now)

    def connector_state_changed(
        self, station: Station, evse: Evse, connector: Connector, previous: ConnectorState, now: float
    ) -> None:
        raise NotImplementedError

    # a charging session
    def plug_in(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        raise NotImplementedError

    def present_token(self, station: Station, evse: Evse, token: PresentedToken, now: float) -> None:
        raise NotImplementedError

    def token_decided(
        self, station: Station, evse: Evse, token: PresentedToken, status: str, source: str, now: float
    ) -> None:
        """A token's status is known (from the CSMS, or locally): record it, then charge if Accepted."""
        station.events.append(Authorized(evse.id, token.code, status, now, source))
        if status != "Accepted":
            return
        running = evse.transaction
        if running is not None and running.authorized and not running.ended:
            if station.may_stop(running, token):  # E07 / C09.FR.03: a token of the same group
                station.stop_by_token(evse, token, now)
            return
        if not evse.plugged:  # the transaction starts if the cable comes within EVConnectionTimeOut
            evse.authorized_token = token
            evse.authorized_until = now + station.device.number("TxCtrlr.EVConnectionTimeOut")
            return
        self.start_authorized(station, evse, token, source != "Authorize", now)

    def start_authorized(
        self, station: Station, evse: Evse, token: PresentedToken, local: bool, now: float
    ) -> None:
        raise NotImplementedError

    def meter_values(self, station: Station, evse: Evse, now: float) -> None:
        raise NotImplementedError

    def stop_transaction(self, station: Station, evse: Evse, reason: str, now: float) -> None:
        raise NotImplementedError

    def unplug(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        raise NotImplementedError

    # answers
    def handle_result(
        self, station: Station, action: str, context: Any, payload: Payload, now: float
    ) -> None:
        handler = self.result_handlers.get(action)
        if handler is not None:
            handler(station, context, payload, now)

    def handle_failure(self, station: Station, action: str, context: Any, now: float) -> None:
        """A CALL of ours failed; the station keeps going (the event is already recorded)."""

    def handle_call(self, station: Station, action: str, payload: Payload, now: float) -> Payload:
        from simulator.core.station import CallRefused

        handler = self.call_handlers.get(action)
        if handler is None:
            raise CallRefused(ErrorKind.NOT_SUPPORTED, f"{action} is not supported by this station")
        return handler(station, payload, now)
