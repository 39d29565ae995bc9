"""The backend's settings: one dataclass, and the CLI flags / environment variables that fill it."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from urllib.parse import urlsplit

from evharness.reference_backend.console.mail import check_smtp_url
from evharness.reference_backend.domain.boot import DEFAULT_RETRY_INTERVAL, BootPolicy, PolicyName
from evharness.settings import Option

LOG_LEVELS = ("debug", "info", "warning", "error")
DEFAULT_TLS_PORT = 9443


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def boot_policy_name(text: str) -> PolicyName:
    try:
        return PolicyName(text.strip().lower())
    except ValueError:
        raise ValueError(f"use one of {', '.join(PolicyName)}") from None


def http_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("use an http:// or https:// URL")
    return text.rstrip("/")


def issuer_url(text: str) -> str:
    """An OpenID Connect issuer, kept exactly as given: ID tokens must name it byte for byte."""
    http_url(text)
    return text


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {text!r} (use true or false)")


@dataclass(frozen=True)
class BackendSettings:
    host: str = "127.0.0.1"
    ocpp_port: int = 9000
    api_port: int = 8000
    database_url: str = "sqlite:///evharness.sqlite3"
    heartbeat_interval: int = 300
    log_level: str = "info"
    validate_outgoing: bool = False
    operator_token: str | None = None  # Bearer token of /api/operations; None: operations disabled
    smtp_url: str | None = None
    mail_from: str = "evharness <noreply@evharness.invalid>"
    outbox_dir: str = "var/outbox"
    public_url: str | None = None
    link_ttl: int = 24 * 3600
    login_limit_account: int = 5
    login_limit_client: int = 30
    forwarded_allow_ips: str | None = None  # proxies whose X-Forwarded-For/-Proto are believed; None: none
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    security_profile: int = 0  # OCPP security profile 0 (none), 1, 2 or 3: see reference_backend.security
    station_passwords: str | None = None  # retired: given, the backend refuses to start (`passwords.REMOVED`)
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_ca: str | None = None
    ca_cert: str | None = None  # the CA that signs stations' CSRs (SignCertificate); None: one of its own
    ca_key: str | None = None
    contract_source: str | None = "local"  # M01/M02: local, an http(s) URL or module:Name
    ocpp_tls_port: int | None = None  # wss://, served with --tls-cert; None: 9443, or a free one with port 0
    boot_policy: PolicyName = PolicyName.ACCEPTED  # how BootNotification is answered (B01–B03)
    boot_retry_interval: int = DEFAULT_RETRY_INTERVAL  # seconds, the interval of a Pending/Rejected answer
    boot_trigger: bool = False  # pending: TriggerMessage(BootNotification) right after the Pending answer

    @property
    def tls_port(self) -> int:
        """The wss:// port: as given, else 9443 (any free port when --ocpp-port is 0, as in tests)."""
        if self.ocpp_tls_port is not None:
            return self.ocpp_tls_port
        return 0 if self.ocpp_port == 0 else DEFAULT_TLS_PORT

    @property
    def default_boot_policy(self) -> BootPolicy:
        return BootPolicy(self.boot_policy, self.boot_retry_interval, self.boot_trigger)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> BackendSettings:
        return cls(
            host=args.host,
            ocpp_port=args.ocpp_port,
            ocpp_tls_port=args.ocpp_tls_port,
            api_port=args.api_port,
            database_url=args.database_url,
            heartbeat_interval=args.heartbeat_interval,
            log_level=args.log_level,
            validate_outgoing=args.validate_outgoing,
            operator_token=args.operator_token or None,
            smtp_url=args.smtp_url,
            mail_from=args.mail_from,
            outbox_dir=args.outbox_dir,
            public_url=args.public_url,
            link_ttl=args.link_ttl,
            login_limit_account=args.login_limit_account,
            login_limit_client=args.login_limit_client,
            forwarded_allow_ips=args.forwarded_allow_ips or None,
            oidc_issuer=args.oidc_issuer,
            oidc_client_id=args.oidc_client_id,
            oidc_client_secret=args.oidc_client_secret,
            security_profile=args.security_profile,
            station_passwords=args.station_passwords,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            tls_ca=args.tls_ca,
            ca_cert=args.ca_cert,
            ca_key=args.ca_key,
            contract_source=args.contract_source,
            boot_policy=args.boot_policy,
            boot_retry_interval=args.boot_retry_interval,
            boot_trigger=args.boot_trigger,
        )


