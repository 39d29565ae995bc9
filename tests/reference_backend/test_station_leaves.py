"""A station that leaves while the backend talks to it (the post-boot local-list sync) is no error:
one INFO line says the sync ended, and no ERROR, no traceback."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from evharness.idtokens import IdType
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence.records import ProvisionedIdentification
from evharness.reference_backend.settings import BackendSettings

from .helpers import boot_16


def test_a_station_leaving_during_the_list_sync_is_logged_as_info(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            station_id, _ = backend.store.ensure_station("SIM-LEAVE", datetime.now(UTC))
            card = ProvisionedIdentification(IdType.RFID, "04A2B3C4", "Bo", "Card")
            backend.store.provision(station_id, [card])
            url = f"{backend.ocpp_url}SIM-LEAVE"
            async with connect(url, subprotocols=[Subprotocol("ocpp1.6")]) as ws:
                await ws.send(orjson.dumps([2, "b1", "BootNotification", boot_16()]).decode())
                assert orjson.loads(await ws.recv())[2]["status"] == "Accepted"
                asked = orjson.loads(await ws.recv())
                assert asked[2] == "GetLocalListVersion"
                await ws.send(orjson.dumps([3, asked[1], {"listVersion": 0}]).decode())
            # the station left right after its answer: the backend's next CALL meets a closed socket
            for _ in range(200):
                if "list not synced" in caplog.text:
                    break
                await asyncio.sleep(0.02)

    asyncio.run(scenario())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "SIM-LEAVE: left during the list sync (GetConfiguration); list not synced" in caplog.text
