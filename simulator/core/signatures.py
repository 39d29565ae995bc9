"""Firmware signing (2.0.1 L01, 1.6 security extension SignedUpdateFirmware) with `cryptography`.

`certificate_problem` says why a signing certificate cannot be used (not PEM, expired), and
`signature_valid` checks the base64 signature of the downloaded file with the certificate's public key
(RSA PKCS#1 v1.5 or ECDSA, SHA-256 — the usual choices for firmware signing).
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa


def certificate_problem(pem: str, now: float) -> str | None:
    """None when `pem` is an X.509 certificate valid at `now`; else what is wrong with it."""
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        return "the signing certificate is not a PEM X.509 certificate"
    moment = datetime.fromtimestamp(now, UTC)
    if not certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc:
        return "the signing certificate is not valid now"
    return None


def signature_valid(pem: str, signature: str, content: bytes) -> bool:
    """Whether `signature` (base64) signs `content` with the key of the certificate `pem`."""
    try:
        key = x509.load_pem_x509_certificate(pem.encode()).public_key()
        raw = base64.b64decode(signature, validate=True)
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(raw, content, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(raw, content, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (ValueError, binascii.Error, InvalidSignature):
        return False
    return True
