"""X.509 pieces a station and a CSMS both need (OCPP 2.0.1 A00/A02/M, 1.6 security white paper).

Keys are ECDSA on secp256r1 (A00.FR.501: the curve the OCPP certificates use). `hash_data` is OCPP's
CertificateHashDataType — the issuer's name and key hashed as an OCSP CertID does (RFC 6960 §4.1.1),
the serial number in hexadecimal — the same fields on 1.6 and 2.0.1. `chain_problem` says why a
certificate chain a CSMS sent will not do for the key the station asked a certificate for. Pure
functions of their arguments: time is passed in (`at`, epoch seconds), nothing is read or written.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

HashAlgorithm = Literal["SHA256", "SHA384", "SHA512"]
HASHES: dict[HashAlgorithm, type[hashes.HashAlgorithm]] = {
    "SHA256": hashes.SHA256,
    "SHA384": hashes.SHA384,
    "SHA512": hashes.SHA512,
}
PrivateKey = ec.EllipticCurvePrivateKey
PublicKey = ec.EllipticCurvePublicKey
Certificate = x509.Certificate


@dataclass(frozen=True, slots=True)
class HashData:
    """A certificate's id (CertificateHashDataType): compared field by field, hex case-insensitive."""

    algorithm: HashAlgorithm
    issuer_name_hash: str
    issuer_key_hash: str
    serial_number: str

    def to_wire(self) -> dict[str, str]:
        return {
            "hashAlgorithm": self.algorithm,
            "issuerNameHash": self.issuer_name_hash,
            "issuerKeyHash": self.issuer_key_hash,
            "serialNumber": self.serial_number,
        }

    @classmethod
    def from_wire(cls, data: dict[str, str]) -> HashData:
        algorithm = data["hashAlgorithm"]
        if algorithm not in HASHES:
            raise ValueError(f"hashAlgorithm {algorithm!r}: one of {', '.join(HASHES)}")
        return cls(algorithm, data["issuerNameHash"], data["issuerKeyHash"], data["serialNumber"])

    def same(self, other: HashData) -> bool:
        return (
            self.algorithm == other.algorithm
            and self.issuer_name_hash.lower() == other.issuer_name_hash.lower()
            and self.issuer_key_hash.lower() == other.issuer_key_hash.lower()
            and self.serial_number.lower().lstrip("0") == other.serial_number.lower().lstrip("0")
        )


def moment(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def new_key() -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key: PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def load_key(pem: str) -> PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("not an ECDSA private key")
    return key


def name(common_name: str, organization: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(parts)


def csr_pem(key: PrivateKey, common_name: str, organization: str) -> str:
    """A PKCS#10 request (A02.FR.02: CN the station's identity, O its organization name), in PEM."""
    request = x509.CertificateSigningRequestBuilder().subject_name(name(common_name, organization))
    return request.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()


def load_csr(pem: str) -> x509.CertificateSigningRequest:
    try:
        return x509.load_pem_x509_csr(pem.encode())
    except ValueError as exc:
        raise ValueError(f"not a PEM certificate signing request: {exc}") from None


def common_name(subject: x509.Name) -> str | None:
    values = subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else None


def load_chain(pem: str) -> list[x509.Certificate]:
    """The certificates of a PEM text, leaf first; ValueError if there is none or one is broken."""
    try:
        chain = x509.load_pem_x509_certificates(pem.encode())
    except ValueError as exc:
        raise ValueError(f"not a PEM certificate chain: {exc}") from None
    return chain


def pem_of(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def is_ca(certificate: x509.Certificate) -> bool:
    """basicConstraints CA:TRUE."""
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def is_self_signed(certificate: x509.Certificate) -> bool:
    return certificate.issuer == certificate.subject and signed_by(certificate, certificate)


def signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _public_key_bits(certificate: x509.Certificate) -> bytes:
    """The subjectPublicKey BIT STRING's content, as an OCSP CertID hashes it (RFC 6960 §4.1.1)."""
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)


def hash_data(
    certificate: x509.Certificate, issuer: x509.Certificate | None = None, algorithm: HashAlgorithm = "SHA256"
) -> HashData:
    """The certificate's CertificateHashData; `issuer` None: it issued itself (a root)."""
    issuer = issuer or certificate

    def digest(data: bytes) -> str:
        hasher = hashes.Hash(HASHES[algorithm]())
        hasher.update(data)
        return hasher.finalize().hex()

    return HashData(
        algorithm,
        digest(certificate.issuer.public_bytes()),
        digest(_public_key_bits(issuer)),
        format(certificate.serial_number, "x"),
    )


def responder_url(certificate: x509.Certificate) -> str | None:
    """The OCSP responder the certificate names (its Authority Information Access), if any."""
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    for description in access:
        if description.access_method == AuthorityInformationAccessOID.OCSP:
            return str(description.access_location.value)
    return None


def self_signed_ca(key: PrivateKey, subject: str, at: float, days: int = 3650) -> x509.Certificate:
    """A root CA certificate valid from `at` for `days`."""
    builder = _builder(name(subject), name(subject), key.public_key(), at, days, ca=True)
    return builder.sign(key, hashes.SHA256())


def issue(
    public_key: ec.EllipticCurvePublicKey,
    subject: x509.Name,
    issuer: x509.Certificate,
    issuer_key: PrivateKey,
    at: float,
    days: int,
    *,
    ca: bool = False,
    ocsp_url: str | None = None,
) -> x509.Certificate:
    """A certificate for `public_key`, signed by `issuer`; names `ocsp_url` as its OCSP responder."""
    builder = _builder(subject, issuer.subject, public_key, at, days, ca=ca)
    if ocsp_url:
        where = x509.UniformResourceIdentifier(ocsp_url)
        access = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, where)
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    at: float,
    days: int,
    *,
    ca: bool,
) -> x509.CertificateBuilder:
    start = moment(at) - timedelta(minutes=5)  # a little slack for clocks that differ
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(moment(at) + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )


