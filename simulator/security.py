"""How a station proves who it is (OCPP security profiles, 1.6 security white paper / 2.0.1 A00).

Profile 1: HTTP Basic auth (username = station identity) over ws://; profile 2: the same over TLS,
checking the CSMS's certificate; profile 3: TLS with a client certificate, no password. The
password is the station's SecurityCtrlr.BasicAuthPassword (1.6 AuthorizationKey), read at each
connect, so a password the CSMS rotates (A01) is used from the next connection on.
"""

from __future__ import annotations

import base64
import ssl
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SecurityProfile:
    profile: int = 0  # 0: none (plain ws, no credentials)
    password: str | None = None
    ca_file: Path | str | None = None  # trusted CA for the CSMS's certificate (profiles 2, 3)
    client_cert: Path | str | None = None  # profile 3
    client_key: Path | str | None = None

    def __post_init__(self) -> None:
        if self.profile not in (0, 1, 2, 3):
            raise ValueError(f"security profile {self.profile}: must be 0, 1, 2 or 3")
        if self.profile in (1, 2) and not self.password:
            raise ValueError(f"security profile {self.profile} needs a Basic-auth password")
        if self.profile == 3 and not (self.client_cert and self.client_key):
            raise ValueError("security profile 3 needs a client certificate and key")

    @property
    def tls(self) -> bool:
        return self.profile >= 2

    def ssl_context(self) -> ssl.SSLContext | None:
        """TLS 1.2 or newer (A00.FR.310/316), verifying the CSMS against `ca_file`."""
        if not self.tls:
            return None
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=self.ca_file)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if self.profile == 3:
            assert self.client_cert is not None
            context.load_cert_chain(self.client_cert, self.client_key)
        return context


def basic_auth_header(identity: str, password: str) -> tuple[str, str]:
    """`Authorization: Basic base64(identity:password)` (A00.FR.203/302)."""
    token = base64.b64encode(f"{identity}:{password}".encode()).decode("ascii")
    return "Authorization", f"Basic {token}"
