"""Security profiles on the CSMS side (1.6 security white paper, 2.0.1 A00): who may connect.

Every station has its own profile (`domain.security_profiles`, stored per station in
`station_security`; `--security-profile` is the default of stations without one). One backend
serves them all: ws:// on `--ocpp-port` (profiles 0 and 1) and, given `--tls-cert`/`--tls-key`,
wss:// on `--ocpp-tls-port` (profiles 2 and 3, and 0/1 stations that prefer TLS). At the upgrade
the `Gate` reads what the connection presented (TLS, a verified client certificate, HTTP Basic
credentials), the station's profile and password hashes from the database (the one store), and lets
it in or refuses it before the upgrade: 401 for credentials, 403 for a transport or certificate
below the station's profile, 429 while failed password guesses are throttled.

TLS (`SecurityPolicy.ssl_context`): TLS 1.2 or 1.3 only, no compression (A00.FR.318/321), the TLS 1.2
cipher suites the OCPP profiles require (`CIPHERS`), an RSA and an ECDSA certificate side by side (the
client picks what it supports), client certificates asked for and verified against `--tls-ca`
when given (required only by profile 3 stations, A00.FR.405: CN = the station identity).

Throttling: failed Basic-auth upgrades count per identity and per client address (`FAILED_LIMITS`);
past a limit every attempt of that identity or client is answered 429 with Retry-After, right
password or not, until the window passes. Each failure is logged as a security event, the start of
throttling once.
"""

from __future__ import annotations

import http
import logging
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from evharness.reference_backend.domain.ratelimit import SlidingWindow
from evharness.reference_backend.domain.security_profiles import PROFILES, Admitted, Presented, Refusal, admit
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.station_security import SecurityRecords

log = logging.getLogger("evharness.reference_backend.security")

# TLS 1.2 suites: the four the OCPP security profiles require (2.0.1 A00.FR.309/310; 1.6 security
# white paper §4.1.3: ECDSA for the first two, RSA for the last two) and, for RSA certificates, the
# same with forward secrecy. TLS 1.3 suites are OpenSSL's (all AEAD).
REQUIRED_CIPHERS = (
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "AES128-GCM-SHA256",
    "AES256-GCM-SHA384",
)
CIPHERS = (*REQUIRED_CIPHERS, "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384")

# what is counted → (failed upgrades allowed, window in seconds)
FAILED_LIMITS = {"identity": (20, 300.0), "client": (10, 60.0)}


def _paths(files: Path | str | None) -> list[str]:
    """`--tls-cert a.pem,b.pem`: several certificates (RSA and ECDSA), keys in the same order."""
    return [part.strip() for part in str(files).split(",") if part.strip()] if files else []


@dataclass
class SecurityPolicy:
    profile: int = 0  # the profile of stations that have none stored
    cert_file: Path | str | None = None  # comma-separated: one chain per key type
    key_file: Path | str | None = None
    ca_file: Path | str | None = None  # the CA that signs station certificates (profile 3)

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"--security-profile {self.profile}: must be 0, 1, 2 or 3")
        if len(_paths(self.cert_file)) != len(_paths(self.key_file)):
            raise ValueError("--tls-cert and --tls-key: give one key per certificate, in the same order")
        if self.profile >= 2 and not self.tls:
            raise ValueError(f"security profile {self.profile} needs --tls-cert and --tls-key")
        if self.profile == 3 and not self.ca_file:
            raise ValueError("security profile 3 needs --tls-ca (the CA of the station certificates)")

    @property
    def tls(self) -> bool:
        """Whether wss:// is served (profiles 2 and 3 possible)."""
        return bool(_paths(self.cert_file))

    def unavailable(self, profile: int) -> str | None:
        """Why no station could connect at `profile` on this backend; None if one can."""
        if PROFILES[profile].tls and not self.tls:
            return f"security profile {profile} needs TLS: start the backend with --tls-cert and --tls-key"
        if PROFILES[profile].client_certificate and not self.ca_file:
            return f"security profile {profile} needs --tls-ca (the CA of the station certificates)"
        return None

    def ssl_context(self) -> ssl.SSLContext | None:
        """TLS ≥ 1.2, no compression, the OCPP cipher suites; None without certificates."""
        if not self.tls:
            return None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.options |= ssl.OP_NO_COMPRESSION
        context.set_ciphers(":".join(CIPHERS))
        for cert, key in zip(_paths(self.cert_file), _paths(self.key_file), strict=True):
            context.load_cert_chain(cert, key)
        if self.ca_file:
            context.verify_mode = ssl.CERT_OPTIONAL  # asked of all, required of profile 3 (the Gate)
            context.load_verify_locations(cafile=self.ca_file)
        return context


