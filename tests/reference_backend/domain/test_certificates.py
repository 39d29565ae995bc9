"""Which CSRs the CSMS's CA signs (A02.FR.02–05), and what it issues."""

from __future__ import annotations

import pytest

from evharness import x509
from evharness.reference_backend.domain.certificates import csr_refusal, issue, new_authority

NOW = 1_800_000_000.0


def test_a_csr_naming_the_station_is_signed_with_the_ca_after_it() -> None:
    authority = new_authority(NOW)
    key = x509.new_key()
    issued = issue(authority, x509.csr_pem(key, "CS-1", "Acme"), NOW)
    leaf, ca = x509.load_chain(issued.chain)
    assert x509.same_key(leaf, key)
    assert x509.signed_by(leaf, ca)
    assert ca == authority.certificate
    assert x509.chain_problem(issued.chain, key, NOW + 1) is None
    assert issued.serial_number == format(leaf.serial_number, "x")


@pytest.mark.parametrize(
    ("csr", "why"),
    [
        (x509.csr_pem(x509.new_key(), "CS-2", "Acme"), "not the station's identity"),
        ("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", "not a PEM"),
        ("hello", "not a PEM"),
    ],
)
def test_other_csrs_are_refused_with_why(csr: str, why: str) -> None:
    refusal = csr_refusal(csr, "CS-1")
    assert refusal is not None
    assert why in refusal
