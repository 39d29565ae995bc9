"""The station's certificates as `simulator.core.certificates` says: each row of the signing table,
the store (install, ids, delete), chain checks, retries and renewal, and what the journal keeps."""

from __future__ import annotations

import pytest

from evharness import x509
from evharness.simulator.core.certificates import (
    RENEW_BEFORE_S,
    TABLE,
    Certificates,
    SignEffect,
    SignRequest,
    SignState,
)
from evharness.simulator.core.model import Own, Use
from tests.certificates import SigningCa

NOW = 1_800_000_000.0


def asked(certificates: Certificates, own: Own = Own.STATION) -> str:
    csr = certificates.ask(own, NOW, 60)
    assert csr is not None
    return csr


ROWS = [(state, request) for state, row in TABLE.items() for request in row]


@pytest.mark.parametrize(("state", "request_"), ROWS, ids=lambda v: v.value)
def test_each_row_of_the_signing_table(state: SignState, request_: SignRequest) -> None:
    certificates = Certificates("CS-1")
    certificates.signing[Own.STATION].state = state
    following, effect = TABLE[state][request_]
    assert certificates.handle(Own.STATION, request_) is effect
    assert certificates.signing[Own.STATION].state is following


def test_a_request_not_in_a_state_s_row_changes_nothing() -> None:
    certificates = Certificates("CS-1")
    assert certificates.handle(Own.STATION, SignRequest.ACCEPTED) is SignEffect.NONE
    assert certificates.signing[Own.STATION].state is SignState.IDLE


def test_the_csr_names_the_station_and_its_organization() -> None:
    certificates = Certificates("CS-1", organization="Acme CPO")
    request = x509.load_csr(asked(certificates))
    assert x509.common_name(request.subject) == "CS-1"
    assert "O=Acme CPO" in request.subject.rfc4514_string()
    assert request.is_signature_valid


def test_a_second_ask_while_one_is_on_its_way_sends_nothing() -> None:
    certificates = Certificates("CS-1")
    asked(certificates)
    assert certificates.ask(Own.STATION, NOW, 60) is None


def test_a_valid_chain_for_the_pending_key_is_installed() -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    csr = asked(certificates)
    certificates.answered(Own.STATION, True, NOW)
    result = certificates.signed(Own.STATION, ca.sign(csr), NOW + 1)
    assert result.status == "Accepted"
    assert certificates.own[Own.STATION].expires_at == pytest.approx(NOW + 365 * 86_400)
    assert certificates.signing[Own.STATION].state is SignState.IDLE


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("another key", "not for the key"),
        ("expired", "not valid now"),
        ("not PEM", "not a PEM certificate chain"),
        ("wrong issuer", "is not signed by"),
    ],
)
def test_a_chain_that_will_not_do_is_refused_with_why(case: str, reason: str) -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    csr = asked(certificates)
    certificates.answered(Own.STATION, True, NOW)
    match case:
        case "another key":
            chain = ca.sign(x509.csr_pem(x509.new_key(), "CS-1", "evharness"))
        case "expired":
            chain = ca.sign(csr, days=1, at=NOW - 3 * 86_400)
        case "not PEM":
            chain = "-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n"
        case _:
            chain = ca.sign(csr).split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
            chain += SigningCa(NOW, "Someone else").pem
    result = certificates.signed(Own.STATION, chain, NOW)
    assert result.status == "Rejected"
    assert result.reason is not None
    assert reason in result.reason
    assert certificates.signing[Own.STATION].state is SignState.WAITING  # a good one may still come
    assert Own.STATION not in certificates.own


def test_the_tester_can_refuse_every_certificate_signed() -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    certificates.choices.choose("signed", "refuse")
    csr = asked(certificates)
    assert certificates.signed(Own.STATION, ca.sign(csr), NOW).status == "Rejected"


def test_a_certificate_nobody_asked_for_is_refused() -> None:
    result = Certificates("CS-1").signed(Own.STATION, SigningCa(NOW).pem, NOW)
    assert result.status == "Rejected"
    assert result.reason == "no station certificate was requested"


def test_without_certificate_signed_the_request_is_sent_again_with_the_wait_doubled() -> None:
    certificates = Certificates("CS-1")
    csr = asked(certificates)
    certificates.answered(Own.STATION, True, NOW)
    assert certificates.deadline() == NOW + 60
    assert certificates.due(NOW + 59, repeat_times=2) == []
    assert certificates.due(NOW + 60, repeat_times=2) == [(Own.STATION, csr)]
    certificates.answered(Own.STATION, True, NOW + 61)
    assert certificates.deadline() == NOW + 61 + 120
    assert certificates.due(NOW + 181, repeat_times=2) == [(Own.STATION, csr)]
    certificates.answered(Own.STATION, True, NOW + 182)
    assert certificates.due(NOW + 182 + 240, repeat_times=2) == []  # every attempt used: given up
    assert certificates.signing[Own.STATION].state is SignState.IDLE
    assert certificates.deadline() is None