class Gate:
    """The upgrade's check of one station connection (see the module docstring)."""

    def __init__(self, policy: SecurityPolicy, store: Store, records: SecurityRecords) -> None:
        self.policy = policy
        self.store = store
        self.records = records
        self._failures = {
            what: SlidingWindow(limit, window) for what, (limit, window) in FAILED_LIMITS.items()
        }
        self._lock = threading.Lock()
        self._proven: dict[str, int] = {}  # identity → the profile its newest admitted connection proved

    def proven_profile(self, identity: str) -> int:
        """The profile the station's newest admitted connection proved (0 if none)."""
        return self._proven.get(identity, 0)

    def pins_allowed(self, identity: str) -> bool:
        """Whether the station's local list may hold PINs: it proved a password or a certificate on its
        newest connection, or its operator allowed PINs on profile 0 (docs/security.md)."""
        return self.proven_profile(identity) > 0 or self.records.read(identity).pins_on_profile_0

    def check(self, connection: ServerConnection, request: Request, identity: str) -> Response | None:
        """None to let the connection in, else the HTTP answer that refuses it."""
        client = str(connection.remote_address[0]) if connection.remote_address else "unknown"
        keys = {"identity": identity, "client": client}
        now = time.monotonic()
        with self._lock:
            wait = max(self._failures[what].retry_after(key, now) for what, key in keys.items())
        if wait:
            return _refuse(http.HTTPStatus.TOO_MANY_REQUESTS, "too many failed attempts: try later", wait)
        security = self.records.read(identity)
        profile = self.policy.profile if security.profile is None else security.profile
        presented = Presented(
            connection.transport.get_extra_info("ssl_object") is not None,
            _peer_common_name(connection),
            request.headers.get("Authorization"),
        )
        outcome = admit(
            identity, profile, presented, self.store.basic_auth_hash(identity), security.new_password_hash
        )
        if isinstance(outcome, Refusal):
            self._refused(identity, client, keys, outcome, now)
            status = http.HTTPStatus(outcome.status)
            return _refuse(status, outcome.reason, basic=status is http.HTTPStatus.UNAUTHORIZED)
        upgrade = (
            security.upgrade_to if security.upgrade_to is not None and security.upgrade_to > profile else None
        )
        self._admitted(identity, keys, outcome, upgrade)
        return None

    def _refused(
        self, identity: str, client: str, keys: dict[str, str], refusal: Refusal, now: float
    ) -> None:
        if not refusal.failed_password:
            log.warning("%s refused: %s", identity, refusal.reason)
            return
        log.warning(
            "security event: %s from %s: failed Basic authentication (%s)", identity, client, refusal.reason
        )
        with self._lock:
            for what, key in keys.items():
                window = self._failures[what]
                window.hit(key, now)
                if window.retry_after(key, now) and window.count(key, now) == window.limit:
                    log.warning(
                        "security event: %s %s throttled after %d failed Basic authentications",
                        what,
                        key,
                        window.limit,
                    )

    def _admitted(
        self, identity: str, keys: dict[str, str], admitted: Admitted, upgrade_to: int | None
    ) -> None:
        with self._lock:
            self._failures["identity"].clear(identity)
            self._proven[identity] = admitted.profile
        if upgrade_to is not None and admitted.profile >= upgrade_to:  # A05.FR.09
            self.records.save(identity, profile=upgrade_to, upgrade_to=None)
            log.info(
                "%s connected at security profile %d: lower profiles are refused from now on",
                identity,
                upgrade_to,
            )
        if admitted.new_password_used:
            self.records.take_new_password(identity)
            log.info("%s connected with its new password: the old one no longer works", identity)


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


def _refuse(status: http.HTTPStatus, text: str, retry_after: int = 0, *, basic: bool = False) -> Response:
    headers = Headers([("Content-Type", "text/plain; charset=utf-8")])
    if basic:  # TC_A_02/03_CSMS: the CSMS refuses the connection, asking for Basic credentials
        headers["WWW-Authenticate"] = 'Basic realm="OCPP"'
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    return Response(status.value, status.phrase, headers, f"{text}\n".encode())


def render_markdown() -> str:
    """The TLS suites and the throttling limits as docs/security.md shows them."""
    lines = ["| TLS 1.2 cipher suite | certificate | why |", "|---|---|---|"]
    for cipher in CIPHERS:
        kind = "ECDSA" if "ECDSA" in cipher else "RSA"
        why = "required by the OCPP security profiles" if cipher in REQUIRED_CIPHERS else "forward secrecy"
        lines.append(f"| `{cipher}` | {kind} | {why} |")
    lines += ["", "| failed Basic authentications counted per | allowed | window |", "|---|---|---|"]
    for what, (limit, window) in FAILED_LIMITS.items():
        lines.append(f"| {what} | {limit} | {window:g} s |")
    return "\n".join(lines) + "\n"
