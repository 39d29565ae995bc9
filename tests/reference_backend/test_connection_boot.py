"""The boot policy in the sans-I/O session: Pending and Rejected answers, SecurityError before
Accepted (B02.FR.09, B03.FR.07; 1.6 §4.2), the TriggerMessage after Pending, and the store behind it."""

from __future__ import annotations

from typing import Any

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.boot_policies import BootPolicies
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.domain.boot import BootPolicy, PolicyName, Registration
from evharness.reference_backend.persistence import Store

from .helpers import NOW, boot_16, boot_201, call, exchange, frame

BOOTS = {OcppVersion.V16: boot_16, OcppVersion.V201: boot_201, OcppVersion.V21: boot_201}
VERSIONS = [OcppVersion.V16, OcppVersion.V201]
PENDING = BootPolicy(PolicyName.PENDING, retry_interval=7)


def status(version: OcppVersion) -> tuple[str, dict[str, Any]]:
    if version is OcppVersion.V16:
        return "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
    payload = {
        "timestamp": "2025-03-01T08:00:00Z",
        "connectorStatus": "Available",
        "evseId": 1,
        "connectorId": 1,
    }
    return "StatusNotification", payload


def session(
    store: Store, version: OcppVersion, policies: BootPolicies, identity: str = "CP-1"
) -> CsmsConnection:
    return CsmsConnection(
        identity, version, store, heartbeat_interval=120, validate_outgoing=True, boot_policies=policies
    )


def security_error(csms: CsmsConnection, action: str, payload: dict[str, Any]) -> str:
    answer = exchange(csms, frame("x1", action, payload))
    assert answer[:3] == [4, "x1", "SecurityError"], answer
    description: str = answer[3]
    return description


@pytest.mark.parametrize("version", VERSIONS)
def test_pending_then_accepted_on_the_next_boot(store: Store, version: OcppVersion) -> None:
    csms = session(store, version, BootPolicies(PENDING))
    first = call(csms, "BootNotification", BOOTS[version]())
    assert (first["status"], first["interval"]) == ("Pending", 7)
    assert not csms.registered
    assert "Pending" in security_error(csms, *status(version))  # B02.FR.09 / 1.6 §4.2
    assert csms.take_follow_ups() == []  # no trigger unless the policy asks for one
    second = call(csms, "BootNotification", BOOTS[version](), "m2")
    assert (second["status"], second["interval"]) == ("Accepted", 120)
    assert call(csms, *status(version), "m3") == {}
    assert csms.registered


@pytest.mark.parametrize("version", VERSIONS)
def test_rejected_until_the_policy_changes(store: Store, version: OcppVersion) -> None:
    policies = BootPolicies()
    policies.set("CP-1", BootPolicy(PolicyName.REJECTED, retry_interval=30))
    csms = session(store, version, policies)
    for message_id in ("m1", "m2"):
        answer = call(csms, "BootNotification", BOOTS[version](), message_id)
        assert (answer["status"], answer["interval"]) == ("Rejected", 30)
    assert "Rejected" in security_error(csms, "Heartbeat", {})  # B03.FR.07
    assert csms.refusal("GetLocalListVersion" if version is OcppVersion.V16 else "GetVariables") is not None
    policies.clear("CP-1")  # the operator accepts it: its next BootNotification is Accepted
    assert call(csms, "BootNotification", BOOTS[version](), "m3")["status"] == "Accepted"
    assert call(csms, "Heartbeat", {}, "m4")["currentTime"]


def test_the_boot_is_recorded_whatever_the_answer(store: Store) -> None:
    policies = BootPolicies(BootPolicy(PolicyName.REJECTED))
    call(session(store, OcppVersion.V201, policies), "BootNotification", boot_201())
    station = store.station("CP-1")
    assert station is not None
    assert station.vendor == "evharness"
    assert policies.last_answer("CP-1") is Registration.REJECTED


@pytest.mark.parametrize("version", VERSIONS)
def test_a_pending_station_may_send_what_the_csms_triggered(store: Store, version: OcppVersion) -> None:
    csms = session(store, version, BootPolicies(PENDING))
    call(csms, "BootNotification", BOOTS[version]())
    csms.send_call("TriggerMessage", {"requestedMessage": "StatusNotification"}, NOW)
    (trigger,) = csms.data_to_send()
    assert '"TriggerMessage"' in trigger
    assert call(csms, *status(version), "m2") == {}  # B02.FR.09: asked for, so answered
    security_error(csms, "Heartbeat", {})  # not asked for


def test_a_pending_policy_with_trigger_asks_for_the_next_boot_once(store: Store) -> None:
    policies = BootPolicies(BootPolicy(PolicyName.PENDING, 5, trigger=True))
    csms = session(store, OcppVersion.V201, policies)
    assert call(csms, "BootNotification", boot_201())["status"] == "Pending"
    assert csms.take_follow_ups() == [("TriggerMessage", {"requestedMessage": "BootNotification"})]
    assert csms.take_follow_ups() == []
    triggered = {**boot_201(), "reason": "Triggered"}
    assert call(csms, "BootNotification", triggered, "m2")["status"] == "Accepted"
    assert csms.take_follow_ups() == []


def test_the_csms_sends_a_pending_station_only_what_b02_allows(store: Store) -> None:
    csms = session(store, OcppVersion.V201, BootPolicies(PENDING))
    assert csms.refusal("RequestStartTransaction") is None  # before any boot: as before
    call(csms, "BootNotification", boot_201())
    assert csms.refusal("GetVariables") is None
    assert csms.refusal("TriggerMessage") is None
    refusal = csms.refusal("RequestStartTransaction")
    assert refusal is not None
    assert "Pending" in refusal


def test_a_held_back_station_that_reconnects_without_booting_is_still_refused(store: Store) -> None:
    policies = BootPolicies(PENDING)
    call(session(store, OcppVersion.V201, policies), "BootNotification", boot_201())
    again = session(store, OcppVersion.V201, policies)
    assert "unknown" in security_error(again, "Heartbeat", {})  # known to the store, but never accepted
    assert call(again, "BootNotification", boot_201(), "m2")["status"] == "Pending"  # a new connection


def test_a_known_station_that_was_accepted_may_reconnect_without_booting(store: Store) -> None:
    policies = BootPolicies(PENDING)
    first = session(store, OcppVersion.V201, policies)
    call(first, "BootNotification", boot_201())
    call(first, "BootNotification", boot_201(), "m2")
    again = session(store, OcppVersion.V201, policies)
    assert call(again, "Heartbeat", {}, "m3")["currentTime"]  # offline replay: no boot needed
    assert again.registered


def test_the_policy_is_per_station(store: Store) -> None:
    policies = BootPolicies()
    policies.set("CP-1", PENDING)
    assert (
        call(session(store, OcppVersion.V201, policies), "BootNotification", boot_201())["status"]
        == "Pending"
    )
    other = session(store, OcppVersion.V201, policies, "CP-2")
    assert call(other, "BootNotification", boot_201())["status"] == "Accepted"


def test_a_station_the_operator_accepts_may_reconnect_without_booting(store: Store) -> None:
    policies = BootPolicies()
    policies.set("CP-1", BootPolicy(PolicyName.REJECTED))
    call(session(store, OcppVersion.V201, policies), "BootNotification", boot_201())
    policies.set("CP-1", BootPolicy(PolicyName.PENDING))
    assert policies.held_back("CP-1")  # still not accepted
    policies.clear("CP-1")  # back to the default: accepted
    assert not policies.held_back("CP-1")
    assert call(session(store, OcppVersion.V201, policies), "Heartbeat", {}, "m2")["currentTime"]
