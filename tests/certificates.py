"""Throw-away X.509 material for TLS tests: a CA, a server certificate for 127.0.0.1, and station
client certificates (CN = station identity), written as PEM files, made fresh for each run."""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from evharness import x509 as certs


@dataclass(frozen=True)
class KeyPair:
    cert: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "evharness"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def _write(directory: Path, stem: str, cert: x509.Certificate, key: PrivateKey) -> KeyPair:
    cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return KeyPair(cert_path, key_path)


class ThrowawayPki:
    """A CA in `directory` that signs a server certificate and any number of station certificates."""

    def __init__(self, directory: Path, name: str = "evharness test CA") -> None:
        self.directory = directory
        self._ca_key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        self._ca_cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(self._ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self._ca_key, hashes.SHA256())
        )
        self.ca = _write(directory, "ca", self._ca_cert, self._ca_key).cert

    def issue(self, common_name: str, *, server: bool, key_type: str = "ecdsa") -> KeyPair:
        """A certificate signed by the CA: ECDSA P-256 (or `key_type="rsa"`, 2048 bits)."""
        key: PrivateKey = (
            rsa.generate_private_key(65537, 2048)
            if key_type == "rsa"
            else ec.generate_private_key(ec.SECP256R1())
        )
        now = datetime.datetime.now(datetime.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self._ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False,
            ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        else:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
            )
        cert = builder.sign(self._ca_key, hashes.SHA256())
        stem = common_name if key_type == "ecdsa" else f"{common_name}-{key_type}"
        return _write(self.directory, stem, cert, key)


class SigningCa:
    """A CA that signs the station's CSRs, as a CSMS would."""

    def __init__(self, at: float, name: str = "Test CSMS CA") -> None:
        self.key = certs.new_key()
        self.at = at
        self.certificate = certs.self_signed_ca(self.key, name, at - 60)

    @property
    def pem(self) -> str:
        return certs.pem_of(self.certificate)

    def sign(self, csr: str, days: int = 365, at: float | None = None) -> str:
        request = certs.load_csr(csr)
        public_key = request.public_key()
        assert isinstance(public_key, ec.EllipticCurvePublicKey)
        leaf = certs.issue(public_key, request.subject, self.certificate, self.key, at or self.at, days)
        return certs.pem_of(leaf) + self.pem
