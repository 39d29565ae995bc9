"""Security profile upgrade (A05, 1.6 TC_083 / 2.0.1 TC_A_19): once a station accepted a higher profile
(1.6 ChangeConfiguration SecurityProfile, 2.0.1 SetNetworkProfile) and connected at it, a connection at
the lower profile is refused (A05.FR.09). A station that never arrives at the new profile keeps its old
one. Real sockets, real TLS; the station is scripted (a raw websocket client)."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.passwords import set_station_password
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.security import basic_auth_header
from tests.certificates import ThrowawayPki

from .helpers import boot_16, boot_201

PASSWORD = "a-16-char-secret-pw"
IDENTITY = "SIM-UP"


def upgrade_call(version: OcppVersion, wss_url: str) -> tuple[str, dict[str, Any]]:
    if version is OcppVersion.V16:
        return "ChangeConfiguration", {"key": "SecurityProfile", "value": "2"}
    data = {
        "ocppVersion": "OCPP20",
        "ocppTransport": "JSON",
        "ocppCsmsUrl": wss_url,
        "messageTimeout": 30,
        "securityProfile": 2,
        "ocppInterface": "Wired0",
    }
    return "SetNetworkProfile", {"configurationSlot": 2, "connectionData": data}


async def opened(url: str, version: OcppVersion, context: ssl.SSLContext | None) -> ClientConnection:
    return await connect(
        f"{url}{IDENTITY}",
        subprotocols=[Subprotocol(version.subprotocol)],
        additional_headers=[basic_auth_header(IDENTITY, PASSWORD)],
        ssl=context,
    )


async def status_of(url: str, version: OcppVersion, context: ssl.SSLContext | None) -> int:
    try:
        ws = await opened(url, version, context)
    except InvalidStatus as refused:
        return refused.response.status_code
    await ws.close()
    return 101


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_after_an_upgrade_the_lower_profile_is_refused(
    sqlite_url: str, tmp_path: Any, version: OcppVersion
) -> None:
    pki = ThrowawayPki(tmp_path)
    server = pki.issue("127.0.0.1", server=True)
    tls = ssl.create_default_context(cafile=pki.ca)

    async def scenario() -> list[int]:
        settings = BackendSettings(
            ocpp_port=0,
            api_port=0,
            database_url=sqlite_url,
            log_level="warning",
            security_profile=1,
            tls_cert=str(server.cert),
            tls_key=str(server.key),
            operator_token="op-token",
        )
        async with BackendServer(settings) as backend:
            set_station_password(backend.store, IDENTITY, PASSWORD)
            ws_url, wss_url = backend.ocpp_ws_url, backend.ocpp_wss_url
            statuses = [await status_of(ws_url, version, None)]  # profile 1 before the upgrade
            station = await opened(ws_url, version, None)
            boot = boot_16() if version is OcppVersion.V16 else boot_201()
            await station.send(orjson.dumps([2, "b1", "BootNotification", boot]).decode())
            assert orjson.loads(await station.recv())[2]["status"] == "Accepted"
            action, payload = upgrade_call(version, wss_url)
            async with httpx.AsyncClient(headers={"Authorization": "Bearer op-token"}) as api:
                sending = asyncio.ensure_future(
                    api.post(f"{backend.api_url}operations/{IDENTITY}/{action}", json=payload)
                )
                while True:  # the backend's own CALLs after the boot come first; answer them plainly
                    call = orjson.loads(await station.recv())
                    answer = {"status": "Accepted"} if call[2] == action else {}
                    if call[2] == action:
                        await station.send(orjson.dumps([3, call[1], answer]).decode())
                        break
                    await station.send(orjson.dumps([4, call[1], "NotImplemented", "", {}]).decode())
                assert (await sending).status_code == 200
            statuses.append(await status_of(ws_url, version, None))  # not yet upgraded: still fine
            await station.close()
            statuses.append(await status_of(wss_url, version, tls))  # it arrives at profile 2
            statuses.append(await status_of(ws_url, version, None))  # profile 1 no more
            return statuses

    assert asyncio.run(scenario()) == [101, 101, 101, 403]
