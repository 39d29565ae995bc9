"""ISO 15118 certificate management at the CSMS (2.0.1 M01/M02/M06): the EV's EXI request goes to
the contract-certificate source; a certificate's status is a real OCSP request to the responder the
request names (a local one, `evharness.conformance.pki`)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from evharness import x509
from evharness.conformance.pki import Pki
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import Store

from .helpers import NOW, boot_201, call, transaction_event


@pytest.fixture
def connection(store: Store) -> CsmsConnection:
    made = CsmsConnection("CP-1", OcppVersion.V201, store, validate_outgoing=True)
    call(made, "BootNotification", boot_201())
    return made


@pytest.mark.parametrize("action", ["Install", "Update"])
def test_the_ev_certificate_request_is_answered_by_the_contract_source(
    connection: CsmsConnection, action: str
) -> None:
    exi = base64.b64encode(b"an EXI CertificateInstallationReq").decode()
    answer = call(
        connection, "Get15118EVCertificate", {"iso15118SchemaVersion": "urn:iso:15118:2:2013:MsgDef",
                                              "action": action, "exiRequest": exi}, "m2",
    )  # fmt: skip
    assert answer["status"] == "Accepted"
    made_up = base64.b64decode(answer["exiResponse"])
    assert made_up.endswith(hashlib.sha256(b"an EXI CertificateInstallationReq").digest())


def test_a_request_that_is_not_base64_fails_with_why(connection: CsmsConnection) -> None:
    payload = {"iso15118SchemaVersion": "x", "action": "Install", "exiRequest": "not base64!"}
    answer = call(connection, "Get15118EVCertificate", payload, "m2")
    assert answer["status"] == "Failed"
    assert answer["statusInfo"]["additionalInfo"] == "exiRequest is not base64"


@pytest.mark.parametrize(("revoked", "expected"), [(False, "GOOD"), (True, "REVOKED")])
def test_the_certificate_status_comes_from_the_ocsp_responder(
    connection: CsmsConnection, revoked: bool, expected: str
) -> None:
    with Pki() as pki:
        leaf = pki.issue("CP-1")
        if revoked:
            pki.revoked.add(leaf.serial_number)
        answer = call(
            connection, "GetCertificateStatus", {"ocspRequestData": pki.ocsp_request_data(leaf)}, "m2"
        )
        assert pki.asked == 1
    assert answer["status"] == "Accepted"
    assert x509.ocsp_status(base64.b64decode(answer["ocspResult"])) == expected


def test_an_unreachable_responder_is_failed_with_why(connection: CsmsConnection) -> None:
    with Pki() as pki:
        data = pki.ocsp_request_data(pki.issue("CP-1"))
    answer = call(connection, "GetCertificateStatus", {"ocspRequestData": data}, "m2")  # now stopped
    assert answer["status"] == "Failed"
    assert answer["statusInfo"]["reasonCode"] == "OCSPUnavailable"


# -- contract certificates at Authorize (C07) -----------------------------------------------------

EMAID = {"idToken": "DE*EVH*C00000001*1", "type": "eMAID"}


def test_a_contract_is_accepted_by_its_ocsp_status_and_then_authorizes_transactions(
    connection: CsmsConnection,
) -> None:
    with Pki() as pki:
        contract = pki.issue("DE*EVH*C00000001*1")
        data = [pki.ocsp_request_data(contract)]
        answer = call(connection, "Authorize", {"idToken": EMAID, "iso15118CertificateHashData": data}, "m2")
    assert answer == {"idTokenInfo": {"status": "Accepted"}, "certificateStatus": "Accepted"}
    started = transaction_event("Started", 0, 0, reason="Authorized", idToken=EMAID, evse={"id": 1})
    assert call(connection, "TransactionEvent", started, "m3")["idTokenInfo"]["status"] == "Accepted"


def test_an_emaid_without_contract_data_is_decided_as_any_token(connection: CsmsConnection) -> None:
    answer = call(connection, "Authorize", {"idToken": EMAID}, "m2")
    assert answer == {"idTokenInfo": {"status": "Unknown"}}  # not provisioned


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("revoked", "CertificateRevoked"),
        ("unreachable", "NoCertificateAvailable"),
        ("broken chain", "CertChainError"),
        ("central", "Accepted"),
    ],
)
def test_the_certificate_status_says_why(connection: CsmsConnection, case: str, expected: str) -> None:
    with Pki(at=NOW) as pki:
        contract = pki.issue("DE*EVH*C00000001*1")
        payload: dict[str, object] = {"idToken": EMAID}
        match case:
            case "revoked":
                pki.revoked.add(contract.serial_number)
                payload["iso15118CertificateHashData"] = [pki.ocsp_request_data(contract)]
            case "unreachable":
                nowhere = {"responderURL": "http://127.0.0.1:9/"}  # nothing listens on the discard port
                payload["iso15118CertificateHashData"] = [pki.ocsp_request_data(contract) | nowhere]
            case "broken chain":
                payload["certificate"] = x509.pem_of(contract) + x509.pem_of(Pki().root)
            case "central":
                payload["certificate"] = x509.pem_of(contract) + x509.pem_of(pki.root)
        answer = call(connection, "Authorize", payload, "m2")
    assert answer["certificateStatus"] == expected
    assert (answer["idTokenInfo"]["status"] == "Accepted") is (expected == "Accepted")
