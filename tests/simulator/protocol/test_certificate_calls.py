"""Certificates on the wire (2.0.1 A02/M03–M05, 1.6 security white paper), in memory against the
reference backend's session, whose endpoint validates every frame against the official schemas."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Literal

import orjson
import pytest

from evharness import x509
from evharness.conformance.pki import Pki
from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.handlers import HANDLERS, Handler
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.events import CertificateAnswered
from evharness.simulator.core.model import Own
from evharness.simulator.core.notes import SecurityEvent
from tests.certificates import SigningCa
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair

V16, V201 = OcppVersion.V16, OcppVersion.V201
START = ManualClock().now()

ROOT_TYPE = {V16: "CentralSystemRootCertificate", V201: "CSMSRootCertificate"}


def booted(version: OcppVersion, store: Store, sign_answer: str | None = None) -> Pair:
    """A booted pair; `sign_answer`: the CSMS answers SignCertificate with this status."""
    pair = Pair.open("SIM-0001", version, store)
    if sign_answer is not None:
        handlers: dict[str, Handler] = dict(HANDLERS[version])
        handlers["SignCertificate"] = lambda ctx, payload: {"status": sign_answer}
        handlers["SecurityEventNotification"] = lambda ctx, payload: {}
        pair.csms = CsmsConnection("SIM-0001", version, store, validate_outgoing=True, handlers=handlers)
    pair.station.boot(pair.clock.now())
    pair.pump()
    return pair


def trigger_signing(pair: Pair) -> str:
    if pair.station.version == "1.6":
        answer = ask(pair, "ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"})
    else:
        answer = ask(pair, "TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"})
    assert answer == {"status": "Accepted"}
    (request,) = sent(pair, "SignCertificate")
    csr: str = request["csr"]
    return csr


def security_events(pair: Pair, startup: bool = False) -> list[str]:
    """The security events the station sent, but the StartupOfTheDevice of every boot (unless `startup`)."""
    kinds = [event["type"] for event in sent(pair, "SecurityEventNotification")]
    return kinds if startup else [kind for kind in kinds if kind != "StartupOfTheDevice"]


@pytest.mark.parametrize("version", [V16, V201, OcppVersion.V21])
def test_the_reference_backend_signs_a_triggered_csr(version: OcppVersion, store: Store) -> None:
    """The CSMS's CA signs the CSR and CertificateSigned follows; the station installs the chain."""
    pair = booted(version, store)
    csr = trigger_signing(pair)
    assert x509.common_name(x509.load_csr(csr).subject) == "SIM-0001"
    if version is not V16:
        assert sent(pair, "SignCertificate")[0]["certificateType"] == "ChargingStationCertificate"
    assert pair.send_follow_ups() == 1
    (signed,) = [f for f in pair.frames if '"CertificateSigned"' in f[1]]
    assert signed[0] == "in"
    own = pair.station.certificates.own[Own.STATION]
    leaf = x509.load_chain(own.chain)[0]
    assert x509.common_name(leaf.subject) == "SIM-0001"
    authority = store.certificate_authority(datetime.now(UTC))
    assert x509.signed_by(leaf, authority.certificate)
    station_id = store.find_station_id("SIM-0001")
    assert station_id is not None
    (issued,) = store.issued(station_id)
    assert issued.serial_number == format(leaf.serial_number, "x")
    assert security_events(pair) == []


@pytest.mark.parametrize("version", [V16, V201])
def test_a_csr_for_another_station_is_rejected(version: OcppVersion, store: Store) -> None:
    pair = booted(version, store)
    pair.csms.send_call("TriggerMessage", {"requestedMessage": "Heartbeat"}, pair.clock.now())
    pair.station.identity = "SOMEONE-ELSE"  # the CSR's CN is taken from the station's identity
    pair.station.certificates.identity = "SOMEONE-ELSE"
    trigger_signing(pair)
    assert pair.send_follow_ups() == 0
    (answer,) = [orjson.loads(text) for d, text in pair.frames if d == "in" and '"Rejected"' in text]
    if version is V201:
        assert "not the station's identity" in answer[2]["statusInfo"]["additionalInfo"]


