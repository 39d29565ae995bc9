"""The operator's own CA signs the stations' CSRs (--ca-cert, --ca-key); a pair that cannot is refused
at start, naming the option."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evharness import x509
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.settings import BackendSettings


def write(tmp_path: Path, certificate: x509.Certificate, key: x509.PrivateKey) -> tuple[str, str]:
    cert_path, key_path = tmp_path / "ca.pem", tmp_path / "ca.key"
    cert_path.write_text(x509.pem_of(certificate))
    key_path.write_text(x509.key_pem(key))
    return str(cert_path), str(key_path)


def settings(database_url: str, cert: str | None, key: str | None) -> BackendSettings:
    return BackendSettings(ocpp_port=0, api_port=0, database_url=database_url, ca_cert=cert, ca_key=key)


def test_the_operators_ca_is_the_one_in_use(tmp_path: Path, database_url: str) -> None:
    key = x509.new_key()
    certificate = x509.self_signed_ca(key, "Operator CA", time.time())
    cert_path, key_path = write(tmp_path, certificate, key)

    async def started() -> x509.Certificate:
        async with BackendServer(settings(database_url, cert_path, key_path)) as backend:
            return backend.store.certificate_authority(datetime.now(UTC)).certificate

    assert asyncio.run(started()) == certificate


@pytest.mark.parametrize("case", ["not a CA", "another key", "only the certificate"])
def test_a_ca_that_cannot_sign_is_refused_naming_the_option(
    tmp_path: Path, database_url: str, case: str
) -> None:
    key = x509.new_key()
    certificate = x509.self_signed_ca(key, "Operator CA", time.time())
    if case == "not a CA":
        certificate = x509.issue(key.public_key(), x509.name("leaf"), certificate, key, time.time(), 30)
    cert_path, key_path = write(tmp_path, certificate, x509.new_key() if case == "another key" else key)
    with pytest.raises(ValueError, match="--ca-") as refused:
        BackendServer(settings(database_url, cert_path, None if case == "only the certificate" else key_path))
    assert case != "not a CA" or "not a CA certificate" in str(refused.value)