def valid_at(certificate: x509.Certificate, at: float) -> bool:
    when = moment(at)
    return certificate.not_valid_before_utc <= when <= certificate.not_valid_after_utc


def same_key(certificate: x509.Certificate, key: PrivateKey) -> bool:
    ours = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    theirs = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return ours == theirs


def chain_problem(pem: str, key: PrivateKey, at: float, max_length: int = 10_000) -> str | None:
    """Why `pem` is not a valid certificate chain for `key` at `at` (A02.FR.06/07), or None: it
    parses, fits `max_length`, its leaf holds `key`, each certificate is valid now and signed by the
    next one."""
    if len(pem) > max_length:
        return f"the chain has {len(pem)} characters, more than {max_length}"
    try:
        chain = load_chain(pem)
    except ValueError as exc:
        return str(exc)
    if not same_key(chain[0], key):
        return "the certificate is not for the key of the signing request"
    for certificate in chain:
        if not valid_at(certificate, at):
            return f"{certificate.subject.rfc4514_string()} is not valid now"
    for child, parent in itertools.pairwise(chain):
        if not signed_by(child, parent):
            return f"{child.subject.rfc4514_string()} is not signed by {parent.subject.rfc4514_string()}"
    return None


# -- OCSP (RFC 6960): a CSMS asks the responder a certificate names (M06, C07) ------------------------


def ocsp_request(hashed: HashData) -> bytes:
    """The DER OCSP request for the certificate `hashed` identifies (OCSPRequestDataType's fields)."""
    builder = ocsp.OCSPRequestBuilder().add_certificate_by_hash(
        bytes.fromhex(hashed.issuer_name_hash),
        bytes.fromhex(hashed.issuer_key_hash),
        int(hashed.serial_number, 16),
        HASHES[hashed.algorithm](),
    )
    return builder.build().public_bytes(serialization.Encoding.DER)


def ocsp_answer(
    request_der: bytes,
    issuer: x509.Certificate,
    issuer_key: PrivateKey,
    known: dict[int, x509.Certificate],
    revoked: set[int],
    at: float,
) -> bytes:
    """A responder's DER answer: GOOD or REVOKED for a serial in `known` (issued by `issuer`),
    UNAUTHORIZED for anything else."""
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    certificate = known.get(request.serial_number)
    if certificate is None:
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    status = ocsp.OCSPCertStatus.REVOKED if request.serial_number in revoked else ocsp.OCSPCertStatus.GOOD
    when = moment(at)
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=certificate,
            issuer=issuer,
            algorithm=request.hash_algorithm,
            cert_status=status,
            this_update=when,
            next_update=when + timedelta(days=1),
            revocation_time=when if status is ocsp.OCSPCertStatus.REVOKED else None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
    )
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def ocsp_status(response_der: bytes) -> str:
    """What a DER OCSP answer says: GOOD, REVOKED, UNKNOWN, or the responder's failure (UNAUTHORIZED …)."""
    response = ocsp.load_der_ocsp_response(response_der)
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        return response.response_status.name
    return response.certificate_status.name
