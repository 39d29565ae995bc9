"""The backend on real sockets: WebSocket handshake rules, whole sessions, the console API."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.settings import BackendSettings

from .helpers import at, boot_16, boot_201, register_16, register_201, transaction_event

Scenario = Callable[[BackendServer], Awaitable[None]]


@pytest.fixture
def on_backend(sqlite_url: str) -> Callable[[Scenario], None]:
    """Run `scenario` against a backend on free ports, then stop it."""
    settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, validate_outgoing=True)

    def run(scenario: Scenario) -> None:
        async def main() -> None:
            async with BackendServer(settings) as backend:
                assert backend.ocpp_port > 0
                assert backend.api_port > 0
                await scenario(backend)

        asyncio.run(main())

    return run


def offer(*names: str) -> list[Subprotocol]:
    return [Subprotocol(name) for name in names]


async def call(ws: ClientConnection, message_id: str, action: str, payload: dict[str, Any]) -> Any:
    await ws.send(orjson.dumps([2, message_id, action, payload]).decode())
    answer = orjson.loads(await ws.recv())
    assert answer[1] == message_id
    return answer


async def get(url: str) -> bytes:
    """An HTTP GET off the event loop, which must keep serving meanwhile."""

    def fetch() -> bytes:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body

    return await asyncio.to_thread(fetch)


async def get_json(url: str) -> Any:
    return orjson.loads(await get(url))


async def refused_status(url: str, subprotocols: list[Subprotocol] | None) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, subprotocols=subprotocols):
            pass
    return refused.value.response.status_code


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        (("ocpp1.6",), "ocpp1.6"),
        (("ocpp2.0.1",), "ocpp2.0.1"),
        (("ocpp2.1", "ocpp2.0.1", "ocpp1.6"), "ocpp2.1"),  # the station's order of preference
        (("ocpp1.6", "ocpp2.0.1"), "ocpp1.6"),
        (("ocpp1.5", "ocpp2.0.1"), "ocpp2.0.1"),
    ],
)
def test_subprotocol_negotiation(
    on_backend: Callable[[Scenario], None], offered: tuple[str, ...], chosen: str
) -> None:
    async def scenario(backend: BackendServer) -> None:
        async with connect(backend.ocpp_url + "CP-1", subprotocols=offer(*offered)) as ws:
            assert ws.subprotocol == chosen

    on_backend(scenario)


def test_refusals(on_backend: Callable[[Scenario], None]) -> None:
    async def scenario(backend: BackendServer) -> None:
        base = f"ws://127.0.0.1:{backend.ocpp_port}"
        assert await refused_status(backend.ocpp_url + "CP-1", None) == 400
        assert await refused_status(backend.ocpp_url + "CP-1", offer("ocpp1.5")) == 400
        for path in ("/", "/other/CP-1", "/ocpp/", "/ocpp/a%3Ab", "/ocpp/" + "x" * 49, "/ocpp/CP-1/extra"):
            assert await refused_status(base + path, offer("ocpp1.6")) == 404, path
        async with connect(base + "/ocpp/RDAM%20123?x=1", subprotocols=offer("ocpp1.6")):
            await asyncio.sleep(0.01)
            assert backend.connected_stations == {"RDAM 123"}

    on_backend(scenario)


def test_a_16_session_over_the_wire(on_backend: Callable[[Scenario], None]) -> None:
    async def scenario(backend: BackendServer) -> None:
        async with connect(backend.ocpp_url + "CP-16", subprotocols=offer("ocpp1.6")) as ws:
            garbled = await call(ws, "x", "BootNotification", {"chargePointVendor": 1})
            assert garbled[:3] == [4, "x", "OccurenceConstraintViolation"]  # chargePointModel missing
            await ws.send("not json")
            assert orjson.loads(await ws.recv())[:3] == [4, "-1", "FormationViolation"]
            assert (await call(ws, "1", "BootNotification", boot_16()))[2]["status"] == "Accepted"
            start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
            started = await call(ws, "2", "StartTransaction", start)
            assert started[2]["idTagInfo"] == {"status": "Invalid"}
            tx = started[2]["transactionId"]
            await call(
                ws,
                "3",
                "MeterValues",
                {"connectorId": 1, "transactionId": tx, "meterValue": [register_16(10, 1500)]},
            )
            stop = {
                "transactionId": tx,
                "meterStop": 3000,
                "timestamp": at(20),
                "transactionData": [register_16(20, 3000)],
            }
            assert (await call(ws, "4", "StopTransaction", stop))[2] == {}
            health = await get_json(backend.api_url + "health")
            assert health == {"status": "ok", "version": health["version"], "stations_connected": 1}
        (record,) = backend.store.transactions("CP-16")
        assert (record.state, record.energy_wh, record.id_token) == ("ended", 3000.0, "CAFEBABE")
        assert len(backend.store.meter_values(record.id)) == 2

    on_backend(scenario)


def test_a_201_session_over_the_wire(on_backend: Callable[[Scenario], None]) -> None:
    async def scenario(backend: BackendServer) -> None:
        async with connect(backend.ocpp_url + "CP-201", subprotocols=offer("ocpp2.0.1")) as ws:
            await ws.send("[2, ")
            assert orjson.loads(await ws.recv())[:3] == [4, "-1", "FormatViolation"]
            assert (await call(ws, "1", "BootNotification", boot_201()))[2]["status"] == "Accepted"
            token = {"idToken": "4821", "type": "KeyCode"}  # the PIN #4821
            started = transaction_event(
                "Started",
                0,
                0,
                reason="Authorized",
                idToken=token,
                evse={"id": 1, "connectorId": 1},
                meterValue=[register_201(0, 500)],
            )
            assert (await call(ws, "2", "TransactionEvent", started))[2] == {
                "idTokenInfo": {"status": "Unknown"}
            }
            ended = transaction_event(
                "Ended",
                1,
                30,
                reason="EVCommunicationLost",
                stopped_reason="EVDisconnected",
                meterValue=[register_201(30, 2500)],
            )
            assert (await call(ws, "3", "TransactionEvent", ended))[2] == {}
        (record,) = backend.store.transactions("CP-201")
        assert (record.transaction_ref, record.state, record.energy_wh, record.stop_reason) == (
            "tx-1",
            "ended",
            2000.0,
            "EVDisconnected",
        )

    on_backend(scenario)


def test_a_reconnecting_station_supersedes_its_old_connection(on_backend: Callable[[Scenario], None]) -> None:
    async def scenario(backend: BackendServer) -> None:
        url = backend.ocpp_url + "CP-1"
        async with connect(url, subprotocols=offer("ocpp1.6")) as old:
            await call(old, "1", "BootNotification", boot_16())
            async with connect(url, subprotocols=offer("ocpp1.6")) as new:
                with pytest.raises(ConnectionClosed):
                    await asyncio.wait_for(old.recv(), 5)
                assert (await call(new, "2", "Heartbeat", {}))[0] == 3
                assert backend.connected_stations == {"CP-1"}
        await asyncio.sleep(0.05)
        assert backend.connected_stations == frozenset()

    on_backend(scenario)


def test_the_api_serves_its_docs_and_health(on_backend: Callable[[Scenario], None]) -> None:
    async def scenario(backend: BackendServer) -> None:
        spec = await get_json(backend.api_url + "openapi.json")
        assert {
            "/api/health",
            "/api/accounts",
            "/api/session",
            "/api/operations/{station_id}/{action}",
        } <= set(spec["paths"])
        assert b"swagger" in (await get(backend.api_url + "docs")).lower()
        assert (await get_json(backend.api_url + "health"))["stations_connected"] == 0

    on_backend(scenario)


def test_a_station_with_a_password_must_present_it(on_backend: Callable[[Scenario], None]) -> None:
    """Security profile 1 (TC_A_01..03_CSMS): 401 before the upgrade unless identity and password hold."""
    import base64

    from evharness.reference_backend.domain.credentials import hash_password

    def basic(user: str, password: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}

    async def scenario(backend: BackendServer) -> None:
        station_id, _ = backend.store.ensure_station("SP1-0001", datetime.now(UTC))
        backend.store.set_basic_auth_hash(station_id, hash_password("sixteen-chars-pw"))
        url = backend.ocpp_url + "SP1-0001"
        for headers in ({}, basic("SP1-0002", "sixteen-chars-pw"), basic("SP1-0001", "wrong-password-xx")):
            with pytest.raises(InvalidStatus) as refused:
                async with connect(url, subprotocols=offer("ocpp2.0.1"), additional_headers=headers):
                    pass
            assert refused.value.response.status_code == 401
        good = basic("SP1-0001", "sixteen-chars-pw")
        async with connect(url, subprotocols=offer("ocpp2.0.1"), additional_headers=good) as ws:
            assert (await call(ws, "b1", "BootNotification", boot_201()))[2]["status"] == "Accepted"

    on_backend(scenario)
