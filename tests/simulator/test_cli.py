"""`evharness sim` as a person runs it: real processes against small CSMSs on 127.0.0.1.

What is printed while it runs and in the summary, and the exit code, against CSMSs that refuse,
fail CALLs or speak the wrong version's error codes.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.simulator.fake_csms import CallError, FakeCsms
from tests.test_commands import evharness, output, read_report


def sim(csms_url: str, report: Path, *args: str, columns: int = 160) -> subprocess.CompletedProcess[str]:
    return evharness(
        "sim", "--csms-url", csms_url, "--time-scale", "3000", "--report", str(report), *args,
        env={"COLUMNS": str(columns)}, timeout=60,
    )  # fmt: skip


@pytest.fixture
def closed_url() -> str:
    """An OCPP URL on a port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"ws://127.0.0.1:{port}/ocpp"


def scenario_file(tmp_path: Path, **fields: Any) -> str:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump({"name": "Probe", **fields}))
    return str(path)


# --- a CALL that fails is a failure -------------------------------------------------------------------


def test_boot_only_fails_when_the_csms_refuses_the_status_notifications(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    with FakeCsms({"StatusNotification": CallError("InternalError", "database down")}) as csms:
        result = sim(csms.url, report, "--scenario", "boot_only", "--run-timeout", "20")
    assert result.returncode == 1, output(result)
    failures = {row["what"]: row for row in read_report(report)["failures"]}
    row = failures["StatusNotification answered"]
    assert row["actual"] == "InternalError: database down"
    assert row["station"] == "SIM-0001"
    assert "StatusNotification answered → answered" in result.stdout


def test_a_scenario_may_say_which_calls_may_fail(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    scenario = scenario_file(tmp_path, steps=["boot"], may_fail=["StatusNotification"])
    with FakeCsms({"StatusNotification": CallError("InternalError", "database down")}) as csms:
        result = sim(csms.url, report, "--scenario", scenario, "--run-timeout", "20")
    assert result.returncode == 0, output(result)
    assert read_report(report)["failures"] == []


def test_a_may_fail_that_names_no_action_is_refused(tmp_path: Path) -> None:
    scenario = scenario_file(tmp_path, steps=["boot"], may_fail=["StatusNotifcation"])
    result = evharness("scenario", "validate", scenario)
    assert result.returncode == 1, output(result)
    assert "may_fail: not OCPP actions: StatusNotifcation" in result.stdout


# --- what the summary says --------------------------------------------------------------------------


def refused_token_run(tmp_path: Path, csms: FakeCsms, *args: str, columns: int = 160) -> Any:
    scenario = scenario_file(
        tmp_path,
        tokens=[{"id": "driver", "type": "pin", "code": "#4821", "expect": "Accepted"}],
        steps=["boot", "plug_in", {"present_token": {"token": "driver"}}],
    )
    report = tmp_path / "report.json"
    result = sim(csms.url, report, "--scenario", scenario, "--run-timeout", "20", *args, columns=columns)
    assert result.returncode == 1, output(result)
    return result, read_report(report)


def test_an_error_code_of_another_ocpp_version_is_a_protocol_violation(tmp_path: Path) -> None:
    with FakeCsms({"Authorize": CallError("FormationViolation", "1.6 spelling")}) as csms:
        _, summary = refused_token_run(tmp_path, csms, "--protocol", "2.0.1")
    assert summary["protocol_violations_by_csms"] == 1


def test_the_failure_names_the_expected_status_and_shows_the_testers_own_pin(tmp_path: Path) -> None:
    blocked = {"idTagInfo": {"status": "Blocked"}}
    with FakeCsms({"Authorize": blocked}) as csms:
        result, summary = refused_token_run(tmp_path, csms, "--protocol", "1.6")
    (failure,) = [row for row in summary["failures"] if row["step"] == 3]
    assert failure["what"] == "token driver (pin) → Accepted"
    assert failure["actual"] == "Blocked"
    assert any('"idTag":"#4821"' in frame for frame in failure["frames"]), failure["frames"]
    assert '"idTag":"#4821"' in result.stdout


def test_at_80_columns_nothing_is_wider_and_frames_stay_json(tmp_path: Path) -> None:
    blocked = {"idTagInfo": {"status": "Blocked", "parentIdTag": "PARENT-" + "7" * 13}}
    with FakeCsms({"Authorize": blocked}) as csms:
        result, _ = refused_token_run(tmp_path, csms, "--protocol", "1.6", columns=80)
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    frames = [
        line.split(maxsplit=1) for line in lines if line.startswith("    out ") or line.startswith("    in ")
    ]
    assert frames, result.stdout
    for _, text in frames:
        json.loads(text)  # elided inside values, never cut
    assert any("Authorize" in text for _, text in frames)


def test_nothing_ran_prints_no_empty_tables_and_the_reason_whole(tmp_path: Path, closed_url: str) -> None:
    report = tmp_path / "report.json"
    result = sim(closed_url, report, "--run-timeout", "1", "--progress-interval", "0", columns=80)
    assert result.returncode == 1, output(result)
    assert "Expectations" not in result.stdout
    assert "round trips" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "did not finish within 1 s (last error:" in result.stdout


# --- while it runs --------------------------------------------------------------------------------


def test_connection_failures_show_as_they_happen_once_per_kind(tmp_path: Path, closed_url: str) -> None:
    report = tmp_path / "report.json"
    result = sim(closed_url, report, "--stations", "3", "--run-timeout", "2.5", "--progress-interval", "1")
    assert result.returncode == 1, output(result)
    lines = result.stdout.splitlines()
    errors = [i for i, line in enumerate(lines) if "connection error: ConnectionRefusedError" in line]
    assert len(errors) == 1, result.stdout  # three stations, many attempts: one line
    progress = [i for i, line in enumerate(lines) if line.startswith("progress ")]
    assert progress, result.stdout  # not a terminal: progress lines instead of a bar
    verdict = next(i for i, line in enumerate(lines) if "FAIL" in line)
    assert errors[0] < verdict
    assert progress[0] < verdict
    assert "0/3 stations done" in lines[progress[0]]


def test_a_csms_that_refuses_the_upgrade_ends_the_run_at_once(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    with FakeCsms(refuse=404, refusal_body="unknown charge point") as csms:
        result = sim(csms.url, report, "--stations", "2", "--run-timeout", "60")
        attempts = len(csms.paths)
    assert result.returncode == 1, output(result)
    assert attempts == 2  # one per station
    assert "HTTP 404 Not Found (unknown charge point); not retried" in result.stdout
    (first, second) = read_report(report)["failures"]
    assert "HTTP 404" in first["actual"]
    assert "HTTP 404" in second["actual"]
    assert result.stdout.count("connection error:") == 1


# --- pipes ------------------------------------------------------------------------------------------


def test_a_reader_that_leaves_early_ends_the_command_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` that already left: every write fails with EPIPE
    try:
        result = subprocess.run(
            [sys.executable, "-m", "evharness", "scenario", "list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr, result.stderr
    assert "BrokenPipeError" not in result.stderr, result.stderr
    assert result.returncode == 141


# --- timestamps --------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["simulated", "wall"])
def test_wall_timestamps_never_run_ahead_of_the_wall_clock(tmp_path: Path, mode: str) -> None:
    report = tmp_path / "report.json"
    scenario = scenario_file(
        tmp_path,
        tokens=[{"id": "card", "type": "rfid", "code": "04A2B3C4", "expect": "Accepted"}],
        steps=[
            "boot",
            "plug_in",
            {"present_token": {"token": "card"}},
            {"charge": {"duration": "45m"}},
            "stop",
        ],
    )
    with FakeCsms() as csms:
        result = sim(csms.url, report, "--scenario", scenario, "--protocol", "1.6", "--timestamps", mode)
        ended = datetime.now(UTC)
    assert result.returncode == 0, output(result)
    assert f"{mode} timestamps" in result.stdout
    assert read_report(report)["timestamps"] == mode
    stamps = [
        datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        for direction, text in csms.frames
        if direction == "in"
        for stamp in re.findall(r'"timestamp": ?"([^"]+)"', text)
    ]
    (stop,) = [json.loads(text)[3] for direction, text in csms.frames if '"StopTransaction"' in text]
    stopped = datetime.fromisoformat(stop["timestamp"].replace("Z", "+00:00"))
    if mode == "wall":
        assert max(stamps) <= ended
    else:  # simulated time ran 45 minutes in a moment: the stop is stamped that far ahead
        assert stopped - ended > timedelta(minutes=30)
    assert stamps == sorted(stamps)
