"""`kill -9` of a real `evharness sim --state-dir S` while it charges, then the same command again
(issue 13): the journal held the running transaction, so the restarted station ends it as a power
loss (1.6 StopTransaction / 2.0.1 TransactionEvent Ended, reason PowerLoss) and the CSMS is left with
no transaction open. A strict CSMS on real websockets at 127.0.0.1; bounded in time."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from evharness.ocppj.versions import OcppVersion
from tests.strict_csms import StationSide, strict_csms, until

SCENARIO = """
name: Crash and restart
description: one session of an hour, long enough to be killed in.
station: {evses: 1, max_power_kw: 11, meter_interval: 60s}
tokens:
  - {id: card, type: rfid, code: "04A2B3C4D5E6F7", expect: Accepted}
steps:
  - boot
  - plug_in
  - present_token: {token: card}
  - charge: {duration: 60m, power_kw: 11}
  - stop
  - unplug
"""


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_kill_9_mid_session_then_the_same_command_leaves_no_transaction_open(
    tmp_path: Path, version: OcppVersion
) -> None:
    scenario = tmp_path / "crash.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    environ = {name: value for name, value in os.environ.items() if not name.startswith("EVHARNESS_")}

    async def sim(url: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "evharness", "sim", "--csms-url", url, "--protocol", version.value,
            "--scenario", str(scenario), "--time-scale", "600", "--state-dir", str(tmp_path / "state"),
            "--run-timeout", "40", "--progress-interval", "0",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, env=environ,
            start_new_session=True,
        )  # fmt: skip

    async def scenario_run() -> tuple[StationSide, set[str], int]:
        async with strict_csms(version) as csms:
            first = await sim(csms.url)
            try:
                side = await csms.station("SIM-0001")
                sample = "MeterValues" if version is OcppVersion.V16 else "TransactionEvent"
                await until(
                    lambda: bool(side.open_transactions()) and len(side.calls(sample)) >= 3, "charging"
                )
            finally:
                os.kill(first.pid, signal.SIGKILL)  # mid-session: nothing gets to clean up
                await first.wait()
            left_open = side.open_transactions()
            second = await sim(csms.url)
            async with asyncio.timeout(60):
                code = await second.wait()
            return side, left_open, code

    side, left_open, code = asyncio.run(scenario_run())
    assert left_open, "the kill should leave the CSMS with the transaction open"
    assert side.open_transactions() == set()
    if version is OcppVersion.V16:
        reasons = [stop.get("reason") for stop in side.calls("StopTransaction")]
    else:
        ended = [e for e in side.calls("TransactionEvent") if e["eventType"] == "Ended"]
        reasons = [e["transactionInfo"].get("stoppedReason") for e in ended]
    assert "PowerLoss" in reasons, reasons
    assert code == 0
    assert side.violations == []
