"""The `evharness` commands as a user runs them: real processes and sockets on 127.0.0.1, no mocks.

`evharness sim` runs against the reference backend started by `BackendProcess` on free ports,
seeded (or not) with `evharness seed`; the verdict is read from the JSON report it writes.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evharness.backend_process import BackendProcess
from evharness.reference_backend.persistence import Store

PIN_TOKENS = {  # pin_charging.yaml: id → (type, code, provision, expected status)
    "driver": ("pin", "#4821", "active", "Accepted"),
    "blocked-driver": ("pin", "#7310", "blocked", "Blocked"),
    "expired-pin": ("pin", "#5150", "expired", "Expired or Invalid"),
    "unknown-pin": ("pin", "#0000", "absent", "Invalid or Unknown"),
}
SIM_FAST = ("--stations", "2", "--protocol", "1.6,2.0.1", "--time-scale", "3000")


def evharness(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m evharness ARGS`, with no EVHARNESS_* variables but those in `env`."""
    environ = {name: value for name, value in os.environ.items() if not name.startswith("EVHARNESS_")}
    environ.update({"COLUMNS": "160", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "evharness", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environ,
    )


def output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def closed_url() -> str:
    """An OCPP URL on a port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"ws://127.0.0.1:{port}/ocpp"


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    """The reference backend on an empty SQLite database, on free ports; it must stop with exit 0."""
    process = BackendProcess(sqlite_url(tmp_path / "backend.sqlite3")).start()
    try:
        yield process
    finally:
        code = process.stop()
    assert code == 0, "\n".join(process.output)


def seed(database_url: str, scenario: str = "pin_charging", stations: int = 2) -> str:
    result = evharness(
        "seed", "--database-url", database_url, "--scenario", scenario, "--stations", str(stations)
    )
    assert result.returncode == 0, output(result)
    return result.stdout


def read_report(path: Path) -> dict[str, Any]:
    assert path.is_file(), f"no report at {path}"
    report: dict[str, Any] = json.loads(path.read_text())
    return report


# --- evharness scenario ---------------------------------------------------------------------------


def test_scenario_validate_accepts_the_bundled_scenarios() -> None:
    result = evharness("scenario", "validate", "pin_charging", "rfid_charging")
    assert result.returncode == 0, output(result)
    assert result.stdout.splitlines() == [
        "ok: pin_charging: PIN charging (4 tokens, 10 steps)",
        "ok: rfid_charging: RFID charging (3 tokens, 8 steps)",
    ]


def test_scenario_validate_stops_at_a_broken_file_with_its_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "name: broken\n"
        "tokens:\n"
        "  - {id: driver, type: pin, code: '#4821', expect: Accepted}\n"
        "steps:\n"
        "  - boot\n"
        "  - present_token: {token: stranger}\n"
    )
    result = evharness("scenario", "validate", "pin_charging", str(broken), "rfid_charging")
    assert result.returncode == 1, output(result)
    assert result.stdout.splitlines() == [
        "ok: pin_charging: PIN charging (4 tokens, 10 steps)",
        f"error: {broken}: step 2 (present_token), field token: unknown token 'stranger' (declared: driver)",
    ]  # and rfid_charging is not reached


def test_scenario_validate_reports_a_missing_file(tmp_path: Path) -> None:
    result = evharness("scenario", "validate", str(tmp_path / "nowhere.yaml"))
    assert result.returncode == 1, output(result)
    assert result.stdout.startswith(f"error: {tmp_path / 'nowhere.yaml'}: no such file"), output(result)


def token_rows(stdout: str) -> list[tuple[str, ...]]:
    """The rows of `evharness scenario tokens`: token, type, code, station, provision, status."""
    rows: list[tuple[str, ...]] = []
    for line in stdout.splitlines():
        cells = tuple(cell.strip() for cell in line.strip().strip("│").split("│"))
        if line.startswith("│") and len(cells) == 6:
            rows.append(cells)
    return rows


def test_scenario_tokens_lists_every_token() -> None:
    result = evharness("scenario", "tokens", "pin_charging")
    assert result.returncode == 0, output(result)
    listed = {cells[0]: (cells[1], cells[2], cells[4], cells[5]) for cells in token_rows(result.stdout)}
    assert listed == PIN_TOKENS, output(result)


def test_scenario_tokens_lists_each_stations_own_codes() -> None:
    result = evharness("scenario", "tokens", "pin_charging", "--stations", "3", "--id-prefix", "CP")
    assert result.returncode == 0, output(result)
    drivers = [(cells[2], cells[3]) for cells in token_rows(result.stdout) if cells[0] == "driver"]
    assert drivers == [("#4821", "CP-0001"), ("#4822", "CP-0002"), ("#4823", "CP-0003")]
    blocked = [(cells[2], cells[3]) for cells in token_rows(result.stdout) if cells[0] == "blocked-driver"]
    assert blocked == [("#7310", "all")]  # the same code at every station


def test_scenario_schema_is_json_naming_every_step() -> None:
    result = evharness("scenario", "schema")
    assert result.returncode == 0, output(result)
    schema = json.loads(result.stdout)
    text = json.dumps(schema)
    for kind in ("boot", "plug_in", "present_token", "charge", "stop", "unplug", "wait"):
        assert f'"{kind}"' in text


# --- evharness seed ----------------------------------------------------------------------------------


def test_seed_twice_changes_no_counts(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "seed.sqlite3")
    first = seed(url)
    assert first.strip() == (
        "stations: 2 created, 0 already there; local users: 12 created; "
        "identifications: 12 created, 0 updated, 0 removed"
    )
    store = Store.from_url(url)
    try:
        counts = store.row_counts()
        # Per station: 3 provisioned PIN tokens (unknown-pin is absent) + 3 faker RFID users.
        assert (counts["stations"], counts["local_users"], counts["identifications"]) == (2, 12, 12)
        second = seed(url)
        assert second.startswith("stations: 0 created, 2 already there; local users: 0 created; "
                                 "identifications: 0 created"), second  # fmt: skip
        assert "0 removed" in second
        assert store.row_counts() == counts
    finally:
        store.dispose()


def test_seed_without_a_scenario_or_with_a_broken_one_fails(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "seed.sqlite3")
    missing = evharness("seed", "--database-url", url)
    assert missing.returncode == 2, output(missing)
    assert "give --scenario" in missing.stderr
    broken = evharness("seed", "--database-url", url, "--scenario", "no_such_scenario")
    assert broken.returncode == 2, output(broken)
    assert "no_such_scenario: no such file" in broken.stderr


# --- evharness sim -----------------------------------------------------------------------------------


def test_sim_against_a_seeded_backend_holds_every_expectation(
    tmp_path: Path, backend: BackendProcess
) -> None:
    seed(backend.database_url)
    report = tmp_path / "report.json"
    result = evharness("sim", "--csms-url", backend.ocpp_url, *SIM_FAST, "--report", str(report), timeout=45)
    assert result.returncode == 0, output(result)
    assert "PASS" in result.stdout
    summary = read_report(report)
    assert summary["ok"] is True
    assert summary["failures"] == []
    assert (summary["stations"], summary["stations_ok"]) == (2, 2)
    assert (summary["sessions_started"], summary["sessions_completed"]) == (2, 2)
    assert summary["energy_kwh"] == pytest.approx(12.0)  # 6 kWh each
    assert summary["protocol_violations_by_csms"] == 0
    held = {row["what"]: (row["held"], row["failed"]) for row in summary["expectations"]}
    assert all(counts == (2, 0) for counts in held.values()), held
    for token in PIN_TOKENS:
        assert held.get(f"token {token} (pin) → {PIN_TOKENS[token][3]}") == (2, 0), held
    # Both protocols really ran: 1.6 starts with StartTransaction, 2.0.1 with TransactionEvent.
    assert {"StartTransaction", "StopTransaction", "TransactionEvent"} <= set(summary["actions"])
    assert all(row["failed"] == 0 for row in summary["actions"].values()), summary["actions"]

    store = Store.from_url(backend.database_url)
    try:
        for identity, protocol in (("SIM-0001", "1.6"), ("SIM-0002", "2.0.1")):
            station = store.station(identity)
            assert station is not None
            assert station.protocol == protocol
            (transaction,) = store.transactions(identity)
            assert not transaction.running
            own = {"SIM-0001": "#4821", "SIM-0002": "#4822"}[identity]  # pin_charging's #482{n}
            assert (transaction.id_token, transaction.id_token_status) == (own, "Accepted")
            assert transaction.energy_wh == pytest.approx(6000.0)
    finally:
        store.dispose()


def test_sim_against_an_unseeded_backend_fails_naming_station_and_statuses(
    tmp_path: Path, backend: BackendProcess
) -> None:
    report = tmp_path / "report.json"
    result = evharness("sim", "--csms-url", backend.ocpp_url, *SIM_FAST, "--report", str(report), timeout=45)
    assert result.returncode == 1, output(result)
    assert "FAIL" in result.stdout
    summary = read_report(report)
    assert summary["ok"] is False
    assert summary["stations_ok"] == 0
    failures = {(row["station"], row["what"]): row for row in summary["failures"]}
    # The backend knows no code: 1.6 has no `Unknown` status, so it answers Invalid there.
    for station, protocol, unknown in (("SIM-0001", "1.6", "Invalid"), ("SIM-0002", "2.0.1", "Unknown")):
        for token, expected in (("driver", "Accepted"), ("blocked-driver", "Blocked")):
            row = failures.get((station, f"token {token} (pin) → {expected}"))
            assert row is not None, summary["failures"]
            assert (row["protocol"], row["expected"], row["actual"]) == (protocol, expected, unknown)
        # An unknown code is what the unknown token expects: that expectation held.
        assert (station, "token unknown-pin (pin) → Invalid or Unknown") not in failures
        assert (station, "a transaction to charge in") not in failures  # the refusal is reported once
        assert station in result.stdout
    assert summary["sessions_started"] == 0


def test_sim_against_a_closed_port_gives_up_in_bounded_time(tmp_path: Path, closed_url: str) -> None:
    """`--run-timeout` bounds the run; the transport alone would retry 8 times with back-off
    (0.5 + 1 + 2 + 4 + 8 + 16 + 30 s plus jitter, over a minute) before giving up."""
    report = tmp_path / "report.json"
    started = time.monotonic()
    result = evharness(
        "sim", "--csms-url", closed_url, "--run-timeout", "2", "--report", str(report), timeout=30
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1, output(result)
    assert elapsed < 15, elapsed
    summary = read_report(report)
    assert summary["ok"] is False
    (failure,) = summary["failures"]
    assert failure["station"] == "SIM-0001"
    assert failure["what"] == "run"
    assert "did not finish within 2 s" in failure["actual"]
    assert "step 1 (boot), waiting for a connection to the CSMS" in failure["actual"]  # issue 13
    assert "ConnectionRefusedError" in failure["actual"]


def test_a_station_gives_up_after_its_connect_attempts(tmp_path: Path, closed_url: str) -> None:
    report = tmp_path / "report.json"
    result = evharness(
        "sim", "--csms-url", closed_url, "--connect-attempts", "2", "--report", str(report), timeout=30
    )
    assert result.returncode == 1, output(result)
    (failure,) = read_report(report)["failures"]
    assert "gave up after 2 attempts" in failure["actual"]
    assert "ConnectionRefusedError" in failure["actual"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--protocol", "9.9"), "9.9"),
        (("--scenario", "no_such_scenario"), "no_such_scenario: no such file"),
        (("--stations", "0"), "--stations must be at least 1"),
    ],
)
def test_sim_refuses_bad_options(closed_url: str, args: tuple[str, ...], message: str) -> None:
    result = evharness("sim", "--csms-url", closed_url, *args, timeout=30)
    assert result.returncode == 2, output(result)
    assert message in result.stdout, output(result)


# --- configuration: flag > environment > default -----------------------------------------------------


def run_against_closed_port(report: Path, *flags: str, env: dict[str, str]) -> tuple[str, dict[str, Any]]:
    result = evharness("sim", "--run-timeout", "1", "--report", str(report), *flags, env=env, timeout=30)
    assert result.returncode == 1, output(result)
    return result.stdout, read_report(report)


def test_environment_variables_apply_when_the_flags_are_absent(tmp_path: Path, closed_url: str) -> None:
    env = {"EVHARNESS_STATIONS": "2", "EVHARNESS_ID_PREFIX": "ENV", "EVHARNESS_CSMS_URL": closed_url,
           "EVHARNESS_TIME_SCALE": "1234"}  # fmt: skip
    stdout, summary = run_against_closed_port(tmp_path / "env.json", env=env)
    assert f"2 station(s) ENV-0001… → {closed_url}" in stdout
    assert summary["stations"] == 2
    assert summary["time_scale"] == 1234
    assert sorted(row["station"] for row in summary["failures"]) == ["ENV-0001", "ENV-0002"]


def test_flags_win_over_environment_variables(tmp_path: Path, closed_url: str) -> None:
    env = {"EVHARNESS_STATIONS": "2", "EVHARNESS_ID_PREFIX": "ENV", "EVHARNESS_CSMS_URL": "ws://127.0.0.1:1/nowhere",
           "EVHARNESS_TIME_SCALE": "1234"}  # fmt: skip
    flags = ("--stations", "3", "--id-prefix", "FLAG", "--csms-url", closed_url, "--time-scale", "50")
    stdout, summary = run_against_closed_port(tmp_path / "flags.json", *flags, env=env)
    assert f"3 station(s) FLAG-0001… → {closed_url}" in stdout
    assert summary["stations"] == 3
    assert summary["time_scale"] == 50
    assert sorted(row["station"] for row in summary["failures"]) == ["FLAG-0001", "FLAG-0002", "FLAG-0003"]


def test_help_names_each_options_environment_variable() -> None:
    result = evharness("sim", "--help")
    assert result.returncode == 0, output(result)
    text = " ".join(result.stdout.split())  # help wraps lines
    for name in (
        "CSMS_URL",
        "PROTOCOL",
        "STATIONS",
        "SCENARIO",
        "ID_PREFIX",
        "TIME_SCALE",
        "RUN_TIMEOUT",
        "REPORT",
    ):
        assert f"env EVHARNESS_{name}" in text, name
    assert "(env EVHARNESS_STATIONS; default: 1)" in text


def test_an_unusable_environment_value_is_an_error_naming_the_variable() -> None:
    result = evharness("sim", "--csms-url", "ws://127.0.0.1:9/ocpp", env={"EVHARNESS_STATIONS": "two"})
    assert result.returncode == 2, output(result)
    assert "'two' (from --stations or EVHARNESS_STATIONS)" in result.stderr


def test_an_unusable_environment_value_does_not_break_commands_without_that_option() -> None:
    result = evharness("scenario", "list", env={"EVHARNESS_STATIONS": "two"})
    assert result.returncode == 0, output(result)
    assert "pin_charging" in result.stdout


# --- evharness demo ----------------------------------------------------------------------------------


def test_demo_passes_and_the_energy_matches(tmp_path: Path) -> None:
    result = evharness(
        "demo", "--stations", "4", "--time-scale", "3000", "--workdir", str(tmp_path), timeout=90
    )
    assert result.returncode == 0, output(result)
    assert "== demo PASSED" in result.stdout
    assert "== reference backend stopped (exit 0)" in result.stdout
    energy = re.search(
        r"== energy: stations metered (\d+\.\d{3}) kWh, backend recorded (\d+\.\d{3}) kWh \(match\)",
        result.stdout,
    )
    assert energy is not None, output(result)
    metered, recorded = float(energy.group(1)), float(energy.group(2))
    # 1.6 and 2.0.1 × PIN (6 kWh) and RFID (45 min at 11 kW, and a little more while stopping).
    assert metered >= 2 * 6 + 2 * 8.25 - 0.001
    assert recorded == pytest.approx(metered, abs=0.005)
    summary = read_report(tmp_path / "summary.json")
    assert (summary["ok"], summary["stations"], summary["sessions_completed"]) == (True, 4, 4)
    assert summary["energy_kwh"] == pytest.approx(metered, abs=0.0005)
    assert (tmp_path / "demo.sqlite3").is_file()


def test_demo_numbers_its_own_stations_whatever_the_environment_says(tmp_path: Path) -> None:
    """`seed` and `sim` inherit the environment; the demo's energy check looks for SIM-0001 …"""
    env = {"EVHARNESS_ID_PREFIX": "OTHER", "EVHARNESS_FIRST_NUMBER": "7"}
    result = evharness(
        "demo", "--stations", "2", "--time-scale", "3000", "--workdir", str(tmp_path), env=env, timeout=90
    )
    assert result.returncode == 0, output(result)
    assert "== demo PASSED" in result.stdout
    assert re.search(r"== energy: stations metered [1-9]\d*\.\d{3} kWh, .* \(match\)", result.stdout), output(
        result
    )
    store = Store.from_url(sqlite_url(tmp_path / "demo.sqlite3"))
    try:
        assert store.station("SIM-0001") is not None
        assert store.station("OTHER-0007") is None
    finally:
        store.dispose()
