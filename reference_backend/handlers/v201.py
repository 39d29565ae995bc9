"""OCPP 2.0.1: what the CSMS answers to each action a charging station sends.

IdToken types: `KeyCode` is a PIN, `ISO14443`/`ISO15693` an RFID card; any other type is an
identification type this CSMS never enables, so it is refused as Invalid (DESIGN §2). A KeyCode
carries the PIN's digits (an identifierString has no `#`): KeyCode `4821` is the PIN `#4821`.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from evharness.idtokens import WIRE_TYPE_TO_ID_TYPE, from_wire_201
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.ocppj.vocabulary import Action, Status
from evharness.reference_backend.domain.authorization import Decision, Verdict, status_for
from evharness.reference_backend.domain.contracts import CONTRACT_LIFETIME_S, CONTRACT_TOKEN
from evharness.reference_backend.domain.metering import (
    TRANSACTION_BEGIN,
    Register,
    first_register_wh,
    registers,
    samples_v201,
)
from evharness.reference_backend.domain.reservations import UPDATES, Event
from evharness.reference_backend.domain.transactions import RESUMED
from evharness.reference_backend.handlers import certificates, reports, smart_charging
from evharness.reference_backend.handlers.base import (
    Handler,
    HandlerContext,
    Reply,
    TokenCheck,
    boot_answer,
    check_token,
)
from evharness.reference_backend.handlers.costs import cost_updated, session_cost
from evharness.reference_backend.handlers.functions import data_transfer, message_record
from evharness.reference_backend.handlers.transactions import (
    end_as_superseded,
    end_lost_at_boot,
    make_room,
    meter_of,
    stop_check,
)
from evharness.reference_backend.persistence import BootInfo, TokenUse

log = logging.getLogger(__name__)

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
    ctx: HandlerContext,
    id_token: Payload,
    at_start: bool,
    transaction_id: int | None = None,
    evse_id: int | None = None,
) -> TokenCheck:
    if id_token["type"] == CONTRACT_TOKEN and _contract_fresh(ctx, id_token["idToken"]):
        return TokenCheck(Decision(Verdict.ACCEPTED, "contract certificate"), None)
    return check_token(
        ctx,
        WIRE_TYPE_TO_ID_TYPE.get(id_token["type"]),
        from_wire_201(id_token["idToken"], id_token["type"]),
        at_transaction_start=at_start,
        transaction_id=transaction_id,
        token_type=id_token["type"],
        evse_id=evse_id,
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
    ctx = replace(ctx, station_id=ctx.store.register_boot(ctx.identity, ctx.version.value, boot, ctx.now))
    end_lost_at_boot(ctx, payload["reason"])
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
    """C01.FR.07 / C04.FR.01: answer with a status that accepts or says why not. A contract (C07):
    its certificate's status by OCSP decides, and is answered in certificateStatus."""
    status = certificates.contract_status(ctx, payload)
    id_token = payload["idToken"]
    if status is None:
        check = _check_id_token(ctx, id_token, at_start=False)
        return {"idTokenInfo": id_token_info(ctx, check)}
    if status == Status.ACCEPTED and id_token["type"] == CONTRACT_TOKEN:
        ctx.store.accept_contract(ctx.station, id_token["idToken"], ctx.now)
    verdict = Verdict.ACCEPTED if status == Status.ACCEPTED else Verdict.INVALID
    decision = Decision(verdict, "contract certificate")
    return {"idTokenInfo": {"status": status_for(ctx.version, decision)}, "certificateStatus": status}


def _contract_fresh(ctx: HandlerContext, emaid: str) -> bool:
    """Whether the eMAID's contract certificate was found good lately (C07): it then authorizes the
    station's transactions; otherwise the eMAID is decided as any provisioned token."""
    accepted_at = ctx.store.contract_accepted_at(ctx.station, emaid)
    return accepted_at is not None and (ctx.now - accepted_at).total_seconds() <= CONTRACT_LIFETIME_S


