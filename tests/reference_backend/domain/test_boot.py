"""The boot rules as data: every (policy, state) has one answer; what each side may send before Accepted."""

from __future__ import annotations

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.boot import (
    ANSWERS,
    BootPolicy,
    PolicyName,
    Registration,
    answer_boot,
    boot_trigger,
    csms_refusal,
    permitted_by,
    station_may_send,
)

PENDING = BootPolicy(PolicyName.PENDING, 10)


def test_the_answer_table_is_total() -> None:
    assert set(ANSWERS) == {(policy, state) for policy in PolicyName for state in Registration}
    assert Registration.UNKNOWN not in ANSWERS.values()


@pytest.mark.parametrize("state", list(Registration))
def test_accepted_and_rejected_ignore_the_state(state: Registration) -> None:
    assert answer_boot(BootPolicy(PolicyName.ACCEPTED), state) is Registration.ACCEPTED
    assert answer_boot(BootPolicy(PolicyName.REJECTED), state) is Registration.REJECTED


def test_pending_answers_the_first_boot_pending_and_accepts_the_next() -> None:
    first = answer_boot(PENDING, Registration.UNKNOWN)
    assert first is Registration.PENDING
    assert answer_boot(PENDING, first) is Registration.ACCEPTED


def test_a_trigger_follows_only_a_pending_answer_when_the_policy_asks() -> None:
    triggering = BootPolicy(PolicyName.PENDING, 10, trigger=True)
    assert boot_trigger(triggering, Registration.PENDING) == {"requestedMessage": "BootNotification"}
    assert boot_trigger(triggering, Registration.ACCEPTED) is None
    assert boot_trigger(PENDING, Registration.PENDING) is None


@pytest.mark.parametrize(
    ("action", "payload", "permits"),
    [
        ("TriggerMessage", {"requestedMessage": "StatusNotification"}, "StatusNotification"),
        ("TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"}, "SignCertificate"),
        ("GetBaseReport", {"requestId": 1, "reportBase": "FullInventory"}, "NotifyReport"),
        ("GetReport", {"requestId": 1}, "NotifyReport"),
        ("GetVariables", {"getVariableData": []}, None),
    ],
)
def test_what_a_csms_call_asks_the_station_to_send(
    action: str, payload: dict[str, str], permits: str | None
) -> None:
    assert permitted_by(action, payload) == permits


@pytest.mark.parametrize(
    ("state", "action", "permitted", "allowed"),
    [
        (Registration.UNKNOWN, "BootNotification", frozenset(), True),
        (Registration.UNKNOWN, "Heartbeat", frozenset(), False),
        (Registration.PENDING, "StatusNotification", frozenset(), False),  # B02.FR.09
        (Registration.PENDING, "StatusNotification", frozenset({"StatusNotification"}), True),
        (Registration.REJECTED, "StatusNotification", frozenset({"StatusNotification"}), False),  # B03.FR.07
        (Registration.REJECTED, "BootNotification", frozenset(), True),
        (Registration.ACCEPTED, "TransactionEvent", frozenset(), True),
    ],
)
def test_what_the_station_may_send(
    state: Registration, action: str, permitted: frozenset[str], allowed: bool
) -> None:
    assert station_may_send(state, action, permitted) is allowed


@pytest.mark.parametrize(
    ("version", "state", "action", "allowed"),
    [
        (OcppVersion.V201, Registration.PENDING, "GetVariables", True),  # B02.FR.01
        (OcppVersion.V201, Registration.PENDING, "TriggerMessage", True),  # F06
        (OcppVersion.V201, Registration.PENDING, "RequestStartTransaction", False),
        (OcppVersion.V21, Registration.PENDING, "Reset", False),
        (OcppVersion.V16, Registration.PENDING, "ChangeConfiguration", True),  # 1.6 §4.2
        (OcppVersion.V16, Registration.PENDING, "RemoteStartTransaction", False),
        (OcppVersion.V16, Registration.REJECTED, "TriggerMessage", False),
        (OcppVersion.V201, Registration.REJECTED, "GetVariables", False),
        (OcppVersion.V201, Registration.ACCEPTED, "RequestStartTransaction", True),
        (OcppVersion.V201, Registration.UNKNOWN, "Reset", True),
    ],
)
def test_what_the_csms_may_send(
    version: OcppVersion, state: Registration, action: str, allowed: bool
) -> None:
    refusal = csms_refusal(version, state, action)
    assert (refusal is None) is allowed
    if refusal is not None:
        assert state.value in refusal
