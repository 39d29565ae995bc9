"""`/api/operations/{station}/boot-policy` on a real backend with a real station socket: the operator holds
a station Pending or Rejected, the backend triggers its next boot, refuses what B02 forbids, and refuses
bad input naming the field without changing anything."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from evharness.conformance.station import OcttStation
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.settings import BackendSettings

from .helpers import boot_16, boot_201

TOKEN = "operator-secret"
Scenario = Callable[[BackendServer], Awaitable[None]]


def request(method: str, url: str, payload: Any = None, token: str | None = TOKEN) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None if payload is None else json.dumps(payload).encode()
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data, headers, method=method), timeout=10
        ) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


async def api(backend: BackendServer, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
    return await asyncio.to_thread(request, method, backend.api_url + "operations/" + path, payload)


def run(sqlite_url: str, scenario: Scenario, **settings: Any) -> None:
    config = BackendSettings(
        ocpp_port=0, api_port=0, database_url=sqlite_url, operator_token=TOKEN, **settings
    )

    async def main() -> None:
        async with BackendServer(config) as backend:
            await scenario(backend)

    asyncio.run(main())


def test_held_pending_and_triggered_to_accepted(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer) -> None:
        status, body = await api(backend, "PUT", "CP-1/boot-policy", {"policy": "pending", "trigger": True})
        assert status == 200, body
        assert (body["policy"], body["retry_interval"], body["own"], body["connected"]) == (
            "pending",
            45,
            True,
            False,
        )
        station = OcttStation("CP-1", OcppVersion.V201, backend.ocpp_url, call_timeout=5)
        await station.connect()
        try:
            first = (await station.call("BootNotification", boot_201())).require()
            assert (first["status"], first["interval"]) == ("Pending", 45)
            trigger = await station.expect_call("TriggerMessage", 5)  # F06, sent by the CSMS itself
            assert trigger.payload == {"requestedMessage": "BootNotification"}
            refused = await api(
                backend,
                "POST",
                "CP-1/RequestStartTransaction",
                {"idToken": {"idToken": "A", "type": "Local"}, "remoteStartId": 1},
            )
            assert refused[0] == 409, refused
            assert "Pending" in refused[1]["detail"]
            assert station.received == [trigger]  # nothing forbidden reached the station
            status, body = await api(backend, "GET", "CP-1/boot-policy")
            assert (status, body["registration"], body["connected"]) == (200, "Pending", True)
            triggered = {**boot_201(), "reason": "Triggered"}
            assert (await station.call("BootNotification", triggered)).require()["status"] == "Accepted"
            assert (await api(backend, "GET", "CP-1/boot-policy"))[1]["registration"] == "Accepted"
        finally:
            await station.disconnect()

    run(sqlite_url, scenario, boot_retry_interval=45)


def test_rejected_by_default_until_the_operator_accepts_the_station(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer) -> None:
        station = OcttStation("CP-16", OcppVersion.V16, backend.ocpp_url, call_timeout=5)
        await station.connect()
        try:
            assert (await station.call("BootNotification", boot_16())).require()["status"] == "Rejected"
            answer = await station.call("Heartbeat", {})
            assert answer.error == "SecurityError"
            status, body = await api(backend, "POST", "CP-16/GetConfiguration", {})
            assert status == 409, body  # the CSMS sends a Rejected station nothing
            status, body = await api(backend, "PUT", "CP-16/boot-policy", {"policy": "accepted"})
            assert (status, body["policy"], body["registration"]) == (200, "accepted", "Rejected")
            assert (await station.call("BootNotification", boot_16())).require()["status"] == "Accepted"
            status, body = await api(backend, "DELETE", "CP-16/boot-policy")
            assert (status, body["policy"], body["own"]) == (200, "rejected", False)
        finally:
            await station.disconnect()

    run(sqlite_url, scenario, boot_policy="rejected")


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("CP-1/boot-policy", {"policy": "maybe"}, "policy"),
        ("CP-1/boot-policy", {"policy": "pending", "retry_interval": 0}, "retry_interval"),
        ("CP-1/boot-policy", {"policy": "pending", "trigger": "often"}, "trigger"),
        ("CP-1/boot-policy", {"policy": "pending", "interval": 5}, "interval"),
        ("CP-1/boot-policy", {}, "policy"),
        ("a:b/boot-policy", {"policy": "pending"}, "station_id"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    sqlite_url: str, path: str, payload: dict[str, Any], field: str
) -> None:
    async def scenario(backend: BackendServer) -> None:
        status, body = await api(backend, "PUT", path, payload)
        assert status == 422, body
        assert field in json.dumps(body["detail"])
        assert not backend.boot_policies.is_own(path.split("/")[0])
        assert (await api(backend, "GET", "CP-1/boot-policy"))[1]["policy"] == "accepted"

    run(sqlite_url, scenario)


def test_the_boot_policy_needs_the_operator_token(sqlite_url: str) -> None:
    async def scenario(backend: BackendServer) -> None:
        url = backend.api_url + "operations/CP-1/boot-policy"
        status, _ = await asyncio.to_thread(request, "PUT", url, {"policy": "rejected"}, "wrong")
        assert status == 401
        assert not backend.boot_policies.is_own("CP-1")

    run(sqlite_url, scenario)