SECURITY_OPTIONS = [
    Option(
        "--security-profile",
        "OCPP security profile of stations that have none of their own (PUT /api/stations/{id}/security): "
        "0 none, 1 Basic auth, 2 TLS + Basic auth, 3 mutual TLS; Basic-auth passwords are the database's "
        "(`evharness station-password`)",
        default=0,
        type=int,
    ),
    Option(
        "--station-passwords",
        "retired: the backend no longer reads a password file and refuses to start with it; import the file "
        "once with `evharness station-password --import-file FILE`",
    ),
    Option(
        "--tls-cert",
        "PEM certificate (chain) of the OCPP server: wss:// on --ocpp-tls-port (profiles 2, 3); "
        "comma-separated for an RSA and an ECDSA certificate side by side",
    ),
    Option("--tls-key", "PEM private key(s) of the --tls-cert certificate(s), in the same order"),
    Option("--tls-ca", "PEM CA certificate(s) that sign station certificates (profile 3)"),
    Option(
        "--ca-cert",
        "PEM certificate of the CA that signs the stations' CSRs (SignCertificate → CertificateSigned); "
        "unset: the CA the backend made itself, kept in the database",
    ),
    Option("--ca-key", "PEM private key (ECDSA P-256) of --ca-cert"),
    Option(
        "--contract-source",
        "where EVs' contract certificates come from (Get15118EVCertificate): local (made-up answers), a "
        "mobility operator's http(s) URL (JSON POST), or package.module:Name of a source of your own",
        default="local",
    ),
]

BOOT_OPTIONS = [
    Option(
        "--boot-policy",
        "how BootNotification is answered: accepted; pending (first one on a connection Pending, the next "
        "Accepted); rejected (until the operator accepts the station: PUT /api/operations/{id}/boot-policy)",
        default=BackendSettings.boot_policy.value,
        type=boot_policy_name,
    ),
    Option(
        "--boot-retry-interval",
        "seconds a Pending or Rejected station waits before booting again (the answer's interval)",
        default=BackendSettings.boot_retry_interval,
        type=positive_int,
    ),
    Option(
        "--boot-trigger",
        "with --boot-policy pending: ask for the next BootNotification at once (TriggerMessage; true/false)",
        default=BackendSettings.boot_trigger,
        type=parse_bool,
    ),
]

DATABASE_URL = Option(
    "--database-url",
    "SQLAlchemy URL of the database (SQLite file, or postgresql+psycopg://user:password@host/db)",
    default=BackendSettings.database_url,
)

BACKEND_OPTIONS = [
    Option("--host", "interface the OCPP and API servers listen on", default=BackendSettings.host),
    Option(
        "--ocpp-port",
        "port of the OCPP-J WebSocket server (0: any free port)",
        default=BackendSettings.ocpp_port,
        type=int,
    ),
    Option(
        "--ocpp-tls-port",
        f"port of the wss:// server, with --tls-cert (default {DEFAULT_TLS_PORT}; any free port when "
        "--ocpp-port is 0)",
        type=int,
    ),
    Option(
        "--api-port", "port of the console API (0: any free port)", default=BackendSettings.api_port, type=int
    ),
    DATABASE_URL,
    Option(
        "--heartbeat-interval",
        "seconds between Heartbeats, told to stations at boot",
        default=BackendSettings.heartbeat_interval,
        type=int,
    ),
    Option("--log-level", "logging level", default=BackendSettings.log_level, choices=LOG_LEVELS),
    Option(
        "--validate-outgoing",
        "check the CSMS's own responses against the OCPP schemas (true/false)",
        default=BackendSettings.validate_outgoing,
        type=parse_bool,
    ),
    Option(
        "--operator-token",
        "Bearer token that allows POST /api/operations/… (CSMS-initiated CALLs); unset: disabled",
    ),
    Option(
        "--smtp-url",
        "SMTP server for outgoing email: smtp://[user:pw@]host[:port][?starttls=true] "
        "or smtps://…; unset: write messages to --outbox-dir",
        type=check_smtp_url,
    ),
    Option("--mail-from", "sender of outgoing email", default=BackendSettings.mail_from),
    Option(
        "--outbox-dir",
        "folder of .eml files when no --smtp-url is set",
        default=BackendSettings.outbox_dir,
    ),
    Option(
        "--public-url",
        "base URL of the console in emailed links (default: the API's own URL)",
        type=http_url,
    ),
    Option(
        "--link-ttl",
        "seconds an emailed link stays valid",
        default=BackendSettings.link_ttl,
        type=positive_int,
    ),
    Option(
        "--login-limit-account",
        "failed logins per account per 15 minutes before 429",
        default=BackendSettings.login_limit_account,
        type=positive_int,
    ),
    Option(
        "--login-limit-client",
        "login attempts per client address per minute before 429",
        default=BackendSettings.login_limit_client,
        type=positive_int,
    ),
    Option(
        "--forwarded-allow-ips",
        "comma-separated addresses of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto the "
        "console API believes (the client address of the login limits); unset: none, the peer address counts",
    ),
    Option("--oidc-issuer", "OpenID Connect provider for SSO (issuer URL); unset: no SSO", type=issuer_url),
    Option("--oidc-client-id", "this backend's client id at the OpenID Connect provider"),
    Option("--oidc-client-secret", "this backend's client secret at the OpenID Connect provider"),
    *SECURITY_OPTIONS,
    *BOOT_OPTIONS,
]
