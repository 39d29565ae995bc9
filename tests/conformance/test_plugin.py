"""The conformance suite against a CSMS that gets things wrong: the verdicts must say FAIL, with the
expectation, what arrived and the frame log, and the reports (HTML, JUnit XML, cucumber JSON) too."""

from __future__ import annotations

import html
import http
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from evharness.simulator.asyncio.portal import BackgroundLoop

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-01-01T00:00:00Z"

# A sloppy CSMS, one answer per action: accepts every token, uses the 2.0.1 error code on 1.6.
ANSWERS: dict[str, list[Any]] = {
    "BootNotification": [3, {"status": "Accepted", "currentTime": NOW, "interval": 60}],
    "StatusNotification": [3, {}],
    "Authorize": [3, {"idTagInfo": {"status": "Accepted"}}],
    "Heartbeat": [4, "FormatViolation", "no heartbeats today", {}],
    "StartTransaction": [],  # never answered
}


async def sloppy_station_handler(connection: ServerConnection) -> None:
    async for text in connection:
        message = json.loads(text)
        if message[0] != 2:  # it answers answers too: a stray CALLRESULT or CALLERROR gets a CALLERROR
            await connection.send(json.dumps([4, message[1], "GenericError", "no such CALL", {}]))
            continue
        _, message_id, action, _ = message
        answer = ANSWERS.get(action, [4, "NotImplemented", "", {}])
        if answer:
            kind, *rest = answer
            await connection.send(json.dumps([kind, message_id, *rest]))


def echo_first_offered(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
    return offered[0] if offered else None  # agrees to anything, even ocpp0.1


@pytest.fixture(scope="module")
def sloppy_csms() -> Iterator[str]:
    with BackgroundLoop("sloppy-csms") as loop:

        async def start() -> Server:
            return await serve(sloppy_station_handler, "127.0.0.1", 0, select_subprotocol=echo_first_offered)

        server = loop.run(start())
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}/ocpp"

        async def stop() -> None:
            server.close()
            await server.wait_closed()

        loop.run(stop())


