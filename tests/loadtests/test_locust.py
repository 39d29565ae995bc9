"""Locust as a performance tester runs it: a real `locust` process (gevent stays out of pytest) against
the reference backend on 127.0.0.1, started and seeded by the test. Short and bounded: these check
behaviour (no failures, every kind of round trip reported, identities never shared), not speed.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evharness import scenarios
from evharness.backend_process import BackendProcess
from evharness.reference_backend.persistence import Store
from evharness.seed import seed

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = ROOT / "loadtests" / "locustfile.py"
PREFIX = "LOAD"


def locust_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), *args]


def clean_env() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith("EVHARNESS_")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def stats_rows(csv_prefix: Path) -> dict[tuple[str, str], dict[str, str]]:
    with (csv_prefix.parent / f"{csv_prefix.name}_stats.csv").open(encoding="utf-8") as handle:
        return {(row["Type"], row["Name"]): row for row in csv.DictReader(handle)}


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'load.sqlite3'}"


@pytest.fixture
def backend(database_url: str) -> Iterator[BackendProcess]:
    for name in ("pin_charging", "rfid_charging"):
        seed(database_url, scenarios.load(name), 40, PREFIX)
    process = BackendProcess(database_url).start()
    try:
        yield process
    finally:
        code = process.stop()
    assert code == 0, "\n".join(process.output)


def run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=clean_env(), cwd=ROOT)


def test_a_headless_smoke_run_has_no_failures(
    tmp_path: Path, database_url: str, backend: BackendProcess
) -> None:
    out = tmp_path / "smoke"
    result = run(
        locust_command(
            "--host",
            backend.ocpp_url,
            "--headless",
            "-u",
            "30",
            "-r",
            "10",
            "-t",
            "10s",
            "--id-prefix",
            PREFIX,
            "--csv",
            str(out),
            "--html",
            str(tmp_path / "smoke.html"),
            "--only-summary",
        ),
        timeout=90,
    )
    log = f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, log
    rows = stats_rows(out)
    total = rows[("", "Aggregated")]
    assert int(total["Request Count"]) > 100, log
    assert total["Failure Count"] == "0", log
    for action in ("BootNotification", "Authorize", "StatusNotification", "MeterValues"):
        assert int(rows[("OCPP", action)]["Request Count"]) > 0, action
    # both protocols ran, and sessions of both scenarios completed
    assert int(rows[("OCPP", "StartTransaction")]["Request Count"]) > 0  # 1.6
    assert int(rows[("OCPP", "TransactionEvent")]["Request Count"]) > 0  # 2.0.1
    assert int(rows[("Session", "PIN charging")]["Request Count"]) > 0
    assert int(rows[("Session", "RFID charging")]["Request Count"]) > 0
    assert (tmp_path / "smoke.html").stat().st_size > 0
    # users stopped mid-session ended their transactions: a second run would find no ConcurrentTx
    store = Store.from_url(database_url)
    try:
        running = [
            (number, record.id)
            for number in range(1, 31)
            for record in store.transactions(f"{PREFIX}-{number:04d}")
            if record.running
        ]
    finally:
        store.dispose()
    assert running == [], log


def test_unexpected_authorization_statuses_are_failures_with_a_reason(
    tmp_path: Path, database_url: str, backend: BackendProcess
) -> None:
    """The driver's PIN blocked at one station: the run fails, and says which token got what."""
    from evharness.idtokens import IdType
    from evharness.reference_backend.persistence import ProvisionedIdentification

    store = Store.from_url(database_url)
    try:
        station_id = store.find_station_id(f"{PREFIX}-0001")
        assert station_id is not None
        store.provision(
            station_id, [ProvisionedIdentification(IdType.PIN, "#4821", "Ada", "Driver", blocked=True)]
        )
    finally:
        store.dispose()
    out = tmp_path / "blocked"
    result = run(
        locust_command(
            "--host",
            backend.ocpp_url,
            "--headless",
            "-u",
            "1",
            "-r",
            "1",
            "-t",
            "4s",
            "--stop-timeout",  # the session under way when the time is up ends, however slow the machine
            "60",
            "--id-prefix",
            PREFIX,
            "--scenario",
            "pin_charging",
            "--protocol",
            "2.0.1",
            "--csv",
            str(out),
            "--only-summary",
        ),
        timeout=60,
    )
    log = f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert result.returncode == 1, log  # Locust's exit code when any request failed
    with (tmp_path / "blocked_failures.csv").open(encoding="utf-8") as handle:
        failures = {(row["Method"], row["Name"]): row["Error"] for row in csv.DictReader(handle)}
    assert "token #****: Blocked, expected Accepted" in failures[("OCPP", "Authorize")], failures
    assert "4821" not in "".join(failures.values()), failures  # the PIN stays out of Locust's reports
    assert "token driver (pin) → Accepted" in failures[("Session", "PIN charging")], failures


