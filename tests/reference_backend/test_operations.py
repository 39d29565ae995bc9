"""CSMS-initiated CALLs through the operations API, on a real backend and a real station socket."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from evharness.conformance.station import OcttStation
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.settings import BackendSettings

from .helpers import boot_16

TOKEN = "operator-secret"


def post(url: str, payload: dict[str, Any], token: str | None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(payload).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def run(sqlite_url: str, token: str | None, scenario: Any) -> None:
    settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, operator_token=token)

    async def main() -> None:
        async with BackendServer(settings) as backend:
            station = OcttStation("OPS-1", OcppVersion.V16, backend.ocpp_url, call_timeout=5)
            await station.connect()
            assert (await station.call("BootNotification", boot_16())).require()["status"] == "Accepted"
            try:
                await scenario(backend, station)
            finally:
                await station.disconnect()

    asyncio.run(main())


def test_the_backend_sends_a_call_and_reports_the_station_answer(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer, station: OcttStation) -> None:
        station.answer_with("Reset", {"status": "Rejected"})
        url = backend.api_url + "operations/OPS-1/Reset"
        status, body = await asyncio.to_thread(post, url, {"type": "Hard"}, TOKEN)
        assert status == 200, body
        assert body["status"] == "result"
        assert body["payload"] == {"status": "Rejected"}
        (received,) = station.received
        assert (received.action, received.payload) == ("Reset", {"type": "Hard"})

    run(sqlite_url, TOKEN, scenario)


@pytest.mark.parametrize(
    ("path", "payload", "token", "expected"),
    [
        ("OPS-1/Reset", {"type": "Hard"}, None, 401),
        ("OPS-1/Reset", {"type": "Hard"}, "wrong", 401),
        ("OPS-1/Reset", {"type": "Sideways"}, TOKEN, 422),  # never sends a schema-invalid CALL
        ("OPS-1/FlyToTheMoon", {}, TOKEN, 422),
        ("NOT-CONNECTED/Reset", {"type": "Hard"}, TOKEN, 404),
    ],
)
def test_refusals(
    sqlite_url: str, path: str, payload: dict[str, Any], token: str | None, expected: int
) -> None:
    async def scenario(backend: BackendServer, station: OcttStation) -> None:
        status, body = await asyncio.to_thread(post, backend.api_url + "operations/" + path, payload, token)
        assert status == expected, body
        assert station.received == []

    run(sqlite_url, TOKEN, scenario)


def test_without_an_operator_token_operations_are_disabled(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer, station: OcttStation) -> None:
        status, body = await asyncio.to_thread(
            post, backend.api_url + "operations/OPS-1/Reset", {"type": "Hard"}, ""
        )
        assert status == 403
        assert "--operator-token" in body["detail"]

    run(sqlite_url, None, scenario)


def test_a_station_that_never_answers_times_out(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer, station: OcttStation) -> None:
        backend.operations.timeout = 0.3
        station.answer_with("Reset", None)
        status, body = await asyncio.to_thread(
            post, backend.api_url + "operations/OPS-1/Reset", {"type": "Soft"}, TOKEN
        )
        assert (status, body["status"]) == (200, "timeout")

    run(sqlite_url, TOKEN, scenario)
