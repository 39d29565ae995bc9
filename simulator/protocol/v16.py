"""OCPP 1.6J for the station core.

On 1.6 a transaction starts only once a token is accepted (StartTransaction), and its id is the
CSMS's; the connectorId is the EVSE's number (one connector per EVSE on 1.6).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    ConnectorState.OCCUPIED: "Preparing",
    ConnectorState.CHARGING: "Charging",
    ConnectorState.FINISHING: "Finishing",
    ConnectorState.UNAVAILABLE: "Unavailable",
    ConnectorState.FAULTED: "Faulted",
}


class V16Adapter(ProtocolAdapter):
    version = OcppVersion.V16

    def __init__(self) -> None:
        super().__init__()
        self.result_handlers |= {
            "Authorize": self._authorize_result,
            "StartTransaction": self._start_result,
            "StopTransaction": self._stop_result,
        }
        self.call_handlers |= {
            "ChangeConfiguration": self._change_configuration,
            "GetConfiguration": self._get_configuration,
            "RemoteStopTransaction": self._remote_stop,
        }

    # -- the station's life -------------------------------------------------------------------------

    def boot(self, station: Station, now: float) -> None:
        config = station.config
        payload: Payload = {"chargePointVendor": config.vendor[:20], "chargePointModel": config.model[:20]}
        if config.serial_number:
            payload["chargePointSerialNumber"] = config.serial_number[:25]
        if config.firmware_version:
            payload["firmwareVersion"] = config.firmware_version[:50]
        station.send("BootNotification", payload, now)

    def after_boot(self, station: Station, now: float) -> None:
        station.send("StatusNotification", _status(0, "Available", now), now)
        for evse in station.evses.values():
            connector = evse.connectors[1]
            station.send("StatusNotification", _status(evse.id, STATUS[connector.state], now), now)

    def connector_state_changed(
        self, station: Station, evse: Evse, connector: Connector, previous: ConnectorState, now: float
    ) -> None:
        station.send("StatusNotification", _status(evse.id, STATUS[connector.state], now), now)

    # -- a charging session ---------------------------------------------------------------------------

    def plug_in(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        station.set_connector_state(evse, connector, ConnectorState.OCCUPIED, now)

    def present_token(self, station: Station, evse: Evse, token: PresentedToken, now: float) -> None:
        station.send("Authorize", {"idTag": token.code}, now, context=(evse.id, token))

    def _authorize_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        evse_id, token = context
        status = payload["idTagInfo"]["status"]
        station.events.append(Authorized(evse_id, token.code, status, now))
        evse = station.evses[evse_id]
        if status == "Accepted" and evse.plugged and evse.transaction is None:
            self._start(station, evse, token, now)

    def _start(self, station: Station, evse: Evse, token: PresentedToken, now: float) -> None:
        evse.meter.advance(now)
        transaction = Transaction(f"{station.identity}-{now:.3f}", now, evse.meter.energy_wh, token=token)
        evse.transaction = transaction
        payload = {
            "connectorId": evse.id,
            "idTag": token.code,
            "meterStart": int(evse.meter.energy_wh),
            "timestamp": format_timestamp(now),
        }
        station.send("StartTransaction", payload, now, context=(evse.id, transaction), transactional=True)

    def _start_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        evse_id, transaction = context
        transaction.csms_id = payload["transactionId"]
        status = payload["idTagInfo"]["status"]
        evse = station.evses[evse_id]
        if status != "Accepted":  # §5.20: the CSMS may refuse at start; stop with DeAuthorized
            station.events.append(
                Authorized(evse_id, transaction.token.code, status, now, "StartTransaction")
            )
            self.stop_transaction(station, evse, "DeAuthorized", now)
            return
        transaction.authorized = True
        station.events.append(TransactionStarted(evse_id, str(transaction.csms_id), now))
        station.start_metering(evse, now)
        station.set_connector_state(evse, evse.connectors[1], ConnectorState.CHARGING, now)

    def meter_values(self, station: Station, evse: Evse, now: float) -> None:
        transaction = evse.transaction
        if transaction is None or transaction.ended:
            return
        sample = _sample(evse, now, "Sample.Periodic")
        station.send(
            "MeterValues",
            lambda at: {
                "connectorId": evse.id,
                "transactionId": transaction.csms_id or 0,
                "meterValue": [sample],
            },
            now,
            transactional=True,
        )

    def stop_transaction(self, station: Station, evse: Evse, reason: str, now: float) -> None:
        transaction = evse.transaction
        if transaction is None or transaction.ended:
            return
        station.stop_metering(evse, now)
        transaction.ended = True
        transaction.meter_stop_wh = evse.meter.energy_wh
        meter_stop = int(evse.meter.energy_wh)
        final = _sample(evse, now, "Transaction.End")

        def build(at: float) -> Payload:
            payload: Payload = {
                "transactionId": transaction.csms_id or 0,
                "meterStop": meter_stop,
                "timestamp": format_timestamp(now),
                "reason": reason,
                "transactionData": [final],
            }
            if transaction.token is not None and reason != "DeAuthorized":
                payload["idTag"] = transaction.token.code
            return payload

        station.send("StopTransaction", build, now, context=(evse.id, transaction), transactional=True)
        connector = evse.connectors[1]
        station.set_connector_state(
            evse, connector, ConnectorState.FINISHING if connector.plugged else ConnectorState.AVAILABLE, now
        )

    def _stop_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        evse_id, transaction = context
        evse = station.evses[evse_id]
        energy = (transaction.meter_stop_wh or 0.0) - transaction.meter_start_wh
        if transaction.authorized:
            station.events.append(TransactionEnded(evse_id, str(transaction.csms_id), energy, "", now))
        if evse.transaction is transaction:
            evse.transaction = None

    def unplug(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        if evse.transaction is not None and not evse.transaction.ended:
            self.stop_transaction(station, evse, "EVDisconnected", now)
        station.set_connector_state(evse, connector, ConnectorState.AVAILABLE, now)

    # -- what the CSMS asks ----------------------------------------------------------------------------

    def _change_configuration(self, station: Station, payload: Payload, now: float) -> Payload:
        station.configuration[payload["key"]] = payload["value"]
        return {"status": "Accepted"}

    def _get_configuration(self, station: Station, payload: Payload, now: float) -> Payload:
        wanted = payload.get("key")
        known = {**_DEFAULT_CONFIGURATION(station), **station.configuration}
        keys = wanted if wanted else sorted(known)
        result: Payload = {
            "configurationKey": [{"key": k, "readonly": False, "value": known[k]} for k in keys if k in known]
        }
        unknown = [k for k in keys if k not in known]
        if unknown:
            result["unknownKey"] = unknown
        if not result["configurationKey"]:
            del result["configurationKey"]
        return result

    def _remote_stop(self, station: Station, payload: Payload, now: float) -> Payload:
        for evse in station.evses.values():
            transaction = evse.transaction
            if (
                transaction is not None
                and not transaction.ended
                and transaction.csms_id == payload["transactionId"]
            ):
                self.stop_transaction(station, evse, "Remote", now)
                return {"status": "Accepted"}
        return {"status": "Rejected"}


def _DEFAULT_CONFIGURATION(station: Station) -> dict[str, str]:
    return {
        "HeartbeatInterval": str(int(station.heartbeat_interval)),
        "MeterValueSampleInterval": str(int(station.config.meter_interval_s)),
        "NumberOfConnectors": str(len(station.evses)),
    }


def _status(connector_id: int, status: str, now: float) -> Payload:
    return {
        "connectorId": connector_id,
        "errorCode": "NoError",
        "status": status,
        "timestamp": format_timestamp(now),
    }


def _sample(evse: Evse, now: float, context: str) -> Payload:
    meter = evse.meter
    meter.advance(now)
    values = [
        {
            "value": f"{meter.energy_wh:.1f}",
            "context": context,
            "measurand": "Energy.Active.Import.Register",
            "unit": "Wh",
        },
        {
            "value": f"{meter.power_w:.1f}",
            "context": context,
            "measurand": "Power.Active.Import",
            "unit": "W",
        },
        {"value": f"{meter.current_a:.2f}", "context": context, "measurand": "Current.Import", "unit": "A"},
    ]
    return {"timestamp": format_timestamp(now), "sampledValue": values}
