"""Firmware and log files through the reference backend: a firmware image the operator puts on the
backend, downloaded for real by a simulated station the backend told to update (its statuses kept and
listed), and the upload endpoint's refusals — on a running backend over real sockets."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable

import pytest

from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.console import station_files
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.core.clock import ScaledClock
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.outcomes import FirmwareOutcome
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for

TOKEN = "operator-secret"
IMAGE = b"evharness firmware 3.1.0\n" * 200


def http(method: str, url: str, body: bytes | None = None, token: str | None = None) -> tuple[int, bytes]:
    headers = {
        "Content-Type": "application/json" if body and body[:1] == b"{" else "application/octet-stream"
    }
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, body, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for `condition` (the simulated station runs at its own pace), failing with `what`."""
    for _ in range(400):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def run(sqlite_url: str, scenario: Callable[[BackendServer], Awaitable[None]]) -> None:
    settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, operator_token=TOKEN)

    async def main() -> None:
        async with BackendServer(settings) as backend:
            await scenario(backend)

    asyncio.run(main())


def statuses(backend: BackendServer, identity: str, action: str) -> list[str]:
    station_id = backend.store.find_station_id(identity)
    if station_id is None:
        return []
    return [r.status or "" for r in reversed(backend.store.reports(station_id, action))]


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
def test_a_station_downloads_the_backends_firmware_and_its_statuses_are_kept(
    sqlite_url: str, version: OcppVersion
) -> None:
    async def scenario(backend: BackendServer) -> None:
        firmware_url = backend.api_url + "files/firmware/sim-3.1.0.bin"
        status, _ = await asyncio.to_thread(http, "PUT", firmware_url, IMAGE, TOKEN)
        assert status == 204
        assert await asyncio.to_thread(http, "GET", firmware_url) == (200, IMAGE)
        clock = ScaledClock(50.0)
        config = StationConfig(firmware=FirmwareOutcome(install_s=10))
        station = Station("FW-1", adapter_for(version), config, clock.now())
        station.boot(clock.now())
        link = StationLink(station, backend.ocpp_url, clock, keep_running=True)
        running = asyncio.create_task(link.run())
        try:
            await until(lambda: station.boot_status == "Accepted", "the station booted")
            retrieve = format_timestamp(clock.now())
            payload: dict[str, object] = {"location": firmware_url, "retrieveDate": retrieve}
            if version is not OcppVersion.V16:
                firmware = {"location": firmware_url, "retrieveDateTime": retrieve}
                payload = {"requestId": 1, "firmware": firmware}
            url = backend.api_url + "operations/FW-1/UpdateFirmware"
            status, body = await asyncio.to_thread(http, "POST", url, json.dumps(payload).encode(), TOKEN)
            assert status == 200, body
            await until(
                lambda: "Installed" in statuses(backend, "FW-1", "FirmwareStatusNotification"), "Installed"
            )
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
        kept = statuses(backend, "FW-1", "FirmwareStatusNotification")
        assert kept[:3] == ["Downloading", "Downloaded", "Installing"]
        assert station.config.firmware_version == "sim-3.1.0"

    run(sqlite_url, scenario)


def test_the_upload_endpoint_keeps_a_known_stations_file_and_refuses_the_rest(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(station_files, "MAX_UPLOAD_BYTES", 1000)

    async def scenario(backend: BackendServer) -> None:
        backend.store.ensure_station("LOG-1", backend.console.now())
        logs = backend.api_url + "files/logs/"
        status, body = await asyncio.to_thread(http, "PUT", logs + "LOG-1/diag.txt", b"frames\n")
        assert status == 201, body
        status, body = await asyncio.to_thread(http, "POST", logs + "LOG-1/second.txt", b"more\n")
        assert status == 201, body
        refusals: list[tuple[str, bytes, int, str | None]] = [
            ("NOBODY/diag.txt", b"x", 404, None),
            ("LOG-1/big.txt", b"x" * 1001, 413, None),
            ("LOG-1/.hidden", b"x", 422, "filename"),
        ]
        for path, content, expected, field in refusals:
            status, body = await asyncio.to_thread(http, "PUT", logs + path, content)
            assert status == expected, (path, body)
            if field is not None:
                assert json.loads(body)["field"] == field
        station_id = backend.store.find_station_id("LOG-1")
        assert station_id is not None
        with backend.stations.store.begin() as tx:
            kept = tx.files(station_id)
            assert [f.filename for f in kept] == ["second.txt", "diag.txt"]
            assert tx.file(station_id, kept[1].id) == ("diag.txt", b"frames\n")

    run(sqlite_url, scenario)


def test_firmware_files_are_put_by_the_operator_only(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer) -> None:
        url = backend.api_url + "files/firmware/fw.bin"
        assert (await asyncio.to_thread(http, "PUT", url, b"image"))[0] == 401
        assert (await asyncio.to_thread(http, "GET", url))[0] == 404
        assert (await asyncio.to_thread(http, "PUT", url, b"image", TOKEN))[0] == 204
        assert await asyncio.to_thread(http, "GET", url) == (200, b"image")

    run(sqlite_url, scenario)