def test_a_certificate_about_to_expire_is_renewed() -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    csr = asked(certificates)
    certificates.signed(Own.STATION, ca.sign(csr, days=40), NOW)
    renew_at = certificates.own[Own.STATION].expires_at - RENEW_BEFORE_S
    assert certificates.deadline() == pytest.approx(renew_at)
    ((own, new_csr),) = certificates.due(renew_at + 1, repeat_times=3)
    assert own is Own.STATION
    assert new_csr != csr


def test_a_lost_connection_forgets_an_unanswered_request() -> None:
    certificates = Certificates("CS-1")
    asked(certificates)
    certificates.connection_lost()
    assert certificates.signing[Own.STATION].state is SignState.IDLE
    assert certificates.ask(Own.STATION, NOW, 60) is not None


# -- the store ----------------------------------------------------------------------------------


def test_install_list_and_delete_a_root() -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    assert certificates.install(Use.CSMS_ROOT, ca.pem, NOW) == ("Accepted", None)
    assert certificates.install(Use.CSMS_ROOT, ca.pem, NOW) == ("Accepted", None)  # kept once
    ((use, hashed, children),) = certificates.ids(None)
    assert use is Use.CSMS_ROOT
    assert children == []
    assert hashed == x509.hash_data(ca.certificate)
    assert certificates.ids({Use.V2G_ROOT}) == []
    assert certificates.delete(hashed) == "Accepted"
    assert certificates.delete(hashed) == "NotFound"
    assert certificates.ids(None) == []


@pytest.mark.parametrize("algorithm", ["SHA256", "SHA384", "SHA512"])
def test_ids_in_each_hash_algorithm_find_the_same_certificate(algorithm: x509.HashAlgorithm) -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    certificates.install(Use.MANUFACTURER_ROOT, ca.pem, NOW)
    ((_, hashed, _),) = certificates.ids(None, algorithm)
    assert hashed.algorithm == algorithm
    assert certificates.delete(hashed) == "Accepted"


def test_an_invalid_certificate_is_rejected_and_a_full_store_fails() -> None:
    certificates = Certificates("CS-1", capacity=1)
    status, reason = certificates.install(Use.CSMS_ROOT, "not a certificate", NOW)
    assert status == "Rejected"
    assert reason is not None
    assert (
        certificates.install(Use.CSMS_ROOT, SigningCa(NOW).pem, NOW + 86_400 * 4000)[0] == "Rejected"
    )  # expired
    assert certificates.install(Use.CSMS_ROOT, SigningCa(NOW).pem, NOW)[0] == "Accepted"
    assert certificates.install(Use.V2G_ROOT, SigningCa(NOW).pem, NOW) == (
        "Failed",
        "the certificate store is full (1)",
    )


def test_the_station_s_own_certificate_cannot_be_deleted() -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    chain = ca.sign(asked(certificates))
    certificates.signed(Own.STATION, chain, NOW)
    leaf = x509.load_chain(chain)[0]
    assert certificates.delete(x509.hash_data(leaf, ca.certificate)) == "Failed"


def test_the_v2g_chain_is_reported_with_its_sub_ca() -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    certificates.signed(Own.V2G, ca.sign(asked(certificates, Own.V2G)), NOW)
    ((use, hashed, (child,)),) = certificates.ids({Use.V2G_CHAIN})
    assert use is Use.V2G_CHAIN
    assert child == x509.hash_data(ca.certificate)
    assert hashed.issuer_key_hash == x509.hash_data(ca.certificate).issuer_key_hash


@pytest.mark.parametrize(("choice", "status"), [("reject", "Rejected"), ("fail", "Failed")])
def test_the_tester_chooses_install_and_delete_outcomes(choice: str, status: str) -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    certificates.install(Use.CSMS_ROOT, ca.pem, NOW)
    certificates.choices.choose("install", choice)
    certificates.choices.choose("delete", "fail")
    assert certificates.install(Use.MO_ROOT, SigningCa(NOW).pem, NOW)[0] == status
    assert certificates.delete(x509.hash_data(ca.certificate)) == "Failed"


def test_what_the_journal_keeps_comes_back() -> None:
    certificates, ca = Certificates("CS-1"), SigningCa(NOW)
    certificates.install(Use.CSMS_ROOT, ca.pem, NOW)
    certificates.signed(Own.STATION, ca.sign(asked(certificates)), NOW)
    pending = asked(certificates, Own.V2G)
    restored = Certificates("CS-1")
    restored.load_data(certificates.to_data())
    assert restored.ids(None) == certificates.ids(None)
    assert restored.own == certificates.own
    assert restored.signing[Own.V2G].state is SignState.WAITING
    assert restored.signed(Own.V2G, ca.sign(pending), NOW).status == "Accepted"
