"""Security profiles on the CSMS side (1.6 security white paper, 2.0.1 A00): who may connect.

Profile 1: HTTP Basic auth on ws://; 2: Basic auth on wss://; 3: wss:// with a client certificate
signed by our CA whose CN is the station identity (A00.FR.405: the serial number; the simulator
uses the identity as its serial number). Exactly one profile is active (A00.FR.001/002): a
station without credentials, with a username other than its identity (TC_A_02) or a wrong
password (TC_A_03) is refused with HTTP 401 before the upgrade. Passwords are stored only as
salted scrypt hashes (A01.FR.08) in a JSON file `{identity: hash}` and never logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import http
import json
import secrets
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    encoded = [base64.b64encode(part).decode("ascii") for part in (salt, digest)]
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encoded[0]}${encoded[1]}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, binascii.Error):
        return False
    return scheme == "scrypt" and hmac.compare_digest(actual, expected)


@dataclass
class StationPasswords:
    """The hashed Basic-auth passwords, by station identity, kept in a JSON file."""

    path: Path | None = None
    hashes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | str) -> StationPasswords:
        file = Path(path)
        hashes = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
        return cls(file, hashes)

    def set(self, identity: str, password: str) -> None:
        self.hashes[identity] = hash_password(password)
        if self.path is not None:
            self.path.write_text(json.dumps(self.hashes, indent=2), encoding="utf-8")

    def check(self, identity: str, password: str) -> bool:
        stored = self.hashes.get(identity)
        return stored is not None and verify_password(password, stored)


def basic_credentials(headers: Headers) -> tuple[str, str] | None:
    value = headers.get("Authorization", "")
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, sep, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (username, password) if sep else None


@dataclass
class SecurityPolicy:
    profile: int = 0
    passwords: StationPasswords = field(default_factory=StationPasswords)
    cert_file: Path | str | None = None
    key_file: Path | str | None = None
    ca_file: Path | str | None = None  # the CA that signs station certificates (profile 3)

    def __post_init__(self) -> None:
        if self.profile not in (0, 1, 2, 3):
            raise ValueError(f"--security-profile {self.profile}: must be 0, 1, 2 or 3")
        if self.profile >= 2 and not (self.cert_file and self.key_file):
            raise ValueError(f"security profile {self.profile} needs --tls-cert and --tls-key")
        if self.profile == 3 and not self.ca_file:
            raise ValueError("security profile 3 needs --tls-ca (the CA of the station certificates)")

    def ssl_context(self) -> ssl.SSLContext | None:
        """TLS ≥ 1.2, no compression (A00.FR.318/321); client certificates required on profile 3."""
        if self.profile < 2:
            return None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.options |= ssl.OP_NO_COMPRESSION
        assert self.cert_file is not None
        context.load_cert_chain(self.cert_file, self.key_file)
        if self.profile == 3:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(cafile=self.ca_file)
        return context

    def refusal(self, connection: ServerConnection, request: Request, identity: str) -> Response | None:
        """None when `identity` may connect, else the HTTP response that refuses it."""
        if self.profile in (1, 2):
            credentials = basic_credentials(request.headers)
            if credentials is None:
                return _refuse(http.HTTPStatus.UNAUTHORIZED, "HTTP Basic authentication required")
            username, password = credentials
            if username != identity or not self.passwords.check(identity, password):
                return _refuse(http.HTTPStatus.UNAUTHORIZED, "wrong station identity or password")
        elif self.profile == 3:
            common_name = _peer_common_name(connection)
            if common_name != identity:  # A00.FR.405/407
                return _refuse(http.HTTPStatus.FORBIDDEN, "the client certificate does not name this station")
        return None


def _peer_common_name(connection: ServerConnection) -> str | None:
    ssl_object = connection.transport.get_extra_info("ssl_object")
    certificate = ssl_object.getpeercert() if ssl_object is not None else None
    if not certificate:
        return None
    for rdn in certificate.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return None


def _refuse(status: http.HTTPStatus, text: str) -> Response:
    headers = Headers([("Content-Type", "text/plain; charset=utf-8")])
    if status is http.HTTPStatus.UNAUTHORIZED:
        headers["WWW-Authenticate"] = 'Basic realm="ocpp"'
    return Response(status.value, status.phrase, headers, f"{text}\n".encode())