def transaction_event(ctx: HandlerContext, payload: Payload) -> Payload | Reply:
    """E01.FR.11/12: check every idToken a TransactionEvent carries and answer its status.

    The first idToken seen on a transaction is its start authorization: only then can it be
    ConcurrentTx, and a transaction new on its EVSE first ends the one the station left open there
    (`domain.transactions`). The start meter value is the Started event's register (or a
    Transaction.Begin reading); readings move only the last value (`domain.metering`).
    The same message again (E13: same seqNo, eventType and timestamp, resent after a lost answer) gets
    the answer it got then and stores nothing; a different event is stored even when it reuses a seqNo
    (logged once per station), and an event replayed from an offline queue has a new seqNo.
    With a tariff on the station, an Ended event's answer carries the final cost and an Updated one
    with a new reading is followed by a CostUpdated (`handlers.costs`).
    """
    at = parse_timestamp(payload["timestamp"])
    event_type, seq_no = payload["eventType"], payload["seqNo"]
    evse = payload.get("evse", {})
    opened = ctx.store.open_transaction(
        ctx.station, payload["transactionInfo"]["transactionId"], at, evse.get("id"), evse.get("connectorId")
    )
    transaction = opened.record
    seen = ctx.store.event_seen(transaction.id, seq_no, event_type, at)
    if seen.answer is not None:
        return seen.answer
    if seen.seq_no_reused and ctx.notices.first(ctx.identity, "seqNo"):
        log.warning(
            "%s: TransactionEvent %s seqNo %d of transaction %s was used by another event; stored as a new"
            " event (TransactionEventRequest.seqNo grows by one per event); logged once per station",
            ctx.identity,
            event_type,
            seq_no,
            transaction.transaction_ref,
        )
    over = False
    if opened.placed and transaction.evse_id is not None and transaction.running:
        over = make_room(ctx, transaction.evse_id, transaction.started_at, transaction.id)
    if payload["triggerReason"] == RESUMED and transaction.ended_by == "csms":
        ctx.store.resume(transaction.id)
    response: Payload = {}
    if "idToken" in payload:
        id_token = payload["idToken"]
        at_start = transaction.id_token is None
        check = _check_id_token(ctx, id_token, at_start, transaction.id, transaction.evse_id)
        if at_start:
            status = status_for(ctx.version, check.decision)
            if "reservationId" in payload and check.decision.accepted:  # H03.FR.09: used
                ctx.store.reservations.apply(ctx.station, payload["reservationId"], Event.USED, ctx.now)
            code = from_wire_201(id_token["idToken"], id_token["type"])
            token = TokenUse(code, id_token["type"], status, check.identification_id)
            ctx.store.assign_token(transaction.id, token)
        response["idTokenInfo"] = id_token_info(ctx, check)
    samples = list(samples_v201(payload.get("meterValue", [])))
    readings = registers(samples)
    begin = [s for s in samples if s.context == TRANSACTION_BEGIN]
    start = first_register_wh(samples) if event_type == "Started" else first_register_wh(begin)
    change = meter_of(transaction, samples, start)
    stop: Register | None = readings[-1] if readings else None
    tariff = ctx.store.tariffs.of(ctx.station)  # kept in memory: no database read
    follow_ups: tuple[tuple[str, Payload], ...] = ()
    if tariff is not None:  # I03: the final cost in the answer; I02: the running cost after it
        total = session_cost(tariff, transaction, change, at, None if stop is None else stop.wh)
        if event_type == "Ended":
            response["totalCost"] = float(total)
        elif event_type == "Updated" and change.last is not None and transaction.running:
            follow_ups = (cost_updated(payload["transactionInfo"]["transactionId"], total),)
    event = (seq_no, event_type, at)
    ctx.store.add_transaction_event(
        ctx.station, transaction.id, event, response, samples, transaction.evse_id, change
    )
    if event_type == "Ended" and transaction.accepts_stop:
        # E06: an absent stoppedReason means Local.
        reason = payload["transactionInfo"].get("stoppedReason", "Local")
        problem = stop_check(transaction, change, stop)
        ctx.store.stop_transaction(transaction.id, at, reason, None if stop is None else stop.wh, problem)
        if tariff is not None:
            ctx.store.tariffs.record_cost(transaction.id, total, tariff.currency, at)
    elif over:
        end_as_superseded(ctx, transaction.id)
    return Reply(response, follow_ups) if follow_ups else response


def meter_values(ctx: HandlerContext, payload: Payload) -> Payload:
    """J01: samples outside a TransactionEvent belong to the transaction running on that EVSE, if any."""
    evse_id = payload["evseId"]
    samples = list(samples_v201(payload["meterValue"]))
    transaction = None if evse_id == MAIN_METER_EVSE else ctx.store.running_transaction(ctx.station, evse_id)
    if transaction is None:
        ctx.store.add_meter_samples(ctx.station, samples, None, evse_id)
    else:
        change = meter_of(transaction, samples)
        ctx.store.add_meter_samples(ctx.station, samples, transaction.id, evse_id, change)
    return {}


def reservation_status_update(ctx: HandlerContext, payload: Payload) -> Payload:
    """H04.FR.02 / H01: the station ended a reservation (Expired, Removed); an unknown id is noted."""
    event = UPDATES[payload["reservationUpdateStatus"]]
    if not ctx.store.reservations.apply(ctx.station, payload["reservationId"], event, ctx.now):
        log.info(
            "%s: ReservationStatusUpdate for unknown reservation %s", ctx.identity, payload["reservationId"]
        )
    return {}


def notify_display_messages(ctx: HandlerContext, payload: Payload) -> Payload:
    """O03/O04: the messages the station reports are stored as it said them."""
    reported = [message_record(info, source="reported") for info in payload.get("messageInfo", [])]
    ctx.store.display_messages.put(ctx.station, reported, ctx.now)
    return {}


HANDLERS: dict[str, Handler] = {
    Action.SignCertificate: certificates.sign_certificate,
    Action.SecurityEventNotification: certificates.security_event_notification,
    Action.Get15118EVCertificate: certificates.get_15118_ev_certificate,
    Action.GetCertificateStatus: certificates.get_certificate_status,
    Action.BootNotification: smart_charging.with_site_profile(boot_notification),
    Action.Heartbeat: heartbeat,
    Action.StatusNotification: status_notification,
    Action.Authorize: authorize,
    Action.TransactionEvent: smart_charging.balancing(
        transaction_event, smart_charging.session_edge, smart_charging.ended_201
    ),
    Action.MeterValues: meter_values,
    Action.DataTransfer: data_transfer,
    Action.ReservationStatusUpdate: reservation_status_update,
    Action.NotifyDisplayMessages: notify_display_messages,
    **reports.V201_HANDLERS,
    **smart_charging.V201_HANDLERS,
}
