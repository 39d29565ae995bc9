"""`evharness sim --processes 2` as a person runs it: two workers of 20 stations each against the
reference backend on 127.0.0.1, one summary, one control API, a worker killed on purpose."""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect

from evharness import scenarios
from evharness.backend_process import BackendProcess
from evharness.seed import seed
from tests.test_commands import evharness, output, read_report

STATIONS = 40
WAIT_S = 60.0  # a bound on waiting for a line of output, never an assertion about speed


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('backend') / 'backend.sqlite3'}"
    seed(database_url, scenarios.load("pin_charging"), STATIONS, "SIM")
    with BackendProcess(database_url) as process:
        yield process


def identities(first: int, last: int) -> set[str]:
    return {f"SIM-{number:04d}" for number in range(first, last + 1)}


def test_two_workers_print_one_merged_summary_and_keep_their_own_journals(
    backend: BackendProcess, tmp_path: Path
) -> None:
    report, state_dir = tmp_path / "report.json", tmp_path / "state"
    result = evharness(
        "sim", "--csms-url", f"{backend.ocpp_url}/{{identity}}", "--stations", str(STATIONS),
        "--processes", "2", "--scenario", "pin_charging", "--time-scale", "3000", "--run-timeout", "60",
        "--report", str(report), "--state-dir", str(state_dir),
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, output(result)
    assert "worker 1: SIM-0001 … SIM-0020 (20 stations)" in result.stdout
    assert "worker 2: SIM-0021 … SIM-0040 (20 stations)" in result.stdout
    assert result.stdout.count("PASS") == 1, output(result)
    summary = read_report(report)
    assert (summary["stations"], summary["stations_ok"], summary["failures"]) == (40, 40, [])
    assert summary["sessions_started"] == summary["sessions_completed"] == 40
    assert {row["what"]: (row["held"], row["failed"]) for row in summary["expectations"]} == {
        row["what"]: (40, 0) for row in summary["expectations"]
    }
    assert summary["actions"]["BootNotification"]["count"] == 40
    assert summary["authorizations"]["csms"] == 160  # four tokens per station, each asked once
    journals = {path.name.removesuffix(".journal.json") for path in state_dir.iterdir()}
    assert journals == identities(1, 40)  # each station's own file, written by the worker holding it


class RunningSim:
    """`evharness sim` as a child process, its output read line by line as it comes."""

    def __init__(self, *args: str) -> None:
        env = {name: value for name, value in os.environ.items() if not name.startswith("EVHARNESS_")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "evharness", "sim", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env | {"COLUMNS": "200", "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def line(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=WAIT_S)
        self._reader.join(timeout=10)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=30) as answer:
        return json.loads(answer.read())


async def command(url: str, *messages: dict[str, Any]) -> list[dict[str, Any]]:
    """Send each message on one control connection; the reply to each (events are skipped)."""
    replies = []
    async with connect(url, proxy=None) as control:
        for number, message in enumerate(messages, 1):
            await control.send(json.dumps({"id": number, **message}))
            while True:
                reply = json.loads(await control.recv())
                if reply.get("id") == number:
                    replies.append(reply)
                    break
    return replies


async def fleet_view(url: str, **query: Any) -> dict[str, Any]:
    async with connect(url, proxy=None) as control:
        await control.send(json.dumps({"id": 1, "command": "subscribe", "view": "fleet", **query}))
        while True:
            event: dict[str, Any] = json.loads(await control.recv())
            if event.get("event") == "fleet" and event["counts"]["idle"] == STATIONS:
                return event


def test_the_control_api_sees_both_workers_and_a_killed_worker_is_reported(
    backend: BackendProcess, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    sim = RunningSim(
        "--csms-url", f"{backend.ocpp_url}/{{identity}}", "--stations", str(STATIONS), "--processes", "2",
        "--scenario", "boot_only", "--time-scale", "60", "--control-port", "0", "--report", str(report),
    )  # fmt: skip
    try:
        base = sim.line(r"control API  (http://\S+?)/stations").group(1)
        control = base.replace("http://", "ws://") + "/control"
        pid = int(sim.line(r"worker 2: SIM-0021 … SIM-0040 \(20 stations\), pid (\d+)").group(1))
        assert {state["identity"] for state in get(base, "/stations")} == identities(1, 40)
        assert get(base, "/stations/SIM-0040")["identity"] == "SIM-0040"

        page = asyncio.run(fleet_view(control, page=1, size=15))  # rows 16-30: both workers' stations
        assert (page["total"], page["matching"], page["pages"], page["page"]) == (40, 40, 3, 1)
        assert [row["identity"] for row in page["rows"]] == [f"SIM-{n:04d}" for n in range(16, 31)]
        first, last, unknown = asyncio.run(
            command(
                control,
                {"station": "SIM-0001", "command": "state"},
                {"station": "SIM-0040", "command": "plug_in"},
                {"station": "SIM-0099", "command": "state"},
            )
        )
        assert first["ok"]
        assert first["result"]["identity"] == "SIM-0001"
        assert last["ok"]
        assert last["result"]["evses"][0]["connectors"][0]["plugged"]
        assert unknown == {"id": 3, "ok": False, "error": "unknown or missing 'SIM-0099'"}
        with urllib.request.urlopen(base + "/metrics", timeout=30) as answer:
            metrics = answer.read().decode()
        stations = re.findall(r'^evharness_sim_stations\{condition="\w+"\} (\S+)$', metrics, re.MULTILINE)
        assert sum(float(count) for count in stations) == 40

        os.kill(pid, signal.SIGKILL)
        sim.line(r"worker process 2 \(stations SIM-0021 … SIM-0040\) died with exit code -9")
        assert {state["identity"] for state in get(base, "/stations")} == identities(1, 20)
        (refused,) = asyncio.run(command(control, {"station": "SIM-0040", "command": "state"}))
        assert not refused["ok"]
        assert "worker process 2, which died with exit code -9" in refused["error"]
        code = sim.stop()
    finally:
        sim.kill()
    assert code == 1, "\n".join(sim.lines)
    summary = read_report(report)
    assert (summary["stations"], summary["stations_ok"]) == (40, 20)
    (lost,) = summary["failures"]
    assert lost["station"] == "SIM-0021 … SIM-0040"
    assert "died with exit code -9" in lost["actual"]
    assert sum(line.count("FAIL") for line in sim.lines) == 1


def test_stations_that_cannot_fit_under_the_open_files_limit_are_refused(tmp_path: Path) -> None:
    def low_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    env = {name: value for name, value in os.environ.items() if not name.startswith("EVHARNESS_")}
    result = subprocess.run(
        [sys.executable, "-m", "evharness", "sim", "--stations", "3000", "--processes", "2",
         "--scenario", "boot_only", "--csms-url", "ws://127.0.0.1:9/ocpp"],
        capture_output=True, text=True, timeout=60, preexec_fn=low_limit, env=env | {"COLUMNS": "300"},
    )  # fmt: skip
    assert result.returncode == 2, output(result)
    assert "1500 per process" in result.stdout
    assert "the open-files hard limit is 1024 (ulimit -Hn): use --processes 4 or more" in result.stdout
