"""The benchmark's child programs, one process each: `python -m evharness.bench.children KIND …`.

- `echo PORT`: the baseline server, a raw websockets server that parses each JSON frame and answers a
  CALLRESULT with the same messageId.
- `raw URL CONNECTIONS ROUND_TRIPS`: the baseline client, raw websockets connections sending OCPP
  CALL frames one at a time each.
- `sim URL STATIONS TIME_SCALE PREFIX`: the simulator's fleet (the code of `evharness sim`) running
  the bundled PIN and RFID scenarios on 1.6 and 2.0.1.
- `hold URL STATIONS PREFIX`: N simulated stations that connect, boot and then stay idle until
  stdin closes.

Clients print one JSON line with what they measured over their load window only (imports and
start-up excluded): round trips, CPU seconds, wall seconds, errors.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

import orjson
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.typing import Subprotocol

from evharness import eventloop
from evharness.bench.probe import cpu_seconds, raise_fd_limit, report, rss_bytes

if TYPE_CHECKING:
    from evharness.simulator.asyncio.transport import StationLink

FRAMES = [  # what stations send most, as they send it (1.6 and 2.0.1)
    '[2,"{id}","Heartbeat",{{}}]',
    '[2,"{id}","StatusNotification",{{"connectorId":1,"errorCode":"NoError","status":"Charging",'
    '"timestamp":"2026-11-21T11:00:00Z"}}]',
    '[2,"{id}","MeterValues",{{"connectorId":1,"transactionId":17,"meterValue":[{{"timestamp":'
    '"2026-11-21T11:00:00Z","sampledValue":[{{"value":"1520.4","context":"Sample.Periodic",'
    '"measurand":"Energy.Active.Import.Register","unit":"Wh"}},{{"value":"11000","measurand":'
    '"Power.Active.Import","unit":"W"}}]}}]}}]',
    '[2,"{id}","TransactionEvent",{{"eventType":"Updated","timestamp":"2026-11-21T11:00:00Z",'
    '"triggerReason":"MeterValuePeriodic","seqNo":3,"transactionInfo":{{"transactionId":"tx-1"}},'
    '"meterValue":[{{"timestamp":"2026-11-21T11:00:00Z","sampledValue":[{{"value":1520.4,'
    '"measurand":"Energy.Active.Import.Register","unitOfMeasure":{{"unit":"Wh"}}}}]}}]}}]',
]


WARM_ACTIONS = frozenset(
    {
        "BootNotification", "Heartbeat", "StatusNotification", "Authorize", "StartTransaction",
        "StopTransaction", "MeterValues", "TransactionEvent",
    }
)  # fmt: skip


# -- the baseline server ------------------------------------------------------------------------


BOOT_ACCEPTED = {"status": "Accepted", "currentTime": "2026-01-01T00:00:00Z", "interval": 86_400}


async def echo(port: int) -> None:
    """Every CALL answered `{}`, but BootNotification Accepted (no Heartbeat for a day), so idle
    stations can boot against it (the stand-in of `evharness.bench.fleet`)."""

    async def answer(connection: ServerConnection) -> None:
        async for message in connection:
            frame = orjson.loads(message)
            payload = BOOT_ACCEPTED if frame[2] == "BootNotification" else {}
            await connection.send(orjson.dumps([3, frame[1], payload]).decode())

    def ocpp(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
        return next((protocol for protocol in offered if protocol.startswith("ocpp")), None)  # stations

    async with serve(
        answer, "127.0.0.1", port, compression=None, ping_interval=None, select_subprotocol=ocpp
    ) as server:
        bound = next(iter(server.sockets)).getsockname()[1]
        print(f"ECHO ws://127.0.0.1:{bound}", flush=True)
        await asyncio.Future()


# -- the baseline client ------------------------------------------------------------------------


async def raw(url: str, connections: int, round_trips: int) -> None:
    per_connection = max(1, round_trips // connections)
    errors = 0

    async def one(number: int) -> None:
        nonlocal errors
        frames = itertools.cycle(FRAMES)
        async with connect(f"{url}/RAW-{number:05d}", compression=None, ping_interval=None) as ws:
            for counter in range(per_connection):
                message_id = f"{number}-{counter}"
                await ws.send(next(frames).format(id=message_id))
                answer = orjson.loads(await ws.recv())
                errors += answer[1] != message_id

    started, cpu = time.perf_counter(), cpu_seconds()
    await asyncio.gather(*(one(n) for n in range(connections)))
    report(
        round_trips=per_connection * connections,
        cpu_s=cpu_seconds() - cpu,
        wall_s=time.perf_counter() - started,
        errors=errors,
    )


# -- the simulator ------------------------------------------------------------------------------


async def sim(url: str, stations: int, scale: float, prefix: str) -> None:
    from evharness import scenarios
    from evharness.ocppj import schemas
    from evharness.ocppj.versions import OcppVersion
    from evharness.simulator.asyncio.fleet import FleetPlan, run_fleet
    from evharness.simulator.core.clock import ScaledClock

    for version in (OcppVersion.V16, OcppVersion.V201):  # compile the validators outside the window
        for action in schemas.known_actions(version) & WARM_ACTIONS:
            schemas.validator(version, action, response=True)
            schemas.validator(version, action, response=False)
    plan = FleetPlan(
        csms_url=url,
        versions=[OcppVersion.V16, OcppVersion.V201],
        scenarios=[scenarios.load("pin_charging"), scenarios.load("rfid_charging")],
        stations=stations,
        id_prefix=prefix,
        call_timeout_s=30.0,
        stagger_s=0.0,
    )
    started, cpu = time.perf_counter(), cpu_seconds()
    result = await run_fleet(plan, ScaledClock(scale), scale, timeout_s=300)
    cpu_used, wall = cpu_seconds() - cpu, time.perf_counter() - started
    trips = sum(len(run.station.round_trips) for run in result.runs)
    failed = sum(not trip.ok for run in result.runs for trip in run.station.round_trips)
    report(
        round_trips=trips,
        cpu_s=cpu_used,
        wall_s=wall,
        errors=failed + sum(not run.ok for run in result.runs),
        failures=[
            f"{run.identity}: {run.error or [e.what + ': ' + e.actual for e in run.runner.failed]}"
            for run in result.runs
            if not run.ok
        ][:5],
    )


# -- idle stations ------------------------------------------------------------------------------


IN_FLIGHT = 200  # connects until booted at once: the server's accept backlog is finite
LOOK_S = 0.005


def _booted_or_done(link: StationLink, task: asyncio.Task[None]) -> bool:
    return link.station.boot_status is not None or task.done()


async def boot_gated(
    links: list[StationLink], run: Callable[[StationLink], Coroutine[Any, Any, None]]
) -> list[asyncio.Task[None]]:
    """Start every link, at most `IN_FLIGHT` between connect and BootNotification answer; one look
    at those in flight every `LOOK_S` (not a poller per station: 200 of them woke the loop 40 000
    times a second and slowed the boot down)."""
    tasks: list[asyncio.Task[None]] = []
    flying: list[tuple[StationLink, asyncio.Task[None]]] = []
    pending = iter(links)
    while True:
        flying = [(link, task) for link, task in flying if not _booted_or_done(link, task)]
        for link in itertools.islice(pending, IN_FLIGHT - len(flying)):
            task = asyncio.create_task(run(link))
            tasks.append(task)
            flying.append((link, task))
        if not flying:
            return tasks
        await asyncio.sleep(LOOK_S)


async def hold(url: str, stations: int, prefix: str) -> None:
    from evharness import scenarios
    from evharness.identities import station_identity
    from evharness.ocppj.versions import OcppVersion
    from evharness.simulator.asyncio.transport import StationLink
    from evharness.simulator.core.clock import ScaledClock
    from evharness.simulator.core.model import StationConfig
    from evharness.simulator.core.station import Station
    from evharness.simulator.protocol import adapter_for
    from evharness.simulator.scenario.runner import ScenarioRunner

    idle = scenarios.parse({"name": "idle", "tokens": [], "steps": ["boot", {"wait": "24h"}]})
    clock = ScaledClock(1.0)
    before = rss_bytes()
    versions = [OcppVersion.V16, OcppVersion.V201]
    links = []
    for number in range(1, stations + 1):
        identity = station_identity(prefix, number)
        station = Station(identity, adapter_for(versions[number % 2]), StationConfig(), clock.now())
        links.append(StationLink(station, url, clock, ScenarioRunner(station, idle), max_connect_attempts=3))
    started = time.perf_counter()
    errors: list[str] = []

    async def run(link: StationLink) -> None:
        try:
            await link.run()
        except ConnectionError as exc:
            errors.append(str(exc))

    tasks = await boot_gated(links, run)
    booted = sum(link.station.boot_status == "Accepted" for link in links)
    report(
        stations=stations,
        booted=booted,
        connect_s=time.perf_counter() - started,
        rss_before=before,
        rss_after=rss_bytes(),
        errors=len(errors),
        first_errors=errors[:3],
    )
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # hold until the bench closes our stdin
    still = sum(link.station.connected for link in links)
    dropped = sum(link.disconnections for link in links)
    report(still_connected=still, disconnections=dropped, errors=len(errors))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def child(kind: str, args: list[str]) -> Coroutine[Any, Any, None]:
    from evharness.bench import ocpp_package

    match kind:
        case "echo":
            return echo(int(args[0]))
        case "raw":
            return raw(args[0], int(args[1]), int(args[2]))
        case "sim":
            return sim(args[0], int(args[1]), float(args[2]), args[3])
        case "hold":
            return hold(args[0], int(args[1]), args[2])
        case "ocpp-csms":
            return ocpp_package.csms(int(args[0]))
        case "ocpp-cp":
            return ocpp_package.charge_point(args[0], int(args[1]), int(args[2]), args[3], args[4])
    raise SystemExit(f"unknown child {kind!r}")


def main(argv: list[str]) -> None:
    """Run one child on the event loop `EVHARNESS_EVENT_LOOP` names (asyncio by default)."""
    raise_fd_limit()
    kind, *args = argv
    eventloop.run(child(kind, args), os.environ.get(eventloop.EVENT_LOOP.env, "asyncio"))


if __name__ == "__main__":
    main(sys.argv[1:])
