"""The backend's settings: one dataclass, and the CLI flags / environment variables that fill it."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from evharness.settings import Option

LOG_LEVELS = ("debug", "info", "warning", "error")


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
    security_profile: int = 0  # OCPP security profile 0 (none), 1, 2 or 3: see reference_backend.security
    station_passwords: str | None = None  # JSON file {identity: scrypt hash} for profiles 1 and 2
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_ca: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> BackendSettings:
        return cls(
            host=args.host,
            ocpp_port=args.ocpp_port,
            api_port=args.api_port,
            database_url=args.database_url,
            heartbeat_interval=args.heartbeat_interval,
            log_level=args.log_level,
            validate_outgoing=args.validate_outgoing,
            security_profile=args.security_profile,
            station_passwords=args.station_passwords,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            tls_ca=args.tls_ca,
        )


SECURITY_OPTIONS = [
    Option(
        "--security-profile",
        "OCPP security profile: 0 none, 1 Basic auth, 2 TLS + Basic auth, 3 mutual TLS",
        default=0,
        type=int,
    ),
    Option("--station-passwords", "JSON file of hashed station passwords {identity: hash} (profiles 1, 2)"),
    Option("--tls-cert", "PEM certificate (chain) of the OCPP server (profiles 2, 3)"),
    Option("--tls-key", "PEM private key of the OCPP server (profiles 2, 3)"),
    Option("--tls-ca", "PEM CA certificate(s) that sign station certificates (profile 3)"),
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
    *SECURITY_OPTIONS,
]
