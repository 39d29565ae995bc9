"""OCPP 1.6J: what the CSMS answers to each action a charge point sends.

A 1.6 connector is stored as EVSE `connectorId` with connector 1 (see `persistence.tables`);
on 1.6 only the idTag travels, and a leading `#` marks a PIN (DESIGN §2).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from evharness.idtokens import guess_type_from_idtag
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.ocppj.vocabulary import Action
from evharness.reference_backend.domain.authorization import status_for
from evharness.reference_backend.domain.metering import Register, samples_v16
from evharness.reference_backend.domain.reservations import ENDED_BY_STATUS_16, Event
from evharness.reference_backend.handlers import certificates, reports
from evharness.reference_backend.handlers.base import (
    Handler,
    HandlerContext,
    Reply,
    TokenCheck,
    boot_answer,
    check_token,
    timestamp_or_now,
)
from evharness.reference_backend.handlers.costs import final_cost_16, running_cost_16, session_cost
from evharness.reference_backend.handlers.functions import data_transfer
from evharness.reference_backend.handlers.smart_charging import balancing, ended_16, with_site_profile
from evharness.reference_backend.handlers.transactions import (
    end_as_superseded,
    end_lost_at_boot,
    make_room,
    meter_of,
    stop_check,
)
from evharness.reference_backend.persistence import BootInfo, TokenUse

log = logging.getLogger(__name__)

STATION_CONNECTOR = 0  # OCPP 1.6 §4.9: connectorId 0 is the charge point as a whole
ONLY_CONNECTOR = 1


def id_tag_info(ctx: HandlerContext, check: TokenCheck) -> Payload:
    """IdTagInfo (OCPP 1.6 §7.27): the status, the cache expiry, and the group as parentIdTag (§3.10)."""
    decision = check.decision
    info: Payload = {"status": status_for(ctx.version, decision)}
    if decision.expires_at is not None:
        info["expiryDate"] = format_timestamp(decision.expires_at.timestamp())
    if check.group_id is not None:
        info["parentIdTag"] = check.group_id[:20]
    return info


def _check_id_tag(
    ctx: HandlerContext,
    id_tag: str,
    at_start: bool,
    transaction_id: int | None = None,
    connector: int | None = None,
) -> TokenCheck:
    return check_token(
        ctx,
        guess_type_from_idtag(id_tag),
        id_tag,
        at_transaction_start=at_start,
        transaction_id=transaction_id,
        evse_id=connector,
    )


def boot_notification(ctx: HandlerContext, payload: Payload) -> Payload:
    boot = BootInfo(
        vendor=payload["chargePointVendor"],
        model=payload["chargePointModel"],
        serial_number=payload.get("chargePointSerialNumber"),
        firmware_version=payload.get("firmwareVersion"),
    )
    ctx = replace(ctx, station_id=ctx.store.register_boot(ctx.identity, ctx.version.value, boot, ctx.now))
    end_lost_at_boot(ctx, None)
    return boot_answer(ctx)


def heartbeat(ctx: HandlerContext, payload: Payload) -> Payload:
    ctx.store.record_heartbeat(ctx.station, ctx.now)
    return {"currentTime": ctx.current_time()}


def status_notification(ctx: HandlerContext, payload: Payload) -> Payload:
    at = timestamp_or_now(ctx, payload.get("timestamp"))
    connector, status, error = payload["connectorId"], payload["status"], payload["errorCode"]
    error_code = None if error == "NoError" else error
    if connector == STATION_CONNECTOR:
        ctx.store.record_station_status(ctx.station, status, error_code, at)
    else:
        changed = ctx.store.record_connector_status(
            ctx.station, connector, ONLY_CONNECTOR, status, error_code, at
        )
        ended = ENDED_BY_STATUS_16.get(status)
        # 1.6 has no ReservationStatusUpdate: the connector's status tells, when it changes (a reserved
        # connector reports Reserved first, §5.13)
        if changed and ended is not None:
            ctx.store.reservations.end_on_evse(ctx.station, connector, ended, ctx.now)
    return {}


def authorize(ctx: HandlerContext, payload: Payload) -> Payload:
    check = _check_id_tag(ctx, payload["idTag"], at_start=False)
    return {"idTagInfo": id_tag_info(ctx, check)}


def start_transaction(ctx: HandlerContext, payload: Payload) -> Payload:
    """The transaction is recorded whatever the verdict: the charge point may start it anyway. Its
    start is `meterStart`. A new transaction on the connector ends the one the station left open there
    (`domain.transactions`), before the token is decided.

    A StartTransaction repeated after a lost answer (OCPP 1.6 §3.7) is the same transaction and gets
    the same verdict: its own running transaction does not make the token ConcurrentTx.
    """
    id_tag, connector = payload["idTag"], payload["connectorId"]
    started_at, meter_start = parse_timestamp(payload["timestamp"]), float(payload["meterStart"])
    replayed = ctx.store.replayed_start(ctx.station, connector, started_at, meter_start, id_tag)
    over = make_room(ctx, connector, started_at, replayed) if replayed is None else False
    check = _check_id_tag(ctx, id_tag, at_start=True, transaction_id=replayed, connector=connector)
    status = status_for(ctx.version, check.decision)
    if "reservationId" in payload and check.decision.accepted:  # §5.13: the reservation is used
        ctx.store.reservations.apply(ctx.station, payload["reservationId"], Event.USED, ctx.now)
    transaction_id = ctx.store.start_transaction(
        ctx.station,
        started_at=started_at,
        evse_id=connector,
        connector_id=ONLY_CONNECTOR,
        meter_start_wh=meter_start,
        token=TokenUse(id_tag, guess_type_from_idtag(id_tag).value, status, check.identification_id),
    )
    if over:
        end_as_superseded(ctx, transaction_id)
    return {"idTagInfo": id_tag_info(ctx, check), "transactionId": transaction_id}


def stop_transaction(ctx: HandlerContext, payload: Payload) -> Payload | Reply:
    """The station's stop is recorded, also for a transaction the CSMS had ended as abandoned (a late
    StopTransaction). One resent after a lost answer (§4.10) finds its transaction ended by the
    station: it is answered as the first one was and changes nothing. Readings of `transactionData`
    are stored once. With a tariff on the station, a DataTransfer FinalCost follows the answer."""
    transaction_id = payload["transactionId"]
    transaction = ctx.store.transaction(ctx.station, transaction_id)
    follow_ups: tuple[tuple[str, Payload], ...] = ()
    if transaction is None:
        # Answer anyway: a CALLERROR would make the charge point retry a message we can never place.
        log.warning("%s: StopTransaction for unknown transactionId %s", ctx.identity, transaction_id)
    else:
        samples = list(samples_v16(payload.get("transactionData", [])))
        change = meter_of(transaction, samples)
        ctx.store.add_new_meter_samples(ctx.station, samples, transaction.id, transaction.evse_id, change)
        if transaction.accepts_stop:
            stopped_at, meter_stop = parse_timestamp(payload["timestamp"]), float(payload["meterStop"])
            ctx.store.stop_transaction(
                transaction.id,
                stopped_at,
                payload.get("reason", "Local"),  # OCPP 1.6 §6.49: absent means Local
                meter_stop,
                stop_check(transaction, change, Register(stopped_at, meter_stop)),
            )
            tariff = ctx.store.tariffs.of(ctx.station)
            if tariff is not None:  # the final cost: kept, and told by DataTransfer (`handlers.costs`)
                total = session_cost(tariff, transaction, change, stopped_at, meter_stop)
                ctx.store.tariffs.record_cost(transaction.id, total, tariff.currency, stopped_at)
                follow_ups = (final_cost_16(tariff, transaction.id, total),)
    answer: Payload = {}
    if "idTag" in payload:
        check = _check_id_tag(ctx, payload["idTag"], at_start=False, transaction_id=transaction_id)
        answer = {"idTagInfo": id_tag_info(ctx, check)}
    return Reply(answer, follow_ups) if follow_ups else answer


def meter_values(ctx: HandlerContext, payload: Payload) -> Payload | Reply:
    """A transaction's readings are stored once: a MeterValues resent after a lost answer adds nothing.
    They move the transaction's last reading, never its start (`domain.metering`). With a tariff on
    the station, a new reading of a running transaction is followed by a DataTransfer RunningCost."""
    connector = payload["connectorId"]
    samples = list(samples_v16(payload["meterValue"]))
    transaction = None
    if "transactionId" in payload:
        transaction = ctx.store.transaction(ctx.station, payload["transactionId"])
    elif connector != STATION_CONNECTOR:
        transaction = ctx.store.running_transaction(ctx.station, connector)
    if transaction is None:
        ctx.store.add_meter_samples(ctx.station, samples, None, connector)
    else:
        change = meter_of(transaction, samples)
        ctx.store.add_new_meter_samples(ctx.station, samples, transaction.id, connector, change)
        tariff = ctx.store.tariffs.of(ctx.station)
        if tariff is not None and change.last is not None and transaction.running:
            total = session_cost(tariff, transaction, change, change.last.at)
            at = format_timestamp(change.last.at.timestamp())
            return Reply({}, (running_cost_16(transaction.id, total, change.last.wh, at),))
    return {}


HANDLERS: dict[str, Handler] = {
    Action.SignCertificate: certificates.sign_certificate,
    Action.SecurityEventNotification: certificates.security_event_notification,
    Action.BootNotification: with_site_profile(boot_notification),
    Action.Heartbeat: heartbeat,
    Action.StatusNotification: status_notification,
    Action.Authorize: authorize,
    Action.StartTransaction: balancing(start_transaction),
    Action.StopTransaction: balancing(stop_transaction, ends=ended_16),
    Action.MeterValues: meter_values,
    Action.DataTransfer: data_transfer,
    **reports.V16_HANDLERS,
}