@pytest.mark.parametrize("version", [V16, V201])
def test_security_events_are_stored(version: OcppVersion, store: Store) -> None:
    pair = booted(version, store)
    pair.station.security_event(SecurityEvent.TAMPER_DETECTION_ACTIVATED, pair.clock.now(), "lid open")
    pair.pump()
    station_id = store.find_station_id("SIM-0001")
    assert station_id is not None
    events = [(event.type, event.tech_info) for event in store.security_events(station_id)]
    assert sorted(events, key=str) == [("StartupOfTheDevice", None), ("TamperDetectionActivated", "lid open")]


@pytest.mark.parametrize("version", [V16, V201])
def test_an_invalid_chain_is_rejected_and_reported(version: OcppVersion, store: Store) -> None:
    """1.6 TC_077, 2.0.1 TC_A_14: Rejected, then the security event."""
    pair = booted(version, store, sign_answer="Accepted")
    trigger_signing(pair)
    other = x509.csr_pem(x509.new_key(), "SIM-0001", "evharness")
    answer = ask(pair, "CertificateSigned", {"certificateChain": SigningCa(START).sign(other)})
    assert answer["status"] == "Rejected"
    if version is V201:
        assert "not for the key" in answer["statusInfo"]["additionalInfo"]
    expected = {V16: "InvalidChargePointCertificate", V201: "InvalidChargingStationCertificate"}
    assert security_events(pair) == [expected[version]]


def test_the_v2g_and_the_combined_certificate_are_asked_for_on_201(store: Store) -> None:
    pair = booted(V201, store, sign_answer="Accepted")
    assert ask(pair, "TriggerMessage", {"requestedMessage": "SignCombinedCertificate"}) == {
        "status": "Accepted"
    }
    kinds = [request["certificateType"] for request in sent(pair, "SignCertificate")]
    assert kinds == ["ChargingStationCertificate", "V2GCertificate"]
    v2g_csr = sent(pair, "SignCertificate")[1]["csr"]
    chain = SigningCa(START).sign(v2g_csr)
    answer = ask(pair, "CertificateSigned", {"certificateChain": chain, "certificateType": "V2GCertificate"})
    assert answer == {"status": "Accepted"}
    found = ask(pair, "GetInstalledCertificateIds", {"certificateType": ["V2GCertificateChain"]})
    (entry,) = found["certificateHashDataChain"]
    assert entry["certificateType"] == "V2GCertificateChain"
    assert len(entry["childCertificateHashData"]) == 1


def test_a_rejected_sign_request_is_not_waited_for(store: Store) -> None:
    pair = booted(V201, store, sign_answer="Rejected")
    csr = trigger_signing(pair)
    assert (
        ask(pair, "CertificateSigned", {"certificateChain": SigningCa(START).sign(csr)})["status"]
        == "Rejected"
    )
    pair.advance(3600)
    assert len(sent(pair, "SignCertificate")) == 1


def test_an_unanswered_request_is_sent_again_after_the_wait(store: Store) -> None:
    pair = booted(V201, store, sign_answer="Accepted")
    csr = trigger_signing(pair)
    pair.advance(61)
    assert [r["csr"] for r in sent(pair, "SignCertificate")] == [csr, csr]


