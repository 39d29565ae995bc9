"""The control port's pages, live views, metrics and origin check, over real sockets."""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from evharness.simulator.asyncio.control import ControlClient
from tests.simulator.asyncio.web.conftest import RFID, RunningFleet


def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    found = re.search(f"^{pattern}$", text, re.MULTILINE)
    assert found, f"{name} {labels} not in:\n{text}"
    return float(found.group(1))


def test_pages_are_served_with_the_security_headers(running_fleet: RunningFleet) -> None:
    for path in ("/ui", "/ui/station/SIM-0001", "/ui/static/fleet.js", "/ui/static/style.css"):
        status, headers, body = running_fleet.get(path)
        assert status == 200
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert body
    assert running_fleet.get("/ui/static/fleet.js")[1]["Content-Type"].startswith("text/javascript")
    for missing in ("/ui/static/nothing.js", "/ui/static/..%2Fpages.py", "/nowhere"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            running_fleet.get(missing)
        assert refused.value.code == 404


def handshake(port: int, host: str) -> int:
    """The status of a WebSocket handshake sent with exactly this Host header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", "/control", skip_host=True)
    for name, value in (
        ("Host", host),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", base64.b64encode(b"0123456789abcdef").decode()),
        ("Sec-WebSocket-Version", "13"),
    ):
        connection.putheader(name, value)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


def test_another_sites_page_cannot_open_the_control_websocket(running_fleet: RunningFleet) -> None:
    url = f"ws://127.0.0.1:{running_fleet.control.port}/control"

    async def attempt(**headers: str) -> int:
        try:
            async with connect(url, additional_headers=headers, proxy=None):
                return 101
        except InvalidStatus as refused:
            return refused.response.status_code

    assert running_fleet.loop.run(attempt(Origin="http://evil.example")) == 403
    assert running_fleet.loop.run(attempt(Host="evil.example:80")) == 403  # a second Host header
    assert handshake(running_fleet.control.port, "evil.example") == 403  # DNS rebinding
    assert handshake(running_fleet.control.port, f"localhost:{running_fleet.control.port}") == 101
    same = f"http://127.0.0.1:{running_fleet.control.port}"
    assert running_fleet.loop.run(attempt(Origin=same)) == 101
    assert running_fleet.loop.run(attempt()) == 101  # scripts send no Origin


def test_a_subscriber_is_sent_the_fleet_and_a_station_as_they_change(running_fleet: RunningFleet) -> None:
    url = f"ws://127.0.0.1:{running_fleet.control.port}/control"

    async def watch() -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any], list[str]]:
        async with connect(url, proxy=None) as socket:

            async def ask(message: dict[str, Any]) -> dict[str, Any]:
                await socket.send(json.dumps(message))
                while True:
                    reply: dict[str, Any] = json.loads(await socket.recv())
                    if reply.get("id") == message["id"]:
                        return reply

            async def next_event(kind: str) -> dict[str, Any]:
                while True:
                    event: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 10))
                    if event.get("event") == kind:
                        return event

            refused = await ask({"id": 1, "command": "subscribe", "view": "fleet", "condition": "asleep"})
            assert refused["ok"] is False
            assert "condition must be one of" in refused["error"]
            await ask({"id": 2, "command": "subscribe", "view": "fleet", "search": "0002", "size": 10})
            fleet = await next_event("fleet")
            await ask({"id": 3, "command": "subscribe", "view": "station", "station": "SIM-0001"})
            first = await next_event("station")
            await ask({"id": 4, "station": "SIM-0001", "command": "plug_in"})
            token = {"type": "rfid", "code": RFID}
            await ask({"id": 5, "station": "SIM-0001", "command": "present_token"} | token)
            later: list[dict[str, Any]] = []
            while not any("Authorize" in f["frame"] for event in later for f in event["frames"]):
                later.append(await next_event("station"))
            unknown = await ask({"id": 6, "command": "subscribe", "view": "station", "station": "SIM-9"})
            assert unknown["ok"] is False
            await ask({"id": 7, "command": "unsubscribe"})
            texts = [f["frame"] for event in later for f in event["frames"]]
            return fleet, later, first, texts

    fleet, later, first, texts = running_fleet.loop.run(watch())
    assert [row["identity"] for row in fleet["rows"]] == ["SIM-0002"]
    assert fleet["total"] == 2
    assert fleet["counts"]["idle"] == 2
    assert first["state"]["identity"] == "SIM-0001"
    assert any("BootNotification" in f["frame"] for f in first["frames"])
    assert any(event["state"] and event["state"]["evses"][0]["connectors"][0]["plugged"] for event in later)
    assert any(RFID in text for text in texts)


def test_metrics_count_the_stations_and_their_round_trips(running_fleet: RunningFleet) -> None:
    async def drive() -> None:
        async with ControlClient(f"ws://127.0.0.1:{running_fleet.control.port}/control") as control:
            await control.plug_in("SIM-0002")
            await control.present_token("SIM-0002", "rfid", "DEADBEEF")  # refused by the backend
            await control.go_offline("SIM-0001")
            await asyncio.sleep(0.5)

    before = running_fleet.get("/metrics")[2].decode()
    running_fleet.loop.run(drive())
    status, headers, body = running_fleet.get("/metrics")
    text = body.decode()
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert metric(before, "evharness_sim_stations", condition="idle") == 2
    assert metric(text, "evharness_sim_stations", condition="offline") == 1
    assert metric(text, "evharness_sim_stations", condition="in_transaction") == 1
    assert metric(text, "evharness_sim_round_trips_total", action="BootNotification", outcome="ok") == 2
    assert metric(text, "evharness_sim_round_trips_total", action="Authorize", outcome="ok") == 1
    assert metric(text, "evharness_sim_round_trip_seconds_count", action="Authorize") == 1
    assert metric(text, "evharness_sim_connections_total") == 2
    assert metric(text, "evharness_sim_disconnections_total") == 1
    assert metric(text, "evharness_sim_expectations_total", outcome="failed") == 0
    again = running_fleet.get("/metrics")[2].decode()  # a second scrape counts nothing twice
    assert metric(again, "evharness_sim_round_trips_total", action="BootNotification", outcome="ok") == 2


def test_evharness_sim_prints_the_fleet_pages_address() -> None:
    with socket.socket() as probe:  # a port nothing listens on: the station gives up at once
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    args = ["--csms-url", f"ws://127.0.0.1:{closed}/ocpp", "--scenario", "boot_only", "--control-port", "0"]
    result = subprocess.run(
        [sys.executable, "-m", "evharness", "sim", *args, "--connect-attempts", "1", "--run-timeout", "20"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert re.search(
        r"fleet page +http://127\.0\.0\.1:\d+/ui +metrics +http://127\.0\.0\.1:\d+/metrics", result.stdout
    ), result.stdout + result.stderr
