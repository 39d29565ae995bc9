"""OCPP 2.0.1 for the station core.

On 2.0.1 the station opens the transaction when the cable is plugged in (TxStartPoint
EVConnected) and the token authorizes it afterwards (E02); every TransactionEvent carries the
next `seqNo` of its transaction (E01.FR.16). The CSMS's idTokenInfo in the response to a
TransactionEvent is binding (E01.FR.11): a refused token deauthorizes the transaction.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from evharness.idtokens import to_wire
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from simulator.core.events import Authorized, TransactionEnded, TransactionStarted
from simulator.core.model import Connector, ConnectorState, Evse, PresentedToken, Transaction
from simulator.protocol.base import ProtocolAdapter

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

# scenario stop reason → (triggerReason, stoppedReason)
STOP_TRIGGERS: dict[str, tuple[str, str]] = {
    "Local": ("StopAuthorized", "Local"),
    "EVDisconnected": ("EVCommunicationLost", "EVDisconnected"),
    "Remote": ("RemoteStop", "Remote"),
    "DeAuthorized": ("Deauthorized", "DeAuthorized"),
    "Other": ("AbnormalCondition", "Other"),
}


def id_token(token: PresentedToken) -> Payload:
    wire = to_wire(token.id_type, token.code)
    return {"idToken": wire.value, "type": wire.type_201}


class V201Adapter(ProtocolAdapter):
    version = OcppVersion.V201

    def __init__(self) -> None:
        super().__init__()
        self.result_handlers |= {
            "Authorize": self._authorize_result,
            "TransactionEvent": self._transaction_event_result,
        }
        self.call_handlers |= {
            "SetVariables": self._set_variables,
            "GetVariables": self._get_variables,
            "RequestStopTransaction": self._request_stop,
        }

    # -- the station's life -------------------------------------------------------------------------

    def boot(self, station: Station, now: float) -> None:
        config = station.config
        charging_station: Payload = {"model": config.model[:20], "vendorName": config.vendor[:50]}
        if config.serial_number:
            charging_station["serialNumber"] = config.serial_number[:25]
        if config.firmware_version:
            charging_station["firmwareVersion"] = config.firmware_version[:50]
        station.send("BootNotification", {"reason": "PowerUp", "chargingStation": charging_station}, now)

    def after_boot(self, station: Station, now: float) -> None:
        for evse in station.evses.values():
            for connector in evse.connectors.values():
                station.send("StatusNotification", _status(evse, connector, now), now)

    def connector_state_changed(
        self, station: Station, evse: Evse, connector: Connector, previous: ConnectorState, now: float
    ) -> None:
        if STATUS[previous] != STATUS[connector.state]:
            station.send("StatusNotification", _status(evse, connector, now), now)

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

    def present_token(self, station: Station, evse: Evse, token: PresentedToken, now: float) -> None:
        station.send("Authorize", {"idToken": id_token(token)}, now, context=(evse.id, token))

    def _authorize_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        evse_id, token = context
        status = payload["idTokenInfo"]["status"]
        station.events.append(Authorized(evse_id, token.code, status, now))
        evse = station.evses[evse_id]
        transaction = evse.transaction
        if (
            status == "Accepted"
            and transaction is not None
            and not transaction.authorized
            and not transaction.ended
        ):
            transaction.token = token
            self._event(
                station,
                evse,
                "Updated",
                "Authorized",
                now,
                charging_state="Charging",
                token=token,
                context=("authorize", evse.id, transaction),
            )

    def _transaction_event_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        if not context or context[0] != "authorize":
            return
        _, evse_id, transaction = context
        evse = station.evses[evse_id]
        status = payload.get("idTokenInfo", {}).get("status", "Accepted")
        if status != "Accepted":
            station.events.append(
                Authorized(evse_id, transaction.token.code, status, now, "TransactionEvent")
            )
            self.stop_transaction(station, evse, "DeAuthorized", now)
            return
        if transaction.authorized or transaction.ended:
            return
        transaction.authorized = True
        station.events.append(TransactionStarted(evse_id, transaction.local_id, now))
        station.start_metering(evse, now)
        connector = (
            next(c for c in evse.connectors.values() if c.plugged) if evse.plugged else evse.connectors[1]
        )
        station.set_connector_state(evse, connector, ConnectorState.CHARGING, now)

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
        self._event(
            station,
            evse,
            "Ended",
            trigger,
            now,
            charging_state="EVConnected" if plugged else "Idle",
            stopped_reason=stopped,
            sample_context="Transaction.End",
            context=("ended", evse.id, transaction),
        )
        transaction.ended = True
        if transaction.authorized:
            energy = evse.meter.energy_wh - transaction.meter_start_wh
            station.events.append(TransactionEnded(evse.id, transaction.local_id, energy, stopped, now))
        evse.transaction = None
        for connector in evse.connectors.values():
            if connector.plugged and connector.state is ConnectorState.CHARGING:
                station.set_connector_state(evse, connector, ConnectorState.FINISHING, now)

    def unplug(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        if evse.transaction is not None and not evse.transaction.ended:
            self.stop_transaction(station, evse, "EVDisconnected", now)
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
        payload: Payload = {
            "eventType": event_type,
            "timestamp": format_timestamp(now),
            "triggerReason": trigger,
            "seqNo": transaction.next_seq_no(),
            "transactionInfo": info,
        }
        if event_type == "Started":
            payload["evse"] = {"id": evse.id, "connectorId": connector_id or 1}
        if token is not None:
            payload["idToken"] = id_token(token)
        if sample_context is not None:
            payload["meterValue"] = [_sample(evse, now, sample_context)]
        station.send("TransactionEvent", payload, now, context=context, transactional=True)

    # -- what the CSMS asks ----------------------------------------------------------------------------

    def _set_variables(self, station: Station, payload: Payload, now: float) -> Payload:
        results = []
        for item in payload["setVariableData"]:
            key = f"{item['component']['name']}.{item['variable']['name']}"
            station.configuration[key] = item["attributeValue"]
            results.append(
                {"attributeStatus": "Accepted", "component": item["component"], "variable": item["variable"]}
            )
        return {"setVariableResult": results}

    def _get_variables(self, station: Station, payload: Payload, now: float) -> Payload:
        results = []
        for item in payload["getVariableData"]:
            key = f"{item['component']['name']}.{item['variable']['name']}"
            entry: Payload = {"component": item["component"], "variable": item["variable"]}
            if key in station.configuration:
                entry |= {"attributeStatus": "Accepted", "attributeValue": station.configuration[key]}
            else:
                entry["attributeStatus"] = "UnknownVariable"
            results.append(entry)
        return {"getVariableResult": results}

    def _request_stop(self, station: Station, payload: Payload, now: float) -> Payload:
        for evse in station.evses.values():
            transaction = evse.transaction
            if (
                transaction is not None
                and not transaction.ended
                and transaction.local_id == payload["transactionId"]
            ):
                self.stop_transaction(station, evse, "Remote", now)
                return {"status": "Accepted"}
        return {"status": "Rejected"}


def _status(evse: Evse, connector: Connector, now: float) -> Payload:
    return {
        "timestamp": format_timestamp(now),
        "connectorStatus": STATUS[connector.state],
        "evseId": evse.id,
        "connectorId": connector.id,
    }


def _sample(evse: Evse, now: float, context: str) -> Payload:
    meter = evse.meter
    meter.advance(now)
    values = [
        {
            "value": round(meter.energy_wh, 1),
            "context": context,
            "measurand": "Energy.Active.Import.Register",
            "unitOfMeasure": {"unit": "Wh"},
        },
        {
            "value": round(meter.power_w, 1),
            "context": context,
            "measurand": "Power.Active.Import",
            "unitOfMeasure": {"unit": "W"},
        },
        {
            "value": round(meter.current_a, 2),
            "context": context,
            "measurand": "Current.Import",
            "unitOfMeasure": {"unit": "A"},
        },
    ]
    return {"timestamp": format_timestamp(now), "sampledValue": values}