@pytest.mark.parametrize("version", [V16, V201])
def test_install_list_and_delete_a_csms_root(version: OcppVersion, store: Store) -> None:
    """1.6 TC_075/TC_076, 2.0.1 TC_M_01/M_12/M_20."""
    pair = booted(version, store)
    ca = SigningCa(START)
    install = {"certificateType": ROOT_TYPE[version], "certificate": ca.pem}
    assert ask(pair, "InstallCertificate", install) == {"status": "Accepted"}
    request = {"certificateType": ROOT_TYPE[version] if version is V16 else [ROOT_TYPE[version]]}
    found = ask(pair, "GetInstalledCertificateIds", request)
    assert found["status"] == "Accepted"
    hashed = (
        found["certificateHashData"][0]
        if version is V16
        else found["certificateHashDataChain"][0]["certificateHashData"]
    )
    assert hashed == x509.hash_data(ca.certificate).to_wire()
    assert ask(pair, "DeleteCertificate", {"certificateHashData": hashed}) == {"status": "Accepted"}
    assert ask(pair, "DeleteCertificate", {"certificateHashData": hashed}) == {"status": "NotFound"}
    assert ask(pair, "GetInstalledCertificateIds", request) == {"status": "NotFound"}


@pytest.mark.parametrize("version", [V16, V201])
def test_an_invalid_csms_root_is_rejected_and_reported(version: OcppVersion, store: Store) -> None:
    """1.6 TC_078: Rejected, then InvalidCentralSystemCertificate."""
    pair = booted(version, store, sign_answer="Accepted")
    pair.station.choose_certificates(install="reject")
    answer = ask(
        pair,
        "InstallCertificate",
        {"certificateType": ROOT_TYPE[version], "certificate": SigningCa(START).pem},
    )
    assert answer["status"] == "Rejected"
    expected = {V16: "InvalidCentralSystemCertificate", V201: "InvalidCsmsCertificate"}
    assert security_events(pair) == [expected[version]]


def test_the_tester_fails_install_and_delete(store: Store) -> None:
    """TC_M_05 and TC_M_21: Failed, whatever the CSMS sends."""
    pair = booted(V201, store)
    pair.station.choose_certificates(install="fail", delete="fail")
    install = {"certificateType": "V2GRootCertificate", "certificate": SigningCa(START).pem}
    assert ask(pair, "InstallCertificate", install)["status"] == "Failed"
    hashed = x509.hash_data(SigningCa(START).certificate).to_wire()
    assert ask(pair, "DeleteCertificate", {"certificateHashData": hashed}) == {"status": "Failed"}


def test_every_frame_was_valid(store: Store) -> None:
    """The endpoints validated each frame both ways: no CALLERROR of a schema kind on the way."""
    pair = booted(V201, store, sign_answer="Accepted")
    trigger_signing(pair)
    errors = [orjson.loads(text) for _, text in pair.frames if orjson.loads(text)[0] == 4]
    assert errors == []


# -- ISO 15118 (M01/M02/M06) ----------------------------------------------------------------------


@pytest.mark.parametrize("action", ["Install", "Update"])
def test_the_ev_s_certificate_request_is_answered(store: Store, action: Literal["Install", "Update"]) -> None:
    pair = booted(V201, store)
    exi = base64.b64encode(b"CertificateInstallationReq").decode()
    pair.station.request_ev_certificate(action, exi, pair.clock.now())
    pair.pump()
    (request,) = sent(pair, "Get15118EVCertificate")
    assert request["action"] == action
    (answered,) = [e for e in pair.station.events if isinstance(e, CertificateAnswered)]
    assert answered.status == "Accepted"
    assert answered.data


def test_the_v2g_certificate_s_status_is_asked_of_its_ocsp_responder(store: Store) -> None:
    pair = booted(V201, store)
    assert not pair.station.check_certificate_status(Own.V2G, pair.clock.now())  # none yet
    pair.station.request_certificate(Own.V2G, pair.clock.now())
    pair.pump()
    (request,) = sent(pair, "SignCertificate")
    with Pki(at=pair.clock.now()) as pki:
        chain = pki.sign(request["csr"])
        signed = {"certificateChain": chain, "certificateType": "V2GCertificate"}
        assert ask(pair, "CertificateSigned", signed) == {"status": "Accepted"}
        assert pair.station.check_certificate_status(Own.V2G, pair.clock.now())
        pair.pump()
        (status_request,) = sent(pair, "GetCertificateStatus")
        assert status_request["ocspRequestData"]["responderURL"] == pki.url
    (answered,) = [e for e in pair.station.events if isinstance(e, CertificateAnswered)]
    assert answered.status == "Accepted"
    assert answered.data is not None
    assert x509.ocsp_status(base64.b64decode(answered.data)) == "GOOD"


