"""The backend's /metrics over HTTP, after a real station's session and a few bad frames."""

from __future__ import annotations

import asyncio
import re
import urllib.request

from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from evharness import scenarios
from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.metrics import CsmsMetrics
from evharness.reference_backend.settings import BackendSettings
from evharness.seed import seed
from evharness.simulator.asyncio.live import LiveStation

CARD = "04A2B3C4D50001"  # accepted in the bundled rfid_charging scenario


def scrape(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text: str = answer.read().decode()
        return text


def value(text: str, name: str, **labels: str) -> float:
    """The sample of `name` with exactly these labels."""
    for line in text.splitlines():
        if not line.startswith(name + ("{" if labels else " ")):
            continue
        shown = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if shown == labels:
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} {labels} not in:\n{text}")


def test_metrics_count_stations_messages_outcomes_and_commits(database_url: str) -> None:
    seed(database_url, scenarios.load("rfid_charging"), 1, "SIM")

    async def session() -> tuple[str, str]:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=database_url, log_level="warning")
        async with BackendServer(settings) as backend:
            url = f"http://127.0.0.1:{backend.api_port}/metrics"
            station = LiveStation("SIM-0001", OcppVersion.V16, backend.ocpp_url)
            await station.connect()
            assert await station.boot() == "Accepted"
            await station.plug_in()
            assert await station.present_token(IdType.RFID, CARD) == "Accepted"
            await station.charge(energy_kwh=1)
            await station.stop()
            subprotocols = [Subprotocol("ocpp1.6")]
            async with connect(f"{backend.ocpp_url}SIM-0002", subprotocols=subprotocols, proxy=None) as rogue:
                for text in ('[2, "m1", "Explode", {}]', "not a frame", '[2, "m2", "Heartbeat", {'):
                    await rogue.send(text)
                    await asyncio.wait_for(rogue.recv(), 5)
                during = await asyncio.to_thread(scrape, url)
            await station.close()
            for _ in range(200):
                if not backend.connected_stations:
                    break
                await asyncio.sleep(0.01)
            after = await asyncio.to_thread(scrape, url)
            return during, after

    during, after = asyncio.run(session())
    assert value(during, "evharness_csms_connected_stations") == 2
    assert value(after, "evharness_csms_connected_stations") == 0
    for action in ("BootNotification", "Authorize", "StartTransaction", "StopTransaction"):
        labels = {"action": action, "direction": "from_station", "outcome": "result"}
        assert value(during, "evharness_csms_messages_total", **labels) == 1, action
        count = value(during, "evharness_csms_message_seconds_count", action=action, direction="from_station")
        assert count == 1
    explode = {"action": "Explode", "direction": "from_station", "outcome": "NotImplemented"}
    assert value(during, "evharness_csms_messages_total", **explode) == 1
    unreadable = {"action": "(unreadable)", "direction": "from_station", "outcome": "malformed"}
    assert value(during, "evharness_csms_messages_total", **unreadable) == 1
    assert value(during, "evharness_csms_db_commit_seconds_count") >= 4  # boot, start, stop, statuses …
    assert value(during, "evharness_csms_db_commit_seconds_sum") > 0


def test_a_call_unanswered_when_the_connection_closes_is_counted_so() -> None:
    metrics = CsmsMetrics(lambda: 0)
    metrics.frames.sent("CP-1", '[2, "c1", "GetLocalListVersion", {}]')
    metrics.frames.received("CP-1", '[3, "c1", {"listVersion": 1}]')  # a stray answer: not ours twice
    metrics.frames.received("CP-1", '[3, "c1", {"listVersion": 1}]')
    metrics.frames.sent("CP-1", '[2, "c2", "Reset", {"type": "Soft"}]')
    metrics.frames.closed("CP-1")
    text = metrics.render().decode()
    ok = {"action": "GetLocalListVersion", "direction": "to_station", "outcome": "result"}
    assert value(text, "evharness_csms_messages_total", **ok) == 1
    lost = {"action": "Reset", "direction": "to_station", "outcome": "unanswered"}
    assert value(text, "evharness_csms_messages_total", **lost) == 1
