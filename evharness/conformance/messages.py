"""What the OCTT's simulated station sends, per OCPP version: plain payload builders, no I/O.

Each builder returns the payload of one CALL exactly as the OCTT test case describes it; the
station validates every payload against the official schema before it goes on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evharness.idtokens import WireToken
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp

VENDOR = "evharness"
MODEL = "OCTT-station"


@dataclass(frozen=True, slots=True)
class Token:
    """A token as the target knows it: the value (a PIN as the driver enters it, `#4821`) and its
    2.0.1 IdTokenEnumType."""

    id_token: str
    type: str = "ISO14443"

    def v16(self) -> str:
        return self.id_token

    def v201(self) -> Payload:
        """The 2.0.1 IdToken: an identifierString, so a KeyCode carries the digits only (`4821`)."""
        return {"idToken": WireToken(self.id_token, self.type).value_201, "type": self.type}


def sample_v16(wh: float, at: float, context: str = "Sample.Periodic", signed: bool = False) -> Payload:
    value: Payload = {
        "value": f"{wh:.0f}",
        "context": context,
        "measurand": "Energy.Active.Import.Register",
        "unit": "Wh",
    }
    if signed:
        value["format"] = "SignedData"
        value["value"] = "c2lnbmVkOjEyMzQ="
    return {"timestamp": format_timestamp(at), "sampledValue": [value]}


def sample_v201(wh: float, at: float, context: str = "Sample.Periodic", signed: bool = False) -> Payload:
    value: Payload = {
        "value": round(wh, 1),
        "context": context,
        "measurand": "Energy.Active.Import.Register",
        "unitOfMeasure": {"unit": "Wh"},
    }
    if signed:
        value["signedMeterValue"] = {
            "signedMeterData": "c2lnbmVkOjEyMzQ=",
            "signingMethod": "ECDSA-secp256r1-SHA256",
            "encodingMethod": "OCMF",
            "publicKey": "cHVibGljS2V5",
        }
    return {"timestamp": format_timestamp(at), "sampledValue": [value]}


# -- OCPP 1.6 ---------------------------------------------------------------------------------------


def boot_v16(identity: str) -> Payload:
    return {
        "chargePointVendor": VENDOR,
        "chargePointModel": MODEL,
        "chargePointSerialNumber": identity[:25],
        "firmwareVersion": "1.0.0",
    }


def status_v16(connector: int, status: str, at: float, error_code: str = "NoError") -> Payload:
    return {
        "connectorId": connector,
        "errorCode": error_code,
        "status": status,
        "timestamp": format_timestamp(at),
    }


def start_transaction_v16(connector: int, token: Token, meter_wh: float, at: float) -> Payload:
    return {
        "connectorId": connector,
        "idTag": token.v16(),
        "meterStart": int(meter_wh),
        "timestamp": format_timestamp(at),
    }


def stop_transaction_v16(
    transaction_id: int, meter_wh: float, at: float, reason: str, token: Token | None = None
) -> Payload:
    payload: Payload = {
        "transactionId": transaction_id,
        "meterStop": int(meter_wh),
        "timestamp": format_timestamp(at),
        "reason": reason,
    }
    if token is not None:
        payload["idTag"] = token.v16()
    return payload


def meter_values_v16(
    connector: int, wh: float, at: float, transaction_id: int | None, context: str, signed: bool = False
) -> Payload:
    payload: Payload = {"connectorId": connector, "meterValue": [sample_v16(wh, at, context, signed)]}
    if transaction_id is not None:
        payload["transactionId"] = transaction_id
    return payload


# -- OCPP 2.0.1 -------------------------------------------------------------------------------------


def boot_v201(identity: str, reason: str = "PowerUp") -> Payload:
    return {
        "reason": reason,
        "chargingStation": {
            "vendorName": VENDOR,
            "model": MODEL,
            "serialNumber": identity[:25],
            "firmwareVersion": "1.0.0",
        },
    }


def status_v201(evse: int, connector: int, status: str, at: float) -> Payload:
    return {
        "timestamp": format_timestamp(at),
        "connectorStatus": status,
        "evseId": evse,
        "connectorId": connector,
    }


def notify_event_v201(evse: int, connector: int, value: str, at: float, seq_no: int = 0) -> Payload:
    return {
        "generatedAt": format_timestamp(at),
        "seqNo": seq_no,
        "tbc": False,
        "eventData": [
            {
                "eventId": 1,
                "timestamp": format_timestamp(at),
                "trigger": "Delta",
                "actualValue": value,
                "component": {"name": "Connector", "evse": {"id": evse, "connectorId": connector}},
                "variable": {"name": "AvailabilityState"},
                "eventNotificationType": "HardWiredNotification",
            }
        ],
    }


def transaction_event_v201(
    event_type: str,
    trigger: str,
    seq_no: int,
    transaction_id: str,
    at: float,
    *,
    charging_state: str | None = None,
    stopped_reason: str | None = None,
    token: Token | None = None,
    evse: tuple[int, int] | None = None,
    meter_value: list[Payload] | None = None,
    offline: bool = False,
    remote_start_id: int | None = None,
) -> Payload:
    info: Payload = {"transactionId": transaction_id}
    optional_info: dict[str, Any] = {
        "chargingState": charging_state,
        "stoppedReason": stopped_reason,
        "remoteStartId": remote_start_id,
    }
    info.update({key: value for key, value in optional_info.items() if value is not None})
    payload: Payload = {
        "eventType": event_type,
        "timestamp": format_timestamp(at),
        "triggerReason": trigger,
        "seqNo": seq_no,
        "transactionInfo": info,
    }
    if offline:
        payload["offline"] = True
    if token is not None:
        payload["idToken"] = token.v201()
    if evse is not None:
        payload["evse"] = {"id": evse[0], "connectorId": evse[1]}
    if meter_value:
        payload["meterValue"] = meter_value
    return payload


def meter_values_v201(evse: int, wh: float, at: float, context: str, signed: bool = False) -> Payload:
    return {"evseId": evse, "meterValue": [sample_v201(wh, at, context, signed)]}