def test_a_16_station_has_no_iso15118_messages(store: Store) -> None:
    pair = booted(V16, store)
    pair.station.request_ev_certificate("Install", "AAAA", pair.clock.now())
    pair.pump()
    assert sent(pair, "Get15118EVCertificate") == []


# -- security events the spec lists (A04) -----------------------------------------------------------


@pytest.mark.parametrize("version", [V16, V201])
def test_the_startup_is_reported_once_the_first_boot_is_accepted(version: OcppVersion, store: Store) -> None:
    pair = booted(version, store)
    assert security_events(pair, startup=True) == ["StartupOfTheDevice"]
    first = [orjson.loads(text)[2] for direction, text in pair.frames if direction == "out"]
    assert first.index("BootNotification") < first.index("SecurityEventNotification")
    pair.station.boot(pair.clock.now())  # booting again is no new startup
    pair.pump()
    assert security_events(pair, startup=True) == ["StartupOfTheDevice"]


@pytest.mark.parametrize(("version", "reset"), [(V16, {"type": "Hard"}), (V201, {"type": "Immediate"})])
def test_a_reset_is_reported_once_booted_again(version: OcppVersion, store: Store, reset: Payload) -> None:
    pair = booted(version, store)
    assert ask(pair, "Reset", reset) == {"status": "Accepted"}
    pair.advance(1)
    assert security_events(pair, startup=True) == ["StartupOfTheDevice", "ResetOrReboot"]
    pair.station.boot(pair.clock.now())  # a boot of its own is no reset
    pair.pump()
    assert security_events(pair, startup=True) == ["StartupOfTheDevice", "ResetOrReboot"]


@pytest.mark.parametrize("version", [V16, V201])
def test_security_events_of_an_offline_station_are_sent_once_it_is_back(
    version: OcppVersion, store: Store
) -> None:
    """A04.FR.02: queued while offline — also the one waiting when the connection went — never dropped."""
    pair = booted(version, store)
    pair.connected = False  # the frame in flight never arrives
    pair.station.security_event(SecurityEvent.TAMPER_DETECTION_ACTIVATED, pair.clock.now(), "lid")
    pair.disconnect()
    pair.station.security_event(SecurityEvent.SETTING_SYSTEM_TIME, pair.clock.now())
    pair.advance(600)
    assert security_events(pair, startup=True) == ["StartupOfTheDevice"]
    pair.reconnect()
    pair.advance(1)
    assert security_events(pair, startup=True) == [
        "StartupOfTheDevice",
        "TamperDetectionActivated",
        "SettingSystemTime",
    ]
    assert pair.station.idle


@pytest.mark.parametrize("version", [V16, V201])
def test_a_changed_security_setting_is_reported_by_name_never_by_value(
    version: OcppVersion, store: Store
) -> None:
    pair = booted(version, store)
    password = "0123456789abcdef0123"
    if version is V16:
        change = {"key": "AuthorizationKey", "value": password.encode().hex()}
        assert ask(pair, "ChangeConfiguration", change) == {"status": "Accepted"}
    else:
        variable = {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}
        answer = ask(pair, "SetVariables", {"setVariableData": [variable | {"attributeValue": password}]})
        assert answer["setVariableResult"][0]["attributeStatus"] == "Accepted"
    (_startup, event) = sent(pair, "SecurityEventNotification")  # StartupOfTheDevice, then this
    assert event["type"] == "ReconfigurationOfSecurityParameters"
    assert event["techInfo"] == "SecurityCtrlr.BasicAuthPassword"
    assert not any(
        password in text or password.encode().hex() in text for d, text in pair.frames if d == "out"
    )
