"""The CSMS's certificate authority for its stations (2.0.1 A02/A03, 1.6 security white paper).

Theory of operation: the CSMS signs a station's CSR (SignCertificate) when the request is well
formed, its signature holds and its subject's CN is the station's identity (A02.FR.02: the CN is the
charging station's serial number, here its identity); then it sends the chain — the new certificate
and the CA's — in CertificateSigned. `Authority` is the CA: made once and kept by the store, or the
operator's own. Plain functions of their arguments; the time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric import ec

from evharness import x509

SIGNED_DAYS = 365  # how long a certificate the CSMS signs is valid
AUTHORITY_DAYS = 3650
AUTHORITY_NAME = "evharness reference CSMS CA"


@dataclass(frozen=True)
class Authority:
    certificate_pem: str
    key_pem: str

    @cached_property
    def certificate(self) -> x509.Certificate:
        return x509.load_chain(self.certificate_pem)[0]

    @cached_property
    def key(self) -> x509.PrivateKey:
        return x509.load_key(self.key_pem)


def new_authority(at: float, name: str = AUTHORITY_NAME) -> Authority:
    key = x509.new_key()
    return Authority(x509.pem_of(x509.self_signed_ca(key, name, at, AUTHORITY_DAYS)), x509.key_pem(key))


def authority_problem(authority: Authority, at: float) -> str | None:
    """Why the operator's CA cannot sign certificates, or None."""
    try:
        certificate, key = authority.certificate, authority.key
    except ValueError as exc:
        return str(exc)
    if not x509.same_key(certificate, key):
        return "the key is not the certificate's"
    if not x509.is_ca(certificate):
        return "the certificate is not a CA certificate (basicConstraints CA:TRUE)"
    if not x509.valid_at(certificate, at):
        return "the certificate is not valid now"
    return None


def csr_refusal(csr_pem: str, identity: str) -> str | None:
    """Why the CSMS will not sign this CSR for `identity`, or None."""
    try:
        request = x509.load_csr(csr_pem)
    except ValueError as exc:
        return str(exc)
    if not request.is_signature_valid:
        return "the request's signature does not hold"
    if not isinstance(request.public_key(), ec.EllipticCurvePublicKey):
        return "the request's key is not an ECDSA key"
    cn = x509.common_name(request.subject)
    if cn != identity:
        return f"the request's CN is {cn!r}, not the station's identity {identity!r}"
    return None


@dataclass(frozen=True, slots=True)
class Issued:
    chain: str  # PEM: the new certificate, then the CA's
    serial_number: str  # hexadecimal
    expires_at: float


def issue(authority: Authority, csr_pem: str, at: float, days: int = SIGNED_DAYS) -> Issued:
    """The certificate for a CSR `csr_refusal` let through, with the CA's certificate after it."""
    request = x509.load_csr(csr_pem)
    public_key = request.public_key()
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    leaf = x509.issue(public_key, request.subject, authority.certificate, authority.key, at, days)
    return Issued(
        x509.pem_of(leaf) + authority.certificate_pem,
        format(leaf.serial_number, "x"),
        leaf.not_valid_after_utc.timestamp(),
    )
