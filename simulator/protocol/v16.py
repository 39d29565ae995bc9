"""OCPP 1.6J for the station core.

On 1.6 a transaction starts only once a token is accepted (StartTransaction), and its id is the
CSMS's; the connectorId is the EVSE's number (one connector per EVSE on 1.6). The CSMS's own CALLs
are answered by `simulator.protocol.v16_csms`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.ocppj.versions import OcppVersion
from simulator.core.events import Authorized, TransactionEnded, TransactionStarted
from simulator.core.local_auth import TokenInfo
from simulator.core.model import Connector, ConnectorState, Evse, PresentedToken, Transaction
from simulator.protocol import v16_csms
from simulator.protocol.base import ProtocolAdapter
from simulator.protocol.sampling import sample_16

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


def token_info(id_tag_info: Payload) -> TokenInfo:
    """IdTagInfo (§7.27): the status, the expiry, and the group as parentIdTag (§3.10)."""
    expiry = id_tag_info.get("expiryDate")
    return TokenInfo(
        id_tag_info["status"],
        None if expiry is None else parse_timestamp(expiry).timestamp(),
        id_tag_info.get("parentIdTag"),
    )


class V16Adapter(ProtocolAdapter):
    version = OcppVersion.V16

    def __init__(self) -> None:
        super().__init__()
        self.reset_reason = "HardReset"
        self.result_handlers |= {
            "Authorize": self._authorize_result,
            "StartTransaction": self._start_result,
            "StopTransaction": self._stop_result,
        }
        self.call_handlers |= v16_csms.handlers(self)

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

    def triggers(self, station: Station, now: float) -> dict[str, Any]:
        """§5.17: also the firmware and diagnostics status, which is always Idle here."""
        return super().triggers(station, now) | {
            "DiagnosticsStatusNotification": lambda: station.send(
                "DiagnosticsStatusNotification", {"status": "Idle"}, now
            ),
            "FirmwareStatusNotification": lambda: station.send(
                "FirmwareStatusNotification", {"status": "Idle"}, now
            ),
        }

    # -- a charging session ---------------------------------------------------------------------------

    def plug_in(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        station.set_connector_state(evse, connector, ConnectorState.OCCUPIED, now)
        token, evse.authorized_token = evse.authorized_token, None
        if token is not None and evse.authorized_until is not None and now > evse.authorized_until:
            token = None  # E03.FR.05 / 1.6 ConnectionTimeOut: the authorization lapsed
        if token is not None:  # accepted before the cable came; offline, nobody else will confirm it
            self.start_authorized(station, evse, token, not station.connected, now)

    def present_token(self, station: Station, evse: Evse, token: PresentedToken, now: float) -> None:
        station.send("Authorize", {"idTag": token.code}, now, context=(evse.id, token))

    def _authorize_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        evse_id, token = context
        station.remember_token(token, token_info(payload["idTagInfo"]), now)
        self.token_decided(
            station, station.evses[evse_id], token, payload["idTagInfo"]["status"], "Authorize", now
        )

    def start_authorized(
        self, station: Station, evse: Evse, token: PresentedToken, local: bool, now: float
    ) -> None:
        if evse.transaction is not None or not evse.operative:
            return
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
        if local:  # authorized offline / from the local list: charge now, the CSMS may still refuse
            self._energize(station, evse, transaction, now)

    def _energize(self, station: Station, evse: Evse, transaction: Transaction, now: float) -> None:
        transaction.authorized = True
        station.events.append(TransactionStarted(evse.id, transaction.key, now))
        station.start_metering(evse, now)
        station.set_connector_state(evse, evse.connectors[1], ConnectorState.CHARGING, now)

    def _start_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        evse_id, transaction = context
        transaction.csms_id = payload["transactionId"]
        info = payload["idTagInfo"]
        if transaction.token is not None:
            station.remember_token(transaction.token, token_info(info), now)
        evse = station.evses[evse_id]
        if info["status"] != "Accepted":  # §5.20: the CSMS may refuse at start
            code = transaction.token.code if transaction.token else ""
            station.events.append(Authorized(evse_id, code, info["status"], now, "StartTransaction"))
            if station.device.flag("TxCtrlr.StopTxOnInvalidId") or not transaction.authorized:
                self._stop(station, evse, transaction, "DeAuthorized", now)
            elif evse.transaction is transaction:  # §3.5.4: only stop the energy (after MaxEnergyOnInvalidId)
                station.deauthorize(evse, now)
            return
        if not transaction.authorized and not transaction.ended:
            self._energize(station, evse, transaction, now)

    def meter_values(self, station: Station, evse: Evse, now: float) -> None:
        transaction = evse.transaction
        if transaction is None or transaction.ended:
            return
        sample = sample_16(evse, now, "Sample.Periodic")
        station.send(
            "MeterValues",
            lambda at: {
                "connectorId": evse.id,
                "transactionId": transaction.csms_id or 0,
                "meterValue": [sample],
            },
            now,
            context=("meter", transaction),
            transactional=True,
        )

    def stop_transaction(self, station: Station, evse: Evse, reason: str, now: float) -> None:
        if evse.transaction is not None:
            self._stop(station, evse, evse.transaction, reason, now)

    def _stop(self, station: Station, evse: Evse, transaction: Transaction, reason: str, now: float) -> None:
        if transaction.ended:
            return
        if evse.transaction is transaction:
            station.stop_metering(evse, now)
        transaction.ended = True
        transaction.meter_stop_wh = evse.meter.energy_wh
        meter_stop = int(evse.meter.energy_wh)
        final = sample_16(evse, now, "Transaction.End")
        # the idTag that stopped it: the one presented, else the transaction's (§4.10)
        tag = None if reason == "DeAuthorized" else transaction.stop_token or transaction.token

        def build(at: float) -> Payload:
            payload: Payload = {
                "transactionId": transaction.csms_id or 0,
                "meterStop": meter_stop,
                "timestamp": format_timestamp(now),
                "reason": reason,
                "transactionData": [final],
            }
            if tag is not None:
                payload["idTag"] = tag.code
            return payload

        context = (evse.id, transaction, tag)
        station.send("StopTransaction", build, now, context=context, transactional=True)
        if evse.transaction is transaction:
            station.transaction_ended(evse, now)
            evse.transaction = None
        connector = evse.connectors[1]
        if connector.state is not ConnectorState.UNAVAILABLE:
            state = ConnectorState.FINISHING if connector.plugged else ConnectorState.AVAILABLE
            station.set_connector_state(evse, connector, state, now)

    def _stop_result(self, station: Station, context: Any, payload: Payload, now: float) -> None:
        """§4.10: the idTagInfo of the idTag that stopped the transaction updates the cache (§3.5.1)."""
        evse_id, transaction, tag = context
        if tag is not None and "idTagInfo" in payload:
            station.remember_token(tag, token_info(payload["idTagInfo"]), now)
        energy = (transaction.meter_stop_wh or 0.0) - transaction.meter_start_wh
        if transaction.authorized:
            station.events.append(TransactionEnded(evse_id, transaction.key, energy, "", now))

    def unplug(self, station: Station, evse: Evse, connector: Connector, now: float) -> None:
        if evse.transaction is not None and not evse.transaction.ended:
            self.stop_transaction(station, evse, "EVDisconnected", now)
        evse.ev = None
        if connector.state is not ConnectorState.UNAVAILABLE:
            station.set_connector_state(evse, connector, ConnectorState.AVAILABLE, now)


def _status(connector_id: int, status: str, now: float) -> Payload:
    return {
        "connectorId": connector_id,
        "errorCode": "NoError",
        "status": status,
        "timestamp": format_timestamp(now),
    }
