"""OCPP 2.0.1: what the CSMS answers to each action a charging station sends.

IdToken types: `KeyCode` is a PIN, `ISO14443`/`ISO15693` an RFID card; any other type is an
identification type this CSMS never enables, so it is refused as Invalid (DESIGN §2).
"""

from __future__ import annotations

from evharness.idtokens import WIRE_TYPE_TO_ID_TYPE
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.ocppj.vocabulary import Action
from reference_backend.domain.authorization import status_for
from reference_backend.domain.metering import samples_v201
from reference_backend.handlers.base import Handler, HandlerContext, TokenCheck, boot_answer, check_token
from reference_backend.persistence import BootInfo, TokenUse

MAIN_METER_EVSE = 0  # 2.0.1 J01: evseId 0 is the grid connection meter


def id_token_info(ctx: HandlerContext, check: TokenCheck) -> Payload:
    """IdTokenInfo: the status, the cache expiry, and the groupIdToken if the token has a group
    (E01.FR.12; C09.FR.13: of type Central)."""
    decision = check.decision
    info: Payload = {"status": status_for(ctx.version, decision)}
    if decision.expires_at is not None:
        info["cacheExpiryDateTime"] = format_timestamp(decision.expires_at.timestamp())
    if check.group_id is not None:
        info["groupIdToken"] = {"idToken": check.group_id, "type": "Central"}
    return info


def _check_id_token(
    ctx: HandlerContext, id_token: Payload, at_start: bool, transaction_id: int | None = None
) -> TokenCheck:
    return check_token(
        ctx,
        WIRE_TYPE_TO_ID_TYPE.get(id_token["type"]),
        id_token["idToken"],
        at_transaction_start=at_start,
        transaction_id=transaction_id,
    )


def boot_notification(ctx: HandlerContext, payload: Payload) -> Payload:
    station = payload["chargingStation"]
    boot = BootInfo(
        vendor=station["vendorName"],
        model=station["model"],
        serial_number=station.get("serialNumber"),
        firmware_version=station.get("firmwareVersion"),
        reason=payload["reason"],
    )
    ctx.station_id = ctx.store.register_boot(ctx.identity, ctx.version.value, boot, ctx.now)
    return boot_answer(ctx)


def heartbeat(ctx: HandlerContext, payload: Payload) -> Payload:
    ctx.store.record_heartbeat(ctx.station, ctx.now)
    return {"currentTime": ctx.current_time()}


def status_notification(ctx: HandlerContext, payload: Payload) -> Payload:
    ctx.store.record_connector_status(
        ctx.station,
        payload["evseId"],
        payload["connectorId"],
        payload["connectorStatus"],
        None,
        parse_timestamp(payload["timestamp"]),
    )
    return {}


def authorize(ctx: HandlerContext, payload: Payload) -> Payload:
    """C01.FR.07 / C04.FR.01: answer with a status that accepts or says why not."""
    check = _check_id_token(ctx, payload["idToken"], at_start=False)
    return {"idTokenInfo": id_token_info(ctx, check)}


def transaction_event(ctx: HandlerContext, payload: Payload) -> Payload:
    """E01.FR.11/12: check every idToken a TransactionEvent carries and answer its status.

    The first idToken seen on a transaction is its start authorization: only then can it be
    ConcurrentTx. Meter values move the transaction's start and last register readings.
    An event whose seqNo this transaction has seen (E13: resent after a lost answer) gets the answer
    it got then and stores nothing; an event replayed from an offline queue has a new seqNo.
    """
    at = parse_timestamp(payload["timestamp"])
    evse = payload.get("evse", {})
    transaction = ctx.store.open_transaction(
        ctx.station, payload["transactionInfo"]["transactionId"], at, evse.get("id"), evse.get("connectorId")
    )
    seq_no = payload["seqNo"]
    answered = ctx.store.event_answer(transaction.id, seq_no)
    if answered is not None:
        return answered
    response: Payload = {}
    if "idToken" in payload:
        id_token = payload["idToken"]
        at_start = transaction.id_token is None
        check = _check_id_token(ctx, id_token, at_start, transaction.id)
        if at_start:
            status = status_for(ctx.version, check.decision)
            token = TokenUse(id_token["idToken"], id_token["type"], status, check.identification_id)
            ctx.store.assign_token(transaction.id, token)
        response["idTokenInfo"] = id_token_info(ctx, check)
    samples = list(samples_v201(payload.get("meterValue", [])))
    store, evse_id = ctx.store, transaction.evse_id
    store.add_transaction_event(ctx.station, transaction.id, seq_no, response, samples, evse_id)
    if payload["eventType"] == "Ended":
        # E06: an absent stoppedReason means Local.
        reason = payload["transactionInfo"].get("stoppedReason", "Local")
        ctx.store.stop_transaction(transaction.id, at, reason)
    return response


def meter_values(ctx: HandlerContext, payload: Payload) -> Payload:
    """J01: samples outside a TransactionEvent belong to the transaction running on that EVSE, if any."""
    evse_id = payload["evseId"]
    transaction_id = None
    if evse_id != MAIN_METER_EVSE:
        transaction_id = ctx.store.running_transaction_id(ctx.station, evse_id)
    ctx.store.add_meter_samples(
        ctx.station, list(samples_v201(payload["meterValue"])), transaction_id, evse_id
    )
    return {}


def notify_event(ctx: HandlerContext, payload: Payload) -> Payload:
    """G05/N07: events (e.g. AvailabilityState, ConnectorLockFailure) are acknowledged; not yet stored."""
    return {}


def acknowledge(ctx: HandlerContext, payload: Payload) -> Payload:
    """Reports the CSMS takes note of without storing them yet (NotifyReport B07/B08, LogStatusNotification
    N01, FirmwareStatusNotification L01): an empty response is the whole answer."""
    return {}


def data_transfer(ctx: HandlerContext, payload: Payload) -> Payload:
    """P01: no vendor extensions here."""
    return {"status": "UnknownVendorId"}


HANDLERS: dict[str, Handler] = {
    Action.BootNotification: boot_notification,
    Action.Heartbeat: heartbeat,
    Action.StatusNotification: status_notification,
    Action.Authorize: authorize,
    Action.TransactionEvent: transaction_event,
    Action.MeterValues: meter_values,
    Action.NotifyEvent: notify_event,
    Action.NotifyReport: acknowledge,
    Action.LogStatusNotification: acknowledge,
    Action.FirmwareStatusNotification: acknowledge,
    Action.DataTransfer: data_transfer,
}
