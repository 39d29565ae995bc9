"""Registration at boot (2.0.1 B01–B03, OCPP 1.6 §4.2): how the CSMS answers BootNotification, and
what each side may send before the station is Accepted.

Theory of operation: a connection starts `UNKNOWN`. The boot policy (the backend's `--boot-policy`,
or the operator's per-station choice) says how a BootNotification is answered in each state — one
table, `ANSWERS`: `accepted` accepts at once; `pending` answers the connection's first one Pending
and accepts the next (the station retries after the interval, or at once when the CSMS triggers it
with TriggerMessage, F06); `rejected` rejects every one until the operator changes the policy.

Before Accepted the station may send only BootNotification, and while Pending also what the CSMS
asked for with TriggerMessage, GetBaseReport or GetReport (B02.FR.09); anything else gets CALLERROR
SecurityError (B02.FR.09, B03.FR.07; OCPP-J 1.6 errata §3.8). While Pending the CSMS itself may send
only what B02.FR.01 and F06 allow (1.6: anything but RemoteStart/StopTransaction, §4.2); while
Rejected nothing (B03; 1.6 §4.2 "the Central System SHOULD NOT initiate any").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action

BOOT = Action.BootNotification


class Registration(StrEnum):
    """Where a station stands on its connection; the last three are RegistrationStatus values."""

    UNKNOWN = "Unknown"
    PENDING = "Pending"
    REJECTED = "Rejected"
    ACCEPTED = "Accepted"


class PolicyName(StrEnum):
    ACCEPTED = "accepted"
    PENDING = "pending"
    REJECTED = "rejected"


DEFAULT_RETRY_INTERVAL = 60


@dataclass(frozen=True, slots=True)
class BootPolicy:
    name: PolicyName = PolicyName.ACCEPTED
    retry_interval: int = DEFAULT_RETRY_INTERVAL  # the `interval` of a Pending or Rejected answer
    trigger: bool = False  # pending: ask for the next BootNotification at once (TriggerMessage, F06)


# (policy, where the connection stands) → the answer to a BootNotification
ANSWERS: dict[tuple[PolicyName, Registration], Registration] = {
    **{(PolicyName.ACCEPTED, state): Registration.ACCEPTED for state in Registration},
    **{(PolicyName.REJECTED, state): Registration.REJECTED for state in Registration},
    (PolicyName.PENDING, Registration.UNKNOWN): Registration.PENDING,
    (PolicyName.PENDING, Registration.REJECTED): Registration.PENDING,
    (PolicyName.PENDING, Registration.PENDING): Registration.ACCEPTED,  # its pending work is done
    (PolicyName.PENDING, Registration.ACCEPTED): Registration.ACCEPTED,
}


def answer_boot(policy: BootPolicy, state: Registration) -> Registration:
    return ANSWERS[(policy.name, state)]


def boot_trigger(policy: BootPolicy, answered: Registration) -> Payload | None:
    """The TriggerMessage the CSMS sends after answering Pending, if the policy asks for one (F06)."""
    if answered is Registration.PENDING and policy.trigger:
        return {"requestedMessage": BOOT}
    return None


def trigger_on_accept(policy: BootPolicy, state: Registration) -> Payload | None:
    """The TriggerMessage the CSMS sends at once when the operator accepts a station held Pending, so it
    need not wait out its interval (F06; B02.FR.01 allows TriggerMessage while Pending). A Rejected
    station is sent nothing (B03): it is accepted when it boots again after its interval."""
    if policy.name is PolicyName.ACCEPTED and state is Registration.PENDING:
        return {"requestedMessage": BOOT}
    return None


# TriggerMessage's requestedMessage → the action the station then sends, where the names differ
TRIGGERED_ACTION: dict[str, str] = {
    "SignChargingStationCertificate": Action.SignCertificate,
    "SignV2GCertificate": Action.SignCertificate,
    "SignCombinedCertificate": Action.SignCertificate,
}
REPORT_REQUESTS = frozenset({Action.GetBaseReport, Action.GetReport})


def permitted_by(action: str, payload: Payload) -> str | None:
    """The station CALL a CSMS CALL asks for, which a Pending station may then send (B02.FR.09)."""
    if action == Action.TriggerMessage:
        requested = str(payload.get("requestedMessage", ""))
        return TRIGGERED_ACTION.get(requested, requested)
    if action in REPORT_REQUESTS:
        return Action.NotifyReport
    return None


def station_may_send(state: Registration, action: str, permitted: frozenset[str]) -> bool:
    """B02.FR.09 / B03.FR.07: before Accepted only BootNotification, and while Pending what was asked for."""
    if action == BOOT or state is Registration.ACCEPTED:
        return True
    return state is Registration.PENDING and action in permitted


# What the CSMS may send a Pending station: 2.0.1 an allow-list (B02.FR.01, F06), 1.6 a deny-list (§4.2)
PENDING_ALLOWED_201 = frozenset(
    {Action.GetVariables, Action.SetVariables, Action.GetBaseReport, Action.GetReport, Action.TriggerMessage}
)
PENDING_DENIED_16 = frozenset({Action.RemoteStartTransaction, Action.RemoteStopTransaction})


def csms_refusal(version: OcppVersion, state: Registration, action: str) -> str | None:
    """Why the CSMS must not send `action` to a station in `state` now; None if it may."""
    if state is Registration.REJECTED:
        return "the station is Rejected: the CSMS sends it nothing until it is accepted (B03)"
    if state is not Registration.PENDING:
        return None
    if version is OcppVersion.V16:
        if action in PENDING_DENIED_16:
            return f"the station is Pending: {action} is not allowed (OCPP 1.6 §4.2)"
        return None
    if action not in PENDING_ALLOWED_201:
        allowed = ", ".join(sorted(PENDING_ALLOWED_201))
        return f"the station is Pending: only {allowed} may be sent (B02.FR.01, F06)"
    return None
