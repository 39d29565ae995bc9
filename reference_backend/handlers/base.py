"""What every handler gets, and the steps several handlers share.

A handler is `(context, request payload) -> response payload`: thin, it reads the payload, asks the
store for facts, lets the domain decide and writes back. The connection answers a raised exception
with CALLERROR InternalError. The context is frozen and made for each call: a handler reads it and
never writes through it (a boot handler that registers the station uses `replace` for its own steps).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from evharness.idtokens import IdType
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.redaction import mask
from evharness.reference_backend.domain.authorization import Decision, Facts, TokenSource, decide, source_of
from evharness.reference_backend.domain.boot import Registration
from evharness.reference_backend.domain.reservations import reserved_for_other
from evharness.reference_backend.notices import Notices
from evharness.reference_backend.persistence import Store, TokenLookup

log = logging.getLogger(__name__)


class StationNotRegistered(Exception):
    """A handler needs the station's record, but it never booted (nor was seeded)."""


@dataclass(frozen=True, slots=True)
class BootAnswer:
    """How the connection's boot policy answers this BootNotification (`domain.boot`)."""

    registration: Registration  # Accepted, Pending or Rejected
    retry_interval: int = 60  # the interval of a Pending or Rejected answer
    triggered: bool = False  # the CSMS asked for this BootNotification (TriggerMessage)


ACCEPT = BootAnswer(Registration.ACCEPTED)


@dataclass(frozen=True, slots=True)
class HandlerContext:
    identity: str
    version: OcppVersion
    store: Store
    heartbeat_interval: int
    station_id: int | None = None  # known once the station booted or was found in the store
    now: datetime = datetime(1970, 1, 1, tzinfo=UTC)  # when the message arrived
    boot: BootAnswer = ACCEPT  # a BootNotification's answer, decided by the connection's boot policy
    notices: Notices = field(default_factory=Notices)  # what was logged once per station already

    @property
    def station(self) -> int:
        if self.station_id is None:
            raise StationNotRegistered(self.identity)
        return self.station_id

    def current_time(self) -> str:
        return format_timestamp(self.now.timestamp())


@dataclass(frozen=True, slots=True)
class Reply:
    """A handler's answer with the CALLs to send the station once it is out (CertificateSigned after
    SignCertificate's Accepted); a plain payload is an answer with none."""

    payload: Payload
    then: tuple[tuple[str, Payload], ...] = ()
    # CALLs for other stations, (identity, action, payload): the profiles of a site's stations
    elsewhere: tuple[tuple[str, str, Payload], ...] = ()


Handler = Callable[[HandlerContext, Payload], Payload | Reply]


def boot_answer(ctx: HandlerContext) -> Payload:
    """B01.FR.02/B02/B03 (1.6 §4.2): the status the boot policy chose; `interval` is the heartbeat
    interval when Accepted, else how long the station waits before its next BootNotification."""
    boot = ctx.boot
    accepted = boot.registration == Registration.ACCEPTED
    interval = ctx.heartbeat_interval if accepted else boot.retry_interval
    return {"status": boot.registration.value, "currentTime": ctx.current_time(), "interval": interval}


@dataclass(frozen=True, slots=True)
class TokenCheck:
    decision: Decision
    identification_id: int | None
    group_id: str | None = None  # the group the identification belongs to (C09), if any


NOTHING_KNOWN = TokenLookup(frozenset(), None, None)


def check_token(
    ctx: HandlerContext,
    id_type: IdType | None,
    code: str,
    *,
    at_transaction_start: bool,
    transaction_id: int | None = None,
    token_type: str | None = None,
    evse_id: int | None = None,
) -> TokenCheck:
    """The store fetches the facts, the domain decides (DESIGN §2, seed 001). `token_type` is the
    2.0.1 IdTokenEnumType (`domain.authorization.TOKEN_TYPES` says where its facts are); None for a
    1.6 idTag, which is a PIN or a card UID, or else a token provisioned under any type. A start on
    an EVSE reserved for another token is refused (`domain.reservations`)."""
    source = TokenSource.IDENTIFICATION if token_type is None else source_of(token_type)
    lookup = NOTHING_KNOWN
    busy = at_transaction_start  # only then is ConcurrentTx decided: else the facts may come from a cache
    if source is TokenSource.IDENTIFICATION:
        lookup = ctx.store.lookup_token(ctx.station, id_type, code, transaction_id, busy=busy)
        if token_type is None and id_type is IdType.RFID and lookup.identification is None:
            provisioned = ctx.store.lookup_provisioned(ctx.station, None, code, transaction_id, busy=busy)
            if provisioned is not None:
                lookup, source = provisioned, TokenSource.PROVISIONED
    elif source is TokenSource.PROVISIONED:
        found = ctx.store.lookup_provisioned(ctx.station, token_type, code, transaction_id, busy=busy)
        lookup = found if found is not None else NOTHING_KNOWN
    held = ctx.store.reservations.held(ctx.station, evse_id) if at_transaction_start and evse_id else []
    decision = decide(
        Facts(
            presented_type=id_type,
            enabled_types=lookup.enabled_types,
            identification=lookup.identification,
            at_transaction_start=at_transaction_start,
            now=ctx.now,
            source=source,
            reserved_for_other=reserved_for_other(held, code, lookup.group_id, ctx.now),
        )
    )
    if log.isEnabledFor(logging.DEBUG):
        masked = mask(id_type, code)
        log.debug(
            "%s: %s %s → %s (%s)",
            ctx.identity,
            token_type or id_type,
            masked,
            decision.verdict.name,
            decision.rule,
        )
    return TokenCheck(decision, lookup.identification_id, lookup.group_id)


def timestamp_or_now(ctx: HandlerContext, text: str | None) -> datetime:
    return ctx.now if text is None else parse_timestamp(text)
