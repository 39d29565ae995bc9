"""Security profiles on the CSMS side (1.6 security white paper, 2.0.1 A00): who may connect.

Profile 1: HTTP Basic auth on ws://; 2: Basic auth on wss://; 3: wss:// with a client certificate
signed by our CA whose CN is the station identity (A00.FR.405: the serial number; the simulator
uses the identity as its serial number). Exactly one profile is active (A00.FR.001/002). This
policy sets up TLS, checks the certificate and says when Basic auth is asked for; the password
itself is checked against the database's hash (`domain.credentials`, the one store). On profiles 1
and 2 a station without credentials, with a username other than its identity (TC_A_02), a wrong
password (TC_A_03) or no password on record is refused with HTTP 401 before the upgrade; on
profile 3 the certificate alone proves the station (a stored password is not asked for).
"""

from __future__ import annotations

import http
import ssl
from dataclasses import dataclass
from pathlib import Path

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from reference_backend.domain.credentials import BasicAuth

BASIC_AUTH_BY_PROFILE = {
    0: BasicAuth.IF_STORED,
    1: BasicAuth.REQUIRED,
    2: BasicAuth.REQUIRED,
    3: BasicAuth.NOT_USED,
}


@dataclass
class SecurityPolicy:
    profile: int = 0
    cert_file: Path | str | None = None
    key_file: Path | str | None = None
    ca_file: Path | str | None = None  # the CA that signs station certificates (profile 3)

    def __post_init__(self) -> None:
        if self.profile not in BASIC_AUTH_BY_PROFILE:
            raise ValueError(f"--security-profile {self.profile}: must be 0, 1, 2 or 3")
        if self.profile >= 2 and not (self.cert_file and self.key_file):
            raise ValueError(f"security profile {self.profile} needs --tls-cert and --tls-key")
        if self.profile == 3 and not self.ca_file:
            raise ValueError("security profile 3 needs --tls-ca (the CA of the station certificates)")

    @property
    def basic_auth(self) -> BasicAuth:
        """When stations must present the database's password (`domain.credentials`)."""
        return BASIC_AUTH_BY_PROFILE[self.profile]

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
        """None when the TLS layer lets `identity` connect, else the HTTP response that refuses it."""
        if self.profile == 3 and _peer_common_name(connection) != identity:  # A00.FR.405/407
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
    return Response(status.value, status.phrase, headers, f"{text}\n".encode())