def test_a_distributed_run_master_and_two_workers_never_share_a_station(
    tmp_path: Path, database_url: str, backend: BackendProcess
) -> None:
    port = free_port()
    out = tmp_path / "distributed"
    common = ("--id-prefix", PREFIX, "--id-stride", "20")
    master = subprocess.Popen(
        locust_command(
            "--master",
            "--master-bind-host",
            "127.0.0.1",
            "--master-bind-port",
            str(port),
            "--expect-workers",
            "2",
            "--headless",
            "-u",
            "8",
            "-r",
            "8",
            "-t",
            "6s",
            "--host",
            backend.ocpp_url,
            "--csv",
            str(out),
            "--only-summary",
            *common,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_env(),
        cwd=ROOT,
    )
    workers = [
        subprocess.Popen(
            locust_command("--worker", "--master-host", "127.0.0.1", "--master-port", str(port), *common),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            env=clean_env(),
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    try:
        log, _ = master.communicate(timeout=90)
        for worker in workers:
            assert worker.wait(timeout=30) == 0
    finally:
        for process in (master, *workers):
            if process.poll() is None:
                process.kill()
                process.wait()
    assert master.returncode == 0, log
    total = stats_rows(out)[("", "Aggregated")]
    assert int(total["Request Count"]) > 0, log
    assert total["Failure Count"] == "0", log
    store = Store.from_url(database_url)
    try:
        booted = {
            identity
            for number in range(1, 41)
            if (record := store.station(identity := f"{PREFIX}-{number:04d}")) and record.booted_at
        }
    finally:
        store.dispose()
    # 4 users per worker: worker 0 takes LOAD-0001…0004, worker 1 LOAD-0021…0024
    assert booted == {f"{PREFIX}-{n:04d}" for n in (1, 2, 3, 4, 21, 22, 23, 24)}, log


CONSOLE_LOCUSTFILE = ROOT / "loadtests" / "console.py"


def test_console_users_confirm_from_the_outbox_log_in_and_browse_without_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backend mails into an outbox the test owns; Locust reads the links there (same option name)."""
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("EVHARNESS_OUTBOX_DIR", str(outbox))  # the backend child's --outbox-dir
    monkeypatch.setenv("EVHARNESS_LOGIN_LIMIT_CLIENT", "80")  # 20 logins a minute per user at most
    process = BackendProcess(f"sqlite:///{tmp_path / 'console.sqlite3'}").start()
    out = tmp_path / "console"
    command = [
        sys.executable, "-m", "locust", "-f", str(CONSOLE_LOCUSTFILE), "--headless",
        "-u", "4", "-r", "4", "-t", "20s", "--console-url", process.api_url.removesuffix("/api/"),
        "--outbox-dir", str(outbox), "--csv", str(out), "--only-summary",
    ]  # fmt: skip
    try:
        result = run(command, timeout=60)
    finally:
        code = process.stop()
    log = f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert code == 0, "\n".join(process.output)
    log += "\n".join(process.output)
    assert result.returncode == 0, log
    rows = stats_rows(out)
    assert rows[("", "Aggregated")]["Failure Count"] == "0", log
    counts = {key: int(row["Request Count"]) for key, row in rows.items()}
    for key in [("POST", "sign-up"), ("Mail", "confirmation link"), ("POST", "confirm"), ("POST", "login")]:
        assert counts.get(key, 0) >= 4, (key, log)  # every user got at least this far
    for page in ("/api/me", "/api/stations", "/api/companies"):
        assert counts.get(("GET", f"GET {page}"), 0) >= 4, (page, log)
    # a journey takes 7 waits of 0.5–2 s and two argon2id hashes (over 1 s each on a busy 2-core machine)
    assert counts.get(("DELETE", "logout"), 0) > 0, log
    # each journey's steps in order (the run may stop between them), one mail per account
    journey = [("POST", "login"), ("POST", "confirm"), ("Mail", "confirmation link"), ("POST", "sign-up")]
    assert [counts[key] for key in journey] == sorted(counts[key] for key in journey), counts
    assert counts[("POST", "sign-up")] <= len(list(outbox.glob("*.eml"))), counts  # a last one may be cut off


def test_console_users_without_the_outbox_check_refusals_and_a_missing_mail_is_a_failure_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVHARNESS_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("EVHARNESS_LOGIN_LIMIT_CLIENT", "1000")
    process = BackendProcess(f"sqlite:///{tmp_path / 'console.sqlite3'}").start()
    console_url = process.api_url.removesuffix("/api/")

    def console_run(name: str, seconds: int, *args: str) -> tuple[subprocess.CompletedProcess[str], Path]:
        out = tmp_path / name
        command = [
            sys.executable, "-m", "locust", "-f", str(CONSOLE_LOCUSTFILE), "--headless", "-u", "2", "-r", "2",
            "-t", f"{seconds}s", "--console-url", console_url, "--csv", str(out), "--only-summary", *args,
        ]  # fmt: skip
        return run(command, timeout=60), out

    try:
        # a sign-up and a login each hash with argon2id (~0.1 s alone, over 1 s on a busy 2-core machine):
        # long enough for each user to reach its refused login
        unconfirmed, unconfirmed_out = console_run("unconfirmed", 8)
        elsewhere, elsewhere_out = console_run(
            "elsewhere", 6, "--outbox-dir", str(tmp_path / "not-the-outbox"), "--call-timeout", "0.5"
        )
    finally:
        code = process.stop()
    assert code == 0, "\n".join(process.output)

    log = f"exit {unconfirmed.returncode}\n{unconfirmed.stdout}\n{unconfirmed.stderr}"
    assert unconfirmed.returncode == 0, log
    rows = stats_rows(unconfirmed_out)
    assert rows[("", "Aggregated")]["Failure Count"] == "0", log
    assert int(rows[("POST", "login (unconfirmed)")]["Request Count"]) >= 2, log
    assert unconfirmed.stderr.count("accounts cannot be confirmed") == 1, log  # said once, not per user

    log = f"exit {elsewhere.returncode}\n{elsewhere.stdout}\n{elsewhere.stderr}"
    assert elsewhere.returncode == 1, log  # Locust's exit code when any request failed
    with (tmp_path / "elsewhere_failures.csv").open(encoding="utf-8") as handle:
        failures = {(row["Method"], row["Name"]): row["Error"] for row in csv.DictReader(handle)}
    assert set(failures) == {("Mail", "confirmation link")}, failures
    assert "no confirmation mail for the account in" in failures[("Mail", "confirmation link")], failures
    assert "Load-" not in "".join(failures.values()), failures  # no password in Locust's reports
    assert ("POST", "login") not in stats_rows(elsewhere_out), log  # no login without a confirmed account
