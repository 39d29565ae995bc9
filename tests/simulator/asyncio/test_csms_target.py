"""Reaching a CSMS over real sockets: a URL template with `{identity}`, and refusals that are final."""

from __future__ import annotations

import asyncio
import gc

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.simulator.asyncio.live import LiveStation, StationError
from tests.simulator.fake_csms import FakeCsms


def test_a_csms_route_with_something_after_the_identity_is_reachable() -> None:
    async def scenario(url: str) -> str:
        station = LiveStation("CP 7", OcppVersion.V201, url)
        await station.connect()
        try:
            return await station.boot()
        finally:
            await station.close()

    with FakeCsms() as csms:
        template = f"ws://127.0.0.1:{csms.port}/ws/ocpp/{{identity}}/?token=abc"
        assert asyncio.run(scenario(template)) == "Accepted"
        assert csms.paths == ["/ws/ocpp/CP%207/?token=abc"]


async def connect_once(url: str, patience: float) -> None:
    station = LiveStation("CP-1", OcppVersion.V16, url, answer_timeout=patience)
    try:
        await station.connect()
    finally:
        await station.close()


@pytest.mark.parametrize("status", [400, 401, 404])
def test_a_final_refusal_ends_the_station_at_once_naming_the_status(status: int) -> None:
    with FakeCsms(refuse=status, refusal_body="who are you?") as csms:
        with pytest.raises(StationError, match=f"HTTP {status} .*who are you.*not retried"):
            asyncio.run(connect_once(csms.url, patience=20))
        assert len(csms.paths) == 1  # one attempt, not a retry loop


def test_a_busy_csms_is_tried_again() -> None:
    with FakeCsms(refuse=503) as csms:
        with pytest.raises(StationError, match="timed out"):
            asyncio.run(connect_once(csms.url, patience=1.0))
        assert len(csms.paths) >= 2


def test_closing_a_live_station_leaves_no_task_pending(caplog: pytest.LogCaptureFixture) -> None:
    """A loop closed right after `close()` (no `asyncio.run` to sweep up) finds nothing pending."""

    async def scenario(url: str) -> None:
        station = LiveStation("CP-1", OcppVersion.V201, url)
        await station.connect()
        await station.boot()
        await station.plug_in()
        await station.close()

    with FakeCsms() as csms:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(scenario(csms.url))
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        finally:
            loop.close()
    gc.collect()
    assert pending == []
    assert "Task was destroyed but it is pending" not in caplog.text
