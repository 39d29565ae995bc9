"""OCPP 2.0.1 for the station core (and, through `V21Adapter`, 2.1 where the schemas agree).

On 2.0.1 the station opens the transaction when the cable is plugged in (TxStartPoint
EVConnected) and the token authorizes it afterwards (E02); every TransactionEvent carries the
next `seqNo` of its transaction (E01.FR.16) and `offline: true` when it happened while the station
was offline (E04.FR.03). The CSMS's idTokenInfo in the response to a TransactionEvent is binding
(E01.FR.11, C15.FR.05): a refused token deauthorizes the transaction when StopTxOnInvalidId is
true, and only stops the energy otherwise. The CSMS's own CALLs are answered by `v201_csms`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from evharness.idtokens import to_wire
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.ocppj.versions import OcppVersion
from simulator.core.events import Authorized, TransactionEnded, TransactionStarted
from simulator.core.local_auth import TokenInfo
from simulator.core.model import Connector, ConnectorState, Evse, PresentedToken, Transaction
from simulator.protocol import v201_csms
from simulator.protocol.base import ProtocolAdapter
from simulator.protocol.sampling import sample_201

if TYPE_CHECKING:
    from simulator.core.station import Station

STATUS: dict[ConnectorState, str] = {
    ConnectorState.AVAILABLE: "Available",
    ConnectorState.OCCUPIED: "Occupied",
    ConnectorState.CHARGING: "Occupied",
    ConnectorState.FINISHING: "Occupied",
    ConnectorState.UNAVAILABLE: "Unavailable",
    ConnectorState.FAULTED: "Faulted",
}

# stop reason → (triggerReason, stoppedReason)
STOP_TRIGGERS: dict[str, tuple[str, str]] = {
    "Local": ("StopAuthorized", "Local"),
    "EVDisconnected": ("EVCommunicationLost", "EVDisconnected"),
    "Remote": ("RemoteStop", "Remote"),
    "DeAuthorized": ("Deauthorized", "DeAuthorized"),
    "Other": ("AbnormalCondition", "Other"),
    "ImmediateReset": ("ResetCommand", "ImmediateReset"),
    "UnlockCommand": ("UnlockCommand", "Other"),
}


def id_token(token: PresentedToken) -> Payload:
    wire = to_wire(token.id_type, token.code)
    return {"idToken": wire.value, "type": wire.type_201}


def token_info(id_token_info: Payload) -> TokenInfo:
    """IdTokenInfo: the status, the cache expiry (C10.FR.13) and the groupIdToken (C09.FR.02)."""
    expiry = id_token_info.get("cacheExpiryDateTime")
    group = id_token_info.get("groupIdToken")
    return TokenInfo(
        id_token_info["status"],
        None if expiry is None else parse_timestamp(expiry).timestamp(),
        None if group is None else group["idToken"],
    )


class V201Adapter(ProtocolAdapter):
    version = OcppVersion.V201

    def __init__(self) -> None:
        super().__init__()
        self.reset_reason = "ImmediateReset"
        self.result_handlers |= {
            "Authorize": self._authorize_result,
            "TransactionEvent": self._transaction_event_result,
        }
        self.call_handlers |= v201_csms.handlers(self)

    # -- the station's life -------------------------------------------------------------------------

    def boot(self, station: Station, now: float) -> None:
        config = station.config
        charging_station: Payload = {"model": config.model[:20], "vendorName": config.vendor[:50]}
        if config.serial_number:
            charging_station["serialNumber"] = config.serial_number[:25]
        if config.firmware_version:
            charging_station["firmwareVersion"] = config.firmware_version[:50]
        reason = "RemoteReset" if station.events and station.boot_status is None else "PowerUp"
        station.send("BootNotification", {"reason": reason, "chargingStation": charging_station}, now)

    def after_boot(self, station: Station, now: float) -> None:
        for evse in station.evses.values():
            for connector in evse.connectors.values():
                station.send("StatusNotification", _status(evse, connector, now), now)

    def connector_state_changed(
        self, station: Station, evse: Evse, connector: Connector, previous: ConnectorState, now: float
    ) -> None:
        if STATUS[previous] != STATUS[connector.state]:
            station.send("StatusNotification", _status(evse, connector, now), now)

    def triggers(self, station: Station, now: float) -> dict[str, Any]:
        def transaction_events() -> None:
            for evse in station.evses.values():
                if evse.transaction is not None and not evse.transaction.ended:
                    self._event(station, evse, "Updated", "Trigger", now, sample_context="Trigger")

        return super().triggers(station, now) | {
            "TransactionEvent": transaction_events,
            "FirmwareStatusNotification": lambda: station.send(
                "FirmwareStatusNotification", {"status": "Idle"}, now
            ),
            "LogStatusNotification": lambda: station.send("LogStatusNotification", {"status": "Idle"}, now),
        }

    # -- a charging session ---------------------------------------------------------------------------

    def plug_in(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        station.set_connector_state(evse, connector, ConnectorState.OCCUPIED, now)
        if evse.transaction is None:
            evse.meter.advance(now)
            transaction = Transaction(str(uuid.uuid4()), now, evse.meter.energy_wh)
            evse.transaction = transaction
            self._event(
                station,
                evse,
                "Started",
                "CablePluggedIn",
                now,
                charging_state="EVConnected",
                connector_id=connector.id,
                sample_context="Transaction.Begin",
            )
        token, evse.authorized_token = evse.authorized_token, None
        if token is not None and evse.authorized_until is not None and now > evse.authorized_until:
            token = None  # E03.FR.05 / 1.6 ConnectionTimeOut: the authorization lapsed
        if token is not None:  # accepted before the cable came; offline, nobody else will confirm it
            self.start_authorized(station, evse, token, not station.connected, now)

    def present_token(self, station: Station, evse: Evse, token: PresentedToken, now: float) -> None:
        station.send("Authorize", {"idToken": id_token(token)}, now, context=(evse.id, token))

    def _authorize_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        evse_id, token = context
        info = payload["idTokenInfo"]
        station.remember_token(token, token_info(info), now)
        self.token_decided(station, station.evses[evse_id], token, info["status"], "Authorize", now)

    def start_authorized(
        self, station: Station, evse: Evse, token: PresentedToken, local: bool, now: float
    ) -> None:
        transaction = evse.transaction
        if transaction is None or transaction.authorized or transaction.ended:
            return
        transaction.token = token
        remote = evse.remote_start_id is not None
        self._event(
            station,
            evse,
            "Updated",
            "RemoteStart" if remote else "Authorized",
            now,
            charging_state="Charging",
            token=token,
            context=("authorize", evse.id, transaction, token),
        )
        if local:  # C13/C15: authorized offline or from the local list — charge now
            self._energize(station, evse, transaction, now)

    def _energize(self, station: Station, evse: Evse, transaction: Transaction, now: float) -> None:
        transaction.authorized = True
        station.events.append(TransactionStarted(evse.id, transaction.local_id, now))
        station.start_metering(evse, now)
        connector = next((c for c in evse.connectors.values() if c.plugged), evse.connectors[1])
        station.set_connector_state(evse, connector, ConnectorState.CHARGING, now)

    def _transaction_event_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        """Every event that carried a token has its idTokenInfo cached (C10.FR.04: also the Ended
        event of a driver's stop); only the event that authorized the transaction decides it."""
        if not context:
            return
        kind, evse_id, token = context[0], context[1], context[3]
        transaction: Transaction = context[2]
        if token is not None and "idTokenInfo" in payload:
            station.remember_token(token, token_info(payload["idTokenInfo"]), now)
        if kind != "authorize":
            return
        evse = station.evses[evse_id]
        info = payload.get("idTokenInfo", {"status": "Accepted"})
        if info["status"] != "Accepted":
            code = transaction.token.code if transaction.token else ""
            station.events.append(Authorized(evse_id, code, info["status"], now, "TransactionEvent"))
            if evse.transaction is not transaction:
                return
            if station.device.flag("TxCtrlr.StopTxOnInvalidId") or not transaction.authorized:
                self.stop_transaction(station, evse, "DeAuthorized", now)
            else:  # C15.FR.06: keep the transaction, stop the energy (after MaxEnergyOnInvalidId)
                station.deauthorize(evse, now)
            return
        if not transaction.authorized and not transaction.ended and evse.transaction is transaction:
            self._energize(station, evse, transaction, now)

    def meter_values(self, station: Station, evse: Evse, now: float) -> None:
        transaction = evse.transaction
        if transaction is None or transaction.ended or not transaction.authorized:
            return
        self._event(station, evse, "Updated", "MeterValuePeriodic", now, sample_context="Sample.Periodic")

    def stop_transaction(self, station: Station, evse: Evse, reason: str, now: float) -> None:
        transaction = evse.transaction
        if transaction is None or transaction.ended:
            return
        station.stop_metering(evse, now)
        trigger, stopped = STOP_TRIGGERS.get(reason, ("AbnormalCondition", "Other"))
        plugged = evse.plugged
        token = _stop_token(transaction, trigger)
        self._event(
            station,
            evse,
            "Ended",
            trigger,
            now,
            charging_state="EVConnected" if plugged else "Idle",
            stopped_reason=stopped,
            token=token,
            sample_context="Transaction.End",
            context=("ended", evse.id, transaction, token),
        )
        transaction.ended = True
        if transaction.authorized:
            energy = evse.meter.energy_wh - transaction.meter_start_wh
            station.events.append(TransactionEnded(evse.id, transaction.local_id, energy, stopped, now))
        station.transaction_ended(evse, now)
        evse.transaction = None
        for connector in evse.connectors.values():
            if connector.plugged and connector.state is ConnectorState.CHARGING:
                station.set_connector_state(evse, connector, ConnectorState.FINISHING, now)

    def unplug(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        if evse.transaction is not None and not evse.transaction.ended:
            self.stop_transaction(station, evse, "EVDisconnected", now)
        evse.ev = None
        if connector.state is not ConnectorState.UNAVAILABLE:
            station.set_connector_state(evse, connector, ConnectorState.AVAILABLE, now)

    def _event(
        self,
        station: Station,
        evse: Evse,
        event_type: str,
        trigger: str,
        now: float,
        *,
        charging_state: str | None = None,
        stopped_reason: str | None = None,
        token: PresentedToken | None = None,
        connector_id: int | None = None,
        sample_context: str | None = None,
        context: Any = None,
    ) -> None:
        transaction = evse.transaction
        assert transaction is not None
        info: Payload = {"transactionId": transaction.local_id}
        if charging_state:
            info["chargingState"] = charging_state
        if stopped_reason:
            info["stoppedReason"] = stopped_reason
        if evse.remote_start_id is not None and trigger == "RemoteStart":
            info["remoteStartId"] = evse.remote_start_id
            evse.remote_start_id = None
        payload: Payload = {
            "eventType": event_type,
            "timestamp": format_timestamp(now),
            "triggerReason": trigger,
            "seqNo": transaction.next_seq_no(),
            "transactionInfo": info,
        }
        if not station.connected:
            payload["offline"] = True  # E04.FR.03
        if event_type == "Started":
            payload["evse"] = {"id": evse.id, "connectorId": connector_id or 1}
        if token is not None:
            payload["idToken"] = id_token(token)
        if sample_context is not None:
            payload["meterValue"] = [sample_201(evse, now, sample_context)]
        station.send("TransactionEvent", payload, now, context=context, transactional=True)


class V21Adapter(V201Adapter):
    """OCPP 2.1: the 2.0.1 station; every message it sends validates against the 2.1 schemas."""

    version = OcppVersion.V21


def _stop_token(transaction: Transaction, trigger: str) -> PresentedToken | None:
    """The token an Ended event carries: with TxStopPoint Authorized, a driver's local stop is the
    end of the authorization, reported in the Ended event with triggerReason StopAuthorized and the
    token presented (E07 main scenario, E07.FR.02, E06.FR.03). A stop without a presented token
    (the scenario's `stop`, reason Local) is the driver presenting the transaction's own token."""
    if trigger != "StopAuthorized":
        return None
    return transaction.stop_token or transaction.token


def _status(evse: Evse, connector: Connector, now: float) -> Payload:
    return {
        "timestamp": format_timestamp(now),
        "connectorStatus": STATUS[connector.state],
        "evseId": evse.id,
        "connectorId": connector.id,
    }
