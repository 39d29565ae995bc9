"""CALLs from the CSMS over real sockets: answered, refused with a CALLERROR, unanswered, offline;
and a station that registers gets its pending settings pushed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from evharness.ocppj.frames import Payload
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.operations import CALL_TIMEOUT, Operations, Outcome
from evharness.reference_backend.settings import BackendSettings

from .helpers import boot_16

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def booted(backend: BackendServer, identity: str) -> ClientConnection:
    ws = await connect(f"{backend.ocpp_url}{identity}", subprotocols=[Subprotocol("ocpp1.6")])
    await ws.send(orjson.dumps([2, "b1", "BootNotification", boot_16()]).decode())
    answer = orjson.loads(await ws.recv())
    assert answer[0] == 3
    return ws


async def call(
    operations: Operations, identity: str, action: str, payload: Payload, wait: float = CALL_TIMEOUT
) -> Outcome:
    return await operations.call(identity, action, payload, wait)


async def next_call(ws: ClientConnection) -> list[Any]:
    frame: list[Any] = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
    assert frame[0] == 2, frame
    return frame


def test_answers_errors_timeouts_and_offline(sqlite_url: str) -> None:
    async def main() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            server = backend.operations
            assert (await call(server, "NOBODY", "Reset", {"type": "Soft"})).status == "offline"
            ws = await booted(backend, "CP-OPS")

            pending = asyncio.create_task(call(server, "CP-OPS", "Reset", {"type": "Soft"}))
            message_id, action = (await next_call(ws))[1:3]
            assert action == "Reset"
            await ws.send(orjson.dumps([3, message_id, {"status": "Rejected"}]).decode())
            assert (await pending).status == "Rejected"

            pending = asyncio.create_task(call(server, "CP-OPS", "ClearCache", {}))
            message_id = (await next_call(ws))[1]
            await ws.send(orjson.dumps([4, message_id, "NotImplemented", "no", {}]).decode())
            refused = await pending
            assert refused.status == "CallError"
            assert refused.detail is not None
            assert "NotImplemented" in refused.detail

            unanswered = await asyncio.gather(
                call(server, "CP-OPS", "ClearCache", {}, wait=0.2), next_call(ws)
            )
            assert unanswered[0].status == "timeout"
            # The slot is free again: the next CALL goes out and is answered.
            pending = asyncio.create_task(call(server, "CP-OPS", "ClearCache", {}))
            message_id = (await next_call(ws))[1]
            await ws.send(orjson.dumps([3, message_id, {"status": "Accepted"}]).decode())
            assert (await pending).status == "Accepted"
            await ws.close()

    asyncio.run(main())


def test_a_registering_station_gets_its_pending_settings(sqlite_url: str) -> None:
    async def main() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            with backend.stations.store.begin() as tx:
                station = tx.add_station("CP-LATER", T0)
                tx.set_desired(station, "max_current", "13", T0)
            ws = await booted(backend, "CP-LATER")
            message_id, action, payload = (await next_call(ws))[1:4]
            assert (action, payload) == ("ChangeConfiguration", {"key": "MaxChargingCurrent", "value": "13"})
            await ws.send(orjson.dumps([3, message_id, {"status": "RebootRequired"}]).decode())
            for _ in range(100):
                with backend.stations.store.begin() as tx:
                    (setting,) = tx.settings(station)
                if setting.push_status != "pending":
                    break
                await asyncio.sleep(0.02)
            assert (setting.push_status, setting.reported) == ("RebootRequired", None)
            await ws.close()

    asyncio.run(main())


def test_the_reported_value_is_what_the_station_says_when_asked(sqlite_url: str) -> None:
    async def main() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            with backend.stations.store.begin() as tx:
                station = tx.add_station("CP-ASK", T0)
                tx.set_desired(station, "max_current", "13", T0)
            ws = await booted(backend, "CP-ASK")
            message_id = (await next_call(ws))[1]
            await ws.send(orjson.dumps([3, message_id, {"status": "Accepted"}]).decode())
            message_id, action, payload = (await next_call(ws))[1:4]
            assert (action, payload) == ("GetConfiguration", {"key": ["MaxChargingCurrent"]})
            entry = {"key": "MaxChargingCurrent", "readonly": False, "value": "12"}
            await ws.send(orjson.dumps([3, message_id, {"configurationKey": [entry]}]).decode())
            for _ in range(100):
                with backend.stations.store.begin() as tx:
                    (setting,) = tx.settings(station)
                if setting.reported == "12":
                    break
                await asyncio.sleep(0.02)
            assert (setting.desired, setting.reported, setting.push_status) == ("13", "12", "Accepted")
            await ws.close()

    asyncio.run(main())
