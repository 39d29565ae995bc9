"""An unscripted cut (issue 13): the CSMS drops the connection and refuses it for a while (a restart,
a network cut). The station's clock keeps running through the back-off: it keeps charging and
metering, queues its transaction messages and replays them once back — 2.0.1 with `offline: true`
and a gap-free seqNo, 1.6 in order — with no hole in the samples. Real websockets, scaled time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.timefmt import parse_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.backoff import Backoff
from evharness.simulator.core.clock import ScaledClock
from evharness.simulator.core.model import PresentedToken, StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from tests.strict_csms import StationSide, strict_csms, until

SCALE = 600.0
INTERVAL = 60.0  # simulated: 100 ms real
OFFLINE_S = 1.0  # real: 600 simulated seconds, 10 intervals


def sample_times(side: StationSide, version: OcppVersion) -> list[float]:
    if version is OcppVersion.V16:
        values = [v for p in side.calls("MeterValues") for v in p["meterValue"]]
    else:
        values = [v for p in side.calls("TransactionEvent") for v in p.get("meterValue", [])]
    periodic = [v for v in values if v["sampledValue"][0].get("context") == "Sample.Periodic"]
    return [parse_timestamp(v["timestamp"]).timestamp() for v in periodic]


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_cut_connection_does_not_stop_the_station(version: OcppVersion) -> None:
    async def scenario() -> tuple[StationSide, float, float]:
        async with strict_csms(version) as csms:
            clock = ScaledClock(SCALE)
            config = StationConfig(
                serial_number="CUT-1", meter_interval_s=INTERVAL, call_timeout_s=30 * SCALE
            )
            station = Station("CUT-1", adapter_for(version), config, clock.now(), validate_outgoing=True)
            link = StationLink(station, csms.url, clock, backoff=Backoff(0.05, 0.2, 0.0), keep_running=True)
            link.make_interactive()
            task = asyncio.create_task(link.run())

            def act(what: Callable[[float], Any]) -> None:
                what(clock.now())
                link.kick()

            try:
                await until(lambda: station.connected, "the connection")
                act(station.boot)
                await until(lambda: station.boot_status == "Accepted", "the boot")
                act(lambda now: station.plug_in(1, 1, now))
                act(lambda now: station.present_token(1, PresentedToken(IdType.RFID, "04A2B3C4"), now))
                await until(lambda: station.evses[1].transaction is not None, "a transaction")
                await until(lambda: station.evses[1].transaction.authorized, "its authorization")  # type: ignore[union-attr]
                act(lambda now: station.ev_draw(1, 7_400.0, now))
                await asyncio.sleep(0.3)
                await csms.cut("CUT-1", refuse_for=OFFLINE_S)
                await until(lambda: not station.connected, "the cut")
                cut_at = clock.now()
                await until(lambda: station.connected, "the reconnection", seconds=OFFLINE_S + 10)
                back_at = clock.now()
                await until(lambda: not station.messages_waiting(None), "the replay")
                act(lambda now: station.stop_transaction(1, "Local", now))
                await until(lambda: station.idle and not station.rpc.busy, "the end")
                return await csms.station("CUT-1"), cut_at, back_at
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    side, cut_at, back_at = asyncio.run(scenario())
    assert side.connections == 2
    assert side.violations == []
    times = sample_times(side, version)
    assert times == sorted(times)  # in order
    during = [t for t in times if cut_at < t < back_at]
    # sampled all through the cut (about ten intervals; a loaded machine may stall a few)
    assert len(during) >= (back_at - cut_at) / INTERVAL / 3, (during, cut_at, back_at)
    if version is not OcppVersion.V16:
        events = side.calls("TransactionEvent")
        assert [e["seqNo"] for e in events] == list(range(len(events)))  # gap-free
        assert sum(1 for e in events if e.get("offline")) >= 5
