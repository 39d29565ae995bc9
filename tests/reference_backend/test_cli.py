"""`evharness backend`: flags and environment, the start-up banner, a clean stop on SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from evharness.reference_backend import cli
from evharness.reference_backend.settings import BackendSettings


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_defaults() -> None:
    assert BackendSettings.from_args(parse("backend")) == BackendSettings()
    assert BackendSettings() == BackendSettings(
        "127.0.0.1", 9000, 8000, "sqlite:///evharness.sqlite3", 300, "info", validate_outgoing=False
    )


def test_environment_then_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVHARNESS_OCPP_PORT", "9100")
    monkeypatch.setenv("EVHARNESS_HEARTBEAT_INTERVAL", "60")
    monkeypatch.setenv("EVHARNESS_VALIDATE_OUTGOING", "yes")
    settings = BackendSettings.from_args(
        parse("backend", "--heartbeat-interval", "30", "--log-level", "debug")
    )
    assert (settings.ocpp_port, settings.heartbeat_interval, settings.log_level) == (9100, 30, "debug")
    assert settings.validate_outgoing is True


def start_backend(database: Path) -> tuple[subprocess.Popen[str], list[str]]:
    command = [sys.executable, "-m", "evharness", "backend", "--ocpp-port", "0", "--api-port", "0"]
    env = {**os.environ, "EVHARNESS_DATABASE_URL": f"sqlite:///{database}", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert process.stdout is not None
    banner = [process.stdout.readline() for _ in range(3)]
    return process, banner


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_prints_its_urls_and_stops_cleanly(tmp_path: Path, signum: signal.Signals) -> None:
    process, banner = start_backend(tmp_path / "cli.sqlite3")
    try:
        assert re.fullmatch(r"OCPP  ws://127\.0\.0\.1:\d+/ocpp/\{station_id\}\n", banner[0]), banner
        assert re.fullmatch(r"API   http://127\.0\.0\.1:\d+/api/ \(docs /api/docs\)\n", banner[1]), banner
        assert banner[2] == f"DB    sqlite:///{tmp_path / 'cli.sqlite3'}\n"
        process.send_signal(signum)
        out, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert out.strip().endswith("stopped")
    assert (tmp_path / "cli.sqlite3").exists()


def test_a_busy_port_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        settings = BackendSettings(
            ocpp_port=port, api_port=0, database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}"
        )
        assert asyncio.run(cli.serve_until_signalled(settings)) == 1
    assert "cannot listen" in capsys.readouterr().err


def test_console_options_from_environment_and_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVHARNESS_SMTP_URL", "smtp://mail.example.com:2525")
    monkeypatch.setenv("EVHARNESS_LINK_TTL", "600")
    settings = BackendSettings.from_args(
        parse("backend", "--public-url", "https://console.example.com/", "--login-limit-account", "3")
    )
    assert settings.smtp_url == "smtp://mail.example.com:2525"
    assert settings.link_ttl == 600
    assert settings.public_url == "https://console.example.com"
    assert settings.login_limit_account == 3
    assert settings.outbox_dir == "var/outbox"


@pytest.mark.parametrize(
    ("flag", "value", "env"),
    [
        ("--smtp-url", "http://mail", "EVHARNESS_SMTP_URL"),
        ("--link-ttl", "0", "EVHARNESS_LINK_TTL"),
        ("--oidc-issuer", "ftp://idp", "EVHARNESS_OIDC_ISSUER"),
    ],
)
def test_bad_console_options_name_flag_and_variable(
    flag: str, value: str, env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parse("backend", flag, value)
    err = capsys.readouterr().err
    assert flag in err
    assert env in err


def test_sso_needs_a_client_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(
        "backend", "--oidc-issuer", "https://idp.example.com", "--database-url", f"sqlite:///{tmp_path}/x"
    )
    assert cli.run_backend(args) == 2
    assert "--oidc-client-id" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flag", "value", "env"),
    [
        ("--boot-policy", "maybe", "EVHARNESS_BOOT_POLICY"),
        ("--boot-retry-interval", "0", "EVHARNESS_BOOT_RETRY_INTERVAL"),
        ("--boot-retry-interval", "soon", "EVHARNESS_BOOT_RETRY_INTERVAL"),
        ("--boot-trigger", "often", "EVHARNESS_BOOT_TRIGGER"),
    ],
)
def test_bad_boot_options_name_flag_and_variable(
    flag: str, value: str, env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parse("backend", flag, value)
    err = capsys.readouterr().err
    assert flag in err
    assert env in err
    assert repr(value) in err


def test_boot_options_from_environment_and_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    from evharness.reference_backend.domain.boot import BootPolicy, PolicyName

    monkeypatch.setenv("EVHARNESS_BOOT_POLICY", "Pending")
    monkeypatch.setenv("EVHARNESS_BOOT_TRIGGER", "true")
    settings = BackendSettings.from_args(parse("backend", "--boot-retry-interval", "15"))
    assert settings.default_boot_policy == BootPolicy(PolicyName.PENDING, 15, trigger=True)
    assert BackendSettings().default_boot_policy == BootPolicy()
