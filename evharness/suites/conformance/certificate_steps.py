"""Steps of the certificate cases (2.0.1 A02 and block M, 1.6 security white paper TC_074–078);
`conftest.py` imports them.

The tool-station makes a real key and CSR (CN its identity) when it asks for a certificate, and checks
that the CertificateSigned the CSMS then sends by itself holds a valid chain for that key. Roots the
operator installs are fresh self-signed certificates; the station's V2G certificate whose status the
CSMS is asked for is issued by the harness's own V2G root, whose OCSP responder runs on 127.0.0.1
(`evharness.conformance.pki`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from pytest_bdd import given, parsers, then, when

from evharness import x509
from evharness.conformance import messages as m
from evharness.conformance.pki import Pki
from evharness.conformance.session import Conformance
from evharness.conformance.station import ReceivedCall
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp

ORGANIZATION = "evharness OCTT"
SCHEMA_15118 = "urn:iso:15118:2:2013:MsgDef"
EMAID = "DE*EVH*C12345678*9"  # the EV's contract (Plug & Charge)
CONTRACT_TOKEN = {"idToken": EMAID, "type": "eMAID"}
EXI_REQUEST = base64.b64encode(b"OCTT EXI CertificateInstallationReq").decode()


@dataclass
class CertificateWorld:
    """What a certificate case keeps between its steps."""

    keys: dict[str, x509.PrivateKey] = field(default_factory=dict)  # certificate kind → key of its CSR
    installed: x509.Certificate | None = None  # the root the operator installed
    pki: Pki | None = None
    v2g: x509.Certificate | None = None  # the station's V2G certificate, issued by `pki`
    contract: x509.Certificate | None = None  # the EV's contract certificate, issued by `pki`


@pytest.fixture
def certificates() -> Iterator[CertificateWorld]:
    world = CertificateWorld()
    yield world
    if world.pki is not None:
        world.pki.stop()


def _sent(octt: Conformance, action: str) -> ReceivedCall:
    call = octt.csms_call
    assert call is not None, f"expected the CSMS to send {action}; it sent nothing"
    assert call.action == action, f"expected the CSMS to send {action}; it sent {call.action}"
    return call


def _kind(octt: Conformance, kind: str) -> str:
    return "ChargePointCertificate" if octt.v16 else kind


@when(parsers.parse('the station sends SignCertificate for its "{kind}"'))
def sends_sign_certificate(octt: Conformance, certificates: CertificateWorld, kind: str) -> None:
    key = x509.new_key()
    certificates.keys[_kind(octt, kind)] = key
    payload: Payload = {"csr": x509.csr_pem(key, octt.station.identity, ORGANIZATION)}
    if not octt.v16:
        payload["certificateType"] = kind
    octt.send("SignCertificate", payload)


def _signed_for(octt: Conformance, key: x509.PrivateKey) -> ReceivedCall | None:
    for call in octt.station.received:
        if call.action != "CertificateSigned":
            continue
        try:
            leaf = x509.load_chain(call.payload["certificateChain"])[0]
        except ValueError:
            continue
        if x509.same_key(leaf, key):
            return call
    return None


@then(parsers.parse('the CSMS sends CertificateSigned for the "{kind}" by itself'))
def csms_sends_certificate_signed(octt: Conformance, certificates: CertificateWorld, kind: str) -> None:
    """A02.FR.05 (1.6 TC_074): the chain is for the key of the station's CSR, each certificate valid
    now and signed by the next; on 2.0.1 its certificateType is the one asked for."""
    key = certificates.keys[_kind(octt, kind)]
    deadline = time.monotonic() + octt.call_timeout
    while (call := _signed_for(octt, key)) is None:
        seen = [c.action for c in octt.station.received]
        assert time.monotonic() < deadline, f"no CertificateSigned for the {kind} key arrived; got {seen}"
        octt.run(asyncio.sleep(0.1))  # the station's loop receives meanwhile
    octt.csms_call = call
    problem = x509.chain_problem(call.payload["certificateChain"], key, time.time())
    assert problem is None, f"CertificateSigned: {problem}"
    if not octt.v16:
        sent_kind = call.payload.get("certificateType", "ChargingStationCertificate")
        assert sent_kind == kind, f"CertificateSigned.certificateType = {sent_kind!r}; expected {kind!r}"


@when(parsers.parse('the station sends SecurityEventNotification "{event}"'))
def sends_security_event(octt: Conformance, event: str) -> None:
    octt.send("SecurityEventNotification", {"type": event, "timestamp": _now(octt), "techInfo": "OCTT"})


def _now(octt: Conformance) -> str:
    return format_timestamp(octt.now())


@when(parsers.parse('the operator makes the CSMS install a "{kind}" certificate'))
def operator_installs(octt: Conformance, certificates: CertificateWorld, kind: str) -> None:
    """M05 / TC_075: a fresh root, <Configured root certificate>."""
    root = x509.self_signed_ca(x509.new_key(), f"OCTT {kind}", time.time())
    certificates.installed = root
    payload = {"certificateType": kind, "certificate": x509.pem_of(root)}
    octt.operate("InstallCertificate", payload, f"install a {kind} (the certificate in the expected payload)")


@then("the CSMS sent InstallCertificate with the certificate")
def sent_the_certificate(octt: Conformance, certificates: CertificateWorld) -> None:
    call = _sent(octt, "InstallCertificate")
    assert certificates.installed is not None
    sent = x509.load_chain(call.payload["certificate"])[0]
    assert sent == certificates.installed, "InstallCertificate.certificate is not the configured certificate"


@given(parsers.parse('the station holds the "{kind}" certificate of its hash data'))
def holds_certificate_hash(octt: Conformance, certificates: CertificateWorld, kind: str) -> None:
    """GetInstalledCertificateIds (M03, TC_076) is answered with the hash data of a root it holds."""
    root = x509.self_signed_ca(x509.new_key(), f"OCTT {kind}", time.time())
    certificates.installed = root
    hashed = x509.hash_data(root).to_wire()
    if octt.v16:
        answer: Payload = {"status": "Accepted", "certificateHashData": [hashed]}
    else:
        answer = {
            "status": "Accepted",
            "certificateHashDataChain": [{"certificateType": kind, "certificateHashData": hashed}],
        }
    octt.station.answer_with("GetInstalledCertificateIds", answer)


@when("the operator makes the CSMS delete the certificate the station reported")
def operator_deletes(octt: Conformance, certificates: CertificateWorld) -> None:
    assert certificates.installed is not None
    hashed = x509.hash_data(certificates.installed).to_wire()
    octt.operate("DeleteCertificate", {"certificateHashData": hashed}, "delete the certificate reported")


@then("the CSMS sent DeleteCertificate with the hash data the station reported")
def sent_reported_hash(octt: Conformance, certificates: CertificateWorld) -> None:
    call = _sent(octt, "DeleteCertificate")
    assert certificates.installed is not None
    sent = x509.HashData.from_wire(call.payload["certificateHashData"])
    expected = x509.hash_data(certificates.installed, algorithm=sent.algorithm)
    assert sent.same(expected), f"DeleteCertificate.certificateHashData {call.payload['certificateHashData']}"


# -- ISO 15118 (M01/M02/M06) -----------------------------------------------------------------------


@given("the station holds a V2G certificate whose OCSP responder runs")
def holds_v2g_certificate(certificates: CertificateWorld) -> None:
    certificates.pki = Pki().start()
    certificates.v2g = certificates.pki.issue("OCTT-SECC")


@when("the station sends GetCertificateStatus for its V2G certificate")
def sends_certificate_status(octt: Conformance, certificates: CertificateWorld) -> None:
    assert certificates.pki is not None
    assert certificates.v2g is not None
    octt.send(
        "GetCertificateStatus", {"ocspRequestData": certificates.pki.ocsp_request_data(certificates.v2g)}
    )


@then(parsers.parse('the CSMS answers GetCertificateStatus with the responder\'s "{status}" result'))
def answers_ocsp(octt: Conformance, certificates: CertificateWorld, status: str) -> None:
    """M06: the CSMS asked the responder, and passed its answer on."""
    answer = octt.answer("GetCertificateStatus").require()
    assert answer.get("status") == "Accepted", f"GetCertificateStatus: {answer}"
    assert certificates.pki is not None
    assert certificates.pki.asked >= 1, "the CSMS did not ask the OCSP responder"
    try:
        result = base64.b64decode(answer["ocspResult"], validate=True)
    except (KeyError, binascii.Error) as exc:
        raise AssertionError(f"GetCertificateStatus.ocspResult is not base64: {answer}") from exc
    assert x509.ocsp_status(result) == status, f"the OCSP result says {x509.ocsp_status(result)}"


@when(parsers.parse('the station sends Get15118EVCertificate "{action}"'))
def sends_ev_certificate(octt: Conformance, action: str) -> None:
    payload = {
        "iso15118SchemaVersion": "urn:iso:15118:2:2013:MsgDef",
        "action": action,
        "exiRequest": EXI_REQUEST,
    }
    octt.send("Get15118EVCertificate", payload)


@then("the CSMS answers Get15118EVCertificate with an EXI response")
def answers_exi(octt: Conformance) -> None:
    answer = octt.answer("Get15118EVCertificate").require()
    assert answer.get("status") == "Accepted", f"Get15118EVCertificate: {answer}"
    try:
        base64.b64decode(answer["exiResponse"], validate=True)
    except (KeyError, binascii.Error) as exc:
        raise AssertionError(f"Get15118EVCertificate.exiResponse is not base64: {answer}") from exc
    assert answer["exiResponse"], "Get15118EVCertificate.exiResponse is empty"


# -- Contract certificates at Authorize (C07: TC_C_50-52) ---------------------------------------------


def _pki(certificates: CertificateWorld) -> Pki:
    if certificates.pki is None:
        certificates.pki = Pki().start()
    return certificates.pki


@given(parsers.parse("the EV holds a {state} contract certificate whose OCSP responder runs"))
def holds_contract(certificates: CertificateWorld, state: str) -> None:
    """An MO's contract certificate for the eMAID (CN), issued by the harness's root; `revoked`: its
    responder says so."""
    pki = _pki(certificates)
    certificates.contract = pki.issue(EMAID, "OCTT MO")
    if state == "revoked":
        pki.revoked.add(certificates.contract.serial_number)


def _contract(certificates: CertificateWorld) -> tuple[Pki, x509.Certificate]:
    assert certificates.pki is not None
    assert certificates.contract is not None
    return certificates.pki, certificates.contract


@when("the EV presents its contract certificate by its hash data")
def presents_hash_data(octt: Conformance, certificates: CertificateWorld) -> None:
    """C07.FR.04: the station validated the chain itself and sends the OCSP request data."""
    pki, contract = _contract(certificates)
    payload = {
        "idToken": {"idToken": EMAID, "type": "eMAID"},
        "iso15118CertificateHashData": [pki.ocsp_request_data(contract)],
    }
    octt.send("Authorize", payload)


@when("the EV presents its contract certificate chain")
def presents_chain(octt: Conformance, certificates: CertificateWorld) -> None:
    """C07.FR.05: the station leaves the validation to the CSMS and sends the chain."""
    pki, contract = _contract(certificates)
    chain = x509.pem_of(contract) + x509.pem_of(pki.root)
    octt.send("Authorize", {"idToken": CONTRACT_TOKEN, "certificate": chain})


@then(
    parsers.parse('the CSMS answers Authorize with certificateStatus "{status}" after asking its responder')
)
def answers_certificate_status(octt: Conformance, certificates: CertificateWorld, status: str) -> None:
    answer = octt.answer("Authorize").require()
    assert answer.get("certificateStatus") == status, f"Authorize: {answer}"
    assert certificates.pki is not None
    assert certificates.pki.asked >= 1, "the CSMS did not ask the OCSP responder"


@when("the station starts a transaction with the contract's eMAID")
def starts_with_contract(octt: Conformance) -> None:
    octt.transaction_event("Started", "Authorized", token=m.Token(EMAID, "eMAID"))
