"""The `ocpp` package's own CSMS and ChargePoint: the benchmark's baselines beside the raw echo.

- `ocpp-csms PORT`: a CSMS built the way the package's README shows (a `ChargePoint` per connection with
  `@on` handlers, on `websockets`), for OCPP 1.6 and 2.0.1, that stores nothing. It answers Authorize from
  the bundled PIN/RFID scenarios' tokens at that station (their first expected status; an unknown code is
  Invalid), so the simulator's session mix runs against it as against the reference backend.
- `ocpp-cp URL CONNECTIONS LOOPS PREFIX ID_TAG`: the package's `ChargePoint` as a client on 1.6 (`{n}` in
  ID_TAG: the station's number, as in a scenario's codes), each connection booting once and then
  looping Authorize / StartTransaction / MeterValues / StopTransaction;
  it prints one JSON line about its load window (after every connection booted).

Both are run by `python -m evharness.bench.children KIND …` on the event loop the bench asks for.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import time
from datetime import UTC, datetime
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from evharness import scenarios
from evharness.bench.probe import cpu_seconds, report
from evharness.idtokens import from_wire_201

logging.getLogger("ocpp").setLevel(logging.WARNING)  # the package logs every frame at INFO


def _now() -> str:
    return datetime.now(UTC).isoformat()


@functools.cache
def token_statuses(identity: str) -> dict[str, str]:
    """Each bundled PIN/RFID scenario token's code at station `identity` (its own `{n}` codes) → the
    first status its scenario expects."""
    table: dict[str, str] = {}
    for name in ("pin_charging", "rfid_charging"):
        for token in scenarios.load(name).for_station(identity).tokens:
            table[token.code] = str(token.expect[0])
    return table


def _status_201(identity: str, id_token: dict[str, Any]) -> str:
    """A 2.0.1 KeyCode carries the PIN's digits (`4821` is the scenarios' `#4821`)."""
    return token_statuses(identity).get(from_wire_201(id_token["id_token"], id_token["type"]), "Invalid")


_transaction_ids = itertools.count(1)


class Csms16(ChargePoint16):  # type: ignore[misc]  # the package is untyped
    @on("BootNotification")  # type: ignore[untyped-decorator]
    def on_boot(self, **_: Any) -> Any:
        return result16.BootNotification(current_time=_now(), interval=300, status="Accepted")

    @on("Heartbeat")  # type: ignore[untyped-decorator]
    def on_heartbeat(self, **_: Any) -> Any:
        return result16.Heartbeat(current_time=_now())

    @on("StatusNotification")  # type: ignore[untyped-decorator]
    def on_status(self, **_: Any) -> Any:
        return result16.StatusNotification()

    @on("Authorize")  # type: ignore[untyped-decorator]
    def on_authorize(self, id_tag: str, **_: Any) -> Any:
        return result16.Authorize(id_tag_info={"status": token_statuses(self.id).get(id_tag, "Invalid")})

    @on("StartTransaction")  # type: ignore[untyped-decorator]
    def on_start(self, id_tag: str, **_: Any) -> Any:
        return result16.StartTransaction(
            transaction_id=next(_transaction_ids),
            id_tag_info={"status": token_statuses(self.id).get(id_tag, "Invalid")},
        )

    @on("StopTransaction")  # type: ignore[untyped-decorator]
    def on_stop(self, **_: Any) -> Any:
        return result16.StopTransaction()

    @on("MeterValues")  # type: ignore[untyped-decorator]
    def on_meter_values(self, **_: Any) -> Any:
        return result16.MeterValues()

    @on("DataTransfer")  # type: ignore[untyped-decorator]
    def on_data_transfer(self, **_: Any) -> Any:
        return result16.DataTransfer(status="Accepted")

    @on("SecurityEventNotification")  # type: ignore[untyped-decorator]
    def on_security_event(self, **_: Any) -> Any:  # a station's StartupOfTheDevice after its first boot
        return result16.SecurityEventNotification()


class Csms201(ChargePoint201):  # type: ignore[misc]
    @on("BootNotification")  # type: ignore[untyped-decorator]
    def on_boot(self, **_: Any) -> Any:
        return result201.BootNotification(current_time=_now(), interval=300, status="Accepted")

    @on("Heartbeat")  # type: ignore[untyped-decorator]
    def on_heartbeat(self, **_: Any) -> Any:
        return result201.Heartbeat(current_time=_now())

    @on("StatusNotification")  # type: ignore[untyped-decorator]
    def on_status(self, **_: Any) -> Any:
        return result201.StatusNotification()

    @on("Authorize")  # type: ignore[untyped-decorator]
    def on_authorize(self, id_token: dict[str, Any], **_: Any) -> Any:
        return result201.Authorize(id_token_info={"status": _status_201(self.id, id_token)})

    @on("TransactionEvent")  # type: ignore[untyped-decorator]
    def on_transaction_event(self, id_token: dict[str, Any] | None = None, **_: Any) -> Any:
        if id_token is None:
            return result201.TransactionEvent()
        return result201.TransactionEvent(id_token_info={"status": _status_201(self.id, id_token)})

    @on("MeterValues")  # type: ignore[untyped-decorator]
    def on_meter_values(self, **_: Any) -> Any:
        return result201.MeterValues()

    @on("NotifyEvent")  # type: ignore[untyped-decorator]
    def on_notify_event(self, **_: Any) -> Any:
        return result201.NotifyEvent()

    @on("SecurityEventNotification")  # type: ignore[untyped-decorator]
    def on_security_event(self, **_: Any) -> Any:  # a station's StartupOfTheDevice after its first boot
        return result201.SecurityEventNotification()


async def csms(port: int) -> None:
    async def station(connection: ServerConnection) -> None:
        identity = (connection.request.path if connection.request else "/").rstrip("/").rsplit("/", 1)[-1]
        kind = Csms16 if connection.subprotocol == "ocpp1.6" else Csms201
        with contextlib.suppress(ConnectionClosed):  # a station that leaves ends the package's loop so
            await kind(identity, connection).start()

    protocols: Any = ["ocpp1.6", "ocpp2.0.1"]
    async with serve(
        station, "127.0.0.1", port, subprotocols=protocols, compression=None, ping_interval=None
    ) as server:
        bound = next(iter(server.sockets)).getsockname()[1]
        print(f"OCPP-CSMS ws://127.0.0.1:{bound}", flush=True)
        await asyncio.Future()


def _meter(wh: int) -> list[dict[str, Any]]:
    return [
        {
            "timestamp": _now(),
            "sampled_value": [
                {"value": str(wh), "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
                {"value": "11000", "measurand": "Power.Active.Import", "unit": "W"},
            ],
        }
    ]


async def _session(point: ChargePoint16, id_tag: str, meter_wh: int) -> int:
    """One Authorize / StartTransaction / MeterValues / StopTransaction loop; the refusals it met."""
    refused: int = 0
    answer = await point.call(call16.Authorize(id_tag=id_tag))
    refused += answer.id_tag_info["status"] != "Accepted"
    started = await point.call(
        call16.StartTransaction(connector_id=1, id_tag=id_tag, meter_start=meter_wh, timestamp=_now())
    )
    refused += started.id_tag_info["status"] != "Accepted"
    transaction = started.transaction_id
    await point.call(
        call16.MeterValues(connector_id=1, transaction_id=transaction, meter_value=_meter(meter_wh))
    )
    await point.call(
        call16.StopTransaction(transaction_id=transaction, meter_stop=meter_wh + 500, timestamp=_now())
    )
    return int(refused)


async def charge_point(url: str, connections: int, loops: int, prefix: str, id_tag: str) -> None:
    """`connections` ChargePoints boot, then each runs `loops` sessions; the window starts once all booted."""
    everyone_booted = asyncio.Barrier(connections + 1)
    errors: list[str] = []
    protocols: Any = ["ocpp1.6"]

    async def one(number: int) -> None:
        identity = f"{prefix}-{number:04d}"
        refused = 0
        try:
            async with connect(
                f"{url}/{identity}", subprotocols=protocols, compression=None, ping_interval=None
            ) as websocket:
                point = ChargePoint16(identity, websocket)
                receiving = asyncio.create_task(point.start())
                boot = await point.call(
                    call16.BootNotification(charge_point_model="Bench", charge_point_vendor="evharness")
                )
                refused += boot.status != "Accepted"
                await point.call(
                    call16.StatusNotification(connector_id=1, error_code="NoError", status="Available")
                )
                await everyone_booted.wait()
                for loop in range(loops):
                    refused += await _session(point, id_tag.format(n=number), 1000 * loop)  # `{n}`: its own
                receiving.cancel()
        except Exception as exc:
            errors.append(f"{identity}: {exc!r}")
            if not everyone_booted.broken:
                await everyone_booted.abort()
        if refused:
            errors.append(f"{identity}: {refused} refusals")

    tasks = [asyncio.create_task(one(n)) for n in range(1, connections + 1)]
    with contextlib.suppress(asyncio.BrokenBarrierError, TimeoutError):  # counted as errors below
        await asyncio.wait_for(everyone_booted.wait(), 120)
    started, cpu = time.perf_counter(), cpu_seconds()
    await asyncio.gather(*tasks)
    report(
        round_trips=4 * loops * connections,
        cpu_s=cpu_seconds() - cpu,
        wall_s=time.perf_counter() - started,
        errors=len(errors),
        first_errors=errors[:3],
    )
