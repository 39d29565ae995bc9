"""A Locust station user whose connection is cut mid-charge (issue 13), as `evharness sim`'s stations
are in tests/simulator/asyncio/test_connection_cut.py: a real `locust` process against a strict CSMS
on 127.0.0.1 that drops the connection and refuses it for a while (a CSMS restart, a network cut).
The station keeps charging and metering through the cut, queues its transaction messages and
replays them once back — 2.0.1 with `offline: true` and a gap-free seqNo, 1.6 in order — with no
hole in the samples; its session goes on where it was."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from evharness.ocppj.timefmt import parse_timestamp
from evharness.ocppj.versions import OcppVersion
from tests.loadtests.test_locust import LOCUSTFILE, ROOT, clean_env
from tests.strict_csms import StationSide, strict_csms, until

SCALE = 600.0
INTERVAL = 60.0  # simulated: 100 ms real
OFFLINE_S = 1.0  # real: 600 simulated seconds, ten intervals
SCENARIO = """
name: Cut charging
description: one 30-minute charge, cut in the middle.
station: {evses: 1, max_power_kw: 11, meter_interval: 60s}
tokens:
  - {id: card, type: rfid, code: "04A2B3C4D5E6F7", expect: Accepted}
steps:
  - boot
  - plug_in
  - present_token: {token: card}
  - charge: {duration: 30m, power_kw: 11}
  - stop
  - unplug
"""


async def locust(url: str, version: OcppVersion, scenario: Path, *extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--host", url, "--headless",
        "-u", "1", "-r", "1", "-t", "40s", "--only-summary", "--id-prefix", "CUT",
        "--protocol", version.value, "--scenario", str(scenario), "--time-scale", str(SCALE), *extra,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, env=clean_env(), cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip


async def stopped(process: asyncio.subprocess.Process) -> None:
    """End the locust process we started (by its pid), however the test went."""
    if process.returncode is None:
        process.terminate()
        try:
            async with asyncio.timeout(15):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()


def first_transaction(side: StationSide, version: OcppVersion) -> list[dict[str, Any]]:
    """The payloads of the station's first transaction, from its start to its end, in order."""
    if version is OcppVersion.V16:
        frames = [f for d, f in side.frames if d == "in" and f[0] == 2]
        start = next(i for i, f in enumerate(frames) if f[2] == "StartTransaction")
        end = next(i for i, f in enumerate(frames) if f[2] == "StopTransaction" and i > start)
        return [f[3] for f in frames[start : end + 1] if f[2] in ("MeterValues", "StopTransaction")]
    events = side.calls("TransactionEvent")
    first = events[0]["transactionInfo"]["transactionId"]
    return [e for e in events if e["transactionInfo"]["transactionId"] == first]


def periodic_times(payloads: list[dict[str, Any]]) -> list[float]:
    values = [v for p in payloads for v in p.get("meterValue", [])]
    periodic = [v for v in values if v["sampledValue"][0].get("context") == "Sample.Periodic"]
    return [parse_timestamp(v["timestamp"]).timestamp() for v in periodic]


def ended(side: StationSide, version: OcppVersion) -> bool:
    if version is OcppVersion.V16:
        return bool(side.calls("StopTransaction"))
    return any(e["eventType"] == "Ended" for e in side.calls("TransactionEvent"))


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_cut_connection_does_not_stop_a_locust_station(tmp_path: Path, version: OcppVersion) -> None:
    scenario = tmp_path / "cut.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")

    async def run() -> StationSide:
        async with strict_csms(version) as csms:
            process = await locust(csms.url, version, scenario)
            try:
                side = await csms.station("CUT-0001")
                sample = "MeterValues" if version is OcppVersion.V16 else "TransactionEvent"
                await until(
                    lambda: bool(side.open_transactions()) and len(side.calls(sample)) >= 4, "charging"
                )
                await csms.cut("CUT-0001", refuse_for=OFFLINE_S)
                await until(lambda: side.connections >= 2, "the reconnection")
                await until(lambda: ended(side, version), "the end of the session")
            finally:
                with contextlib.suppress(ProcessLookupError):
                    await stopped(process)
            return side

    side = asyncio.run(run())
    assert side.violations == []
    payloads = first_transaction(side, version)
    times = periodic_times(payloads)
    assert times == sorted(times)  # in order
    end = parse_timestamp(payloads[-1]["timestamp"]).timestamp()
    gaps = [later - earlier for earlier, later in zip(times, [*times[1:], end], strict=True)]
    # sampled all through the cut, up to the end: ten intervals offline, no hole (a loaded machine
    # may stall a few)
    assert max(gaps) <= 4 * INTERVAL, gaps
    assert times[-1] - times[0] >= 15 * INTERVAL, times  # the charge went on: half an hour of samples
    if version is not OcppVersion.V16:
        assert [e["seqNo"] for e in payloads] == list(range(len(payloads)))  # gap-free
        assert sum(1 for e in payloads if e.get("offline")) >= 3
        assert payloads[-1]["eventType"] == "Ended"


@pytest.mark.parametrize("mode", ["simulated", "wall"])
def test_locust_stations_stamp_wall_clock_time_when_told(tmp_path: Path, mode: str) -> None:
    """`--timestamps wall` (EVHARNESS_TIMESTAMPS), as `evharness sim` has it: at ×600 a station's
    simulated time runs half an hour ahead in three seconds; with wall timestamps no message is
    stamped later than the moment it reached the CSMS."""
    scenario = tmp_path / "cut.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")

    async def run() -> StationSide:
        async with strict_csms(OcppVersion.V16) as csms:
            process = await locust(csms.url, OcppVersion.V16, scenario, "--timestamps", mode)
            try:
                side = await csms.station("CUT-0001")
                await until(lambda: bool(side.calls("StopTransaction")), "the end of the session")
            finally:
                with contextlib.suppress(ProcessLookupError):
                    await stopped(process)
            return side

    side = asyncio.run(run())
    received = time.time()
    stamps = [
        parse_timestamp(payload["timestamp"]).timestamp()
        for action in ("StartTransaction", "MeterValues", "StopTransaction")
        for payload in side.calls(action)
        if "timestamp" in payload
    ]
    (stop,) = side.calls("StopTransaction")[:1]
    if mode == "wall":
        assert max(stamps) <= received
    else:  # simulated time ran 30 minutes in three seconds: the stop is stamped that far ahead
        assert parse_timestamp(stop["timestamp"]).timestamp() - received > 20 * 60