@pytest.fixture(scope="module")
def run(
    sloppy_csms: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("reports")
    command = [
        sys.executable, "-m", "pytest", "evharness/suites/conformance/ocpp16", "-p", "no:cacheprovider",
        "-k", "TC_001 or TC_023_1 or TC_088 or TC_013 or TC_007 or malformed", "--csms-url", sloppy_csms,
        "--ocpp-version", "1.6", "--call-timeout", "1", "--conformance-report", str(out / "conformance"),
        "--junitxml", str(out / "junit.xml"), "--cucumberjson", str(out / "cucumber.json"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    return result, out


def test_the_run_fails(run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    result, _ = run
    assert result.returncode == 1, result.stdout[-3000:]
    assert "6 failed" in result.stdout  # TC_023_1 runs with a card and with a PIN
    assert "1 skipped" in result.stdout  # TC_013 needs a driver: NOT APPLICABLE, not passed


def test_a_wrong_status_fails_with_expectation_arrival_and_frames(
    run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    output = run[0].stdout
    assert "Authorize status 'Accepted'; expected Invalid" in output
    assert "OCPP frames" in output
    assert '"Authorize",{"idTag":"DEADBEEF"}' in output


def test_a_wrong_error_code_fails_the_scenario(run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    output = run[0].stdout
    assert "The CSMS broke OCPP-J wire rules" in output
    assert "[error-code]" in output
    assert "'FormatViolation' is no OCPP 1.6 error code" in output


def test_a_csms_that_does_not_answer_in_time_fails(
    run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    output = run[0].stdout
    assert "StartTransaction: expected status Accepted; the CSMS answered Timeout" in output
    assert "[unanswered]" in output or "[timeout]" in output


def test_answering_a_malformed_answer_of_the_station_fails(
    run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    output = run[0].stdout
    assert "[broken-answer]" in output
    assert "the CSMS answered a malformed answer of the station" in output


def test_agreeing_to_an_unknown_subprotocol_fails(run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    assert "offered ocpp0.1; the CSMS upgraded with 'ocpp0.1'" in run[0].stdout


def test_the_reports(run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = run
    page = (out / "conformance" / "index.html").read_text()
    for verdict in ("TC_023_1_CSMS", "FAIL", "NOT APPLICABLE", "no driver is configured"):
        assert verdict in page
    logs = list((out / "conformance" / "logs").glob("*tc_023_1*_invalid.log"))
    assert len(logs) == 1
    log = logs[0].read_text()
    assert "verdict: FAIL" in log
    assert "station → CSMS" in log
    assert "CSMS → station" in log
    cases = ET.parse(out / "junit.xml").getroot().iter("testcase")
    failed = {case.get("name") for case in cases if case.find("failure") is not None}
    assert any(name and "tc_023_1" in name for name in failed)
    cucumber = json.loads((out / "cucumber.json").read_text())
    statuses = {
        element["name"]: {step["result"]["status"] for step in element["steps"]}
        for feature in cucumber
        for element in feature["elements"]
    }
    assert "failed" in statuses["TC_023_1_CSMS Start Charging Session - Authorize invalid"]


def collected(env: dict[str, str], *args: str) -> str:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "evharness/suites/conformance",
        "--collect-only",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    result = subprocess.run(
        [*command, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False, env=env
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


def test_options_are_also_environment_variables() -> None:
    import os

    env = {**os.environ, "EVHARNESS_OCPP_VERSION": "2.0.1"}
    only_201 = collected(env)
    assert "test_ocpp201.py" in only_201
    assert "test_ocpp16.py" not in only_201
    both = collected(env, "--ocpp-version", "1.6,2.0.1")  # the flag wins over the variable
    assert "test_ocpp16.py" in both
    assert "test_ocpp201.py" in both


def test_boot_pending_cases_are_not_applicable_for_a_csms_that_does_not_declare_it(
    sloppy_csms: str, tmp_path: Path
) -> None:
    """The bundled target file says `boot_pending: false`; only the reference backend started here has it."""
    command = [
        sys.executable, "-m", "pytest", "evharness/suites/conformance/ocpp201", "-p", "no:cacheprovider",
        "-k", "TC_B_02 or TC_B_30 or TC_B_31", "--csms-url", sloppy_csms, "--ocpp-version", "2.0.1",
        "--conformance-report", str(tmp_path), "-rs",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "3 skipped" in result.stdout
    assert "NOT APPLICABLE: the case needs the optional CSMS feature 'boot_pending'" in result.stdout


@pytest.mark.parametrize(
    ("factory", "verdict", "reason"),
    [
        ("broken", "FAIL", "RuntimeError: the CSMS's API answered 503 to POST /stations/reset"),
        ("not_applicable", "NOT APPLICABLE", "this CSMS has no API to reset a station"),
    ],
)
def test_a_driver_error_ends_the_case_with_its_reason(
    sloppy_csms: str, tmp_path: Path, factory: str, verdict: str, reason: str
) -> None:
    """Issue 13: a raising perform() is the verdict's reason at once — terminal, HTML report, case log."""
    command = [
        sys.executable, "-m", "pytest", "evharness/suites/conformance/ocpp16", "-p", "no:cacheprovider",
        "-k", "TC_013", "--csms-url", sloppy_csms, "--ocpp-version", "1.6", "--call-timeout", "1",
        "--driver", f"tests.conformance.failing_drivers:{factory}", "--conformance-report", str(tmp_path),
        "-rs",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    output = result.stdout
    assert reason in output, output[-3000:]
    assert "got no CALL" not in output
    assert ("1 failed" if verdict == "FAIL" else "1 skipped") in output
    page = (tmp_path / "index.html").read_text()
    assert verdict in page
    assert html.escape(reason) in page
    (log,) = (tmp_path / "logs").glob("*tc_013*.log")
    assert f"verdict: {verdict}" in log.read_text()
    assert reason in log.read_text()


@pytest.fixture(scope="module")
def failing_csms() -> Iterator[str]:
    """A CSMS that answers HTTP 500 to every upgrade: it refuses everyone, whatever the credentials."""

    def server_error(connection: ServerConnection, request: Request) -> Response:
        return connection.respond(http.HTTPStatus.INTERNAL_SERVER_ERROR, "database is down\n")

    with BackgroundLoop("failing-csms") as loop:

        async def start() -> Server:
            return await serve(sloppy_station_handler, "127.0.0.1", 0, process_request=server_error)

        server = loop.run(start())
        yield f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/ocpp"

        async def stop() -> None:
            server.close()
            await server.wait_closed()

        loop.run(stop())


def test_negative_cases_fail_when_the_csms_refuses_everyone(failing_csms: str, tmp_path: Path) -> None:
    """Issue 13: TC_A_02/03 must see the refusal they expect; an HTTP 500 is no refusal of credentials,
    and the case log records the HTTP status of every refused upgrade."""
    command = [
        sys.executable, "-m", "pytest", "evharness/suites/conformance/ocpp201", "-p", "no:cacheprovider",
        "-k", "TC_A_01 or TC_A_02 or TC_A_03", "--csms-url", failing_csms, "--ocpp-version", "2.0.1",
        "--call-timeout", "1", "--conformance-report", str(tmp_path),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert "3 failed" in result.stdout, result.stdout[-3000:]
    assert "the CSMS refused the right credentials too" in result.stdout
    for case in ("tc_a_02", "tc_a_03"):
        (log,) = (tmp_path / "logs").glob(f"*{case}*.log")
        assert "HTTP 500" in log.read_text()
