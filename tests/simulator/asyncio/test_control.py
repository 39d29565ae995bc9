"""The control API over real sockets: a fleet against the reference backend, driven from outside."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.control import COMMANDS, ControlClient, ControlServer
from evharness.simulator.asyncio.fleet import FleetPlan, StationRun, run_fleet
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.core.clock import ScaledClock
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from evharness.simulator.state import station_state
from tests.simulator.fake_csms import FakeCsms


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def test_a_fleet_is_driven_through_the_control_api(database_url: str, store: Store) -> None:
    async def scenario() -> tuple[dict[str, object], object, object, dict[str, object]]:
        async with BackendServer(
            BackendSettings(ocpp_port=0, api_port=0, database_url=database_url)
        ) as backend:
            plan = FleetPlan(
                csms_url=backend.ocpp_url,
                versions=[OcppVersion.V16, OcppVersion.V201],
                scenarios=[scenarios.load("boot_only")],
                stations=2,
                keep_running=True,
            )
            clock = ScaledClock(60.0)
            ready = asyncio.Event()
            outcome: dict[str, object] = {}

            async def start(runs: list[StationRun]) -> object:
                server = ControlServer([run.link for run in runs])
                await server.start()
                outcome["port"] = server.port
                ready.set()
                return server.stop

            fleet = asyncio.create_task(run_fleet(plan, clock, 60.0, timeout_s=20, on_start=start))  # type: ignore[arg-type]
            await ready.wait()
            port = outcome["port"]
            async with ControlClient(f"ws://127.0.0.1:{port}/control") as control:
                for _ in range(200):
                    states = [await control.state(s) for s in ("SIM-0001", "SIM-0002")]
                    if all(s["boot_status"] == "Accepted" for s in states):
                        break
                    await asyncio.sleep(0.05)
                await control.plug_in("SIM-0002")
                charging = await control.present_token("SIM-0002", "rfid", "04A2B3C4D50002")
                for _ in range(200):
                    charging = await control.state("SIM-0002")
                    transaction = charging["evses"][0]["transaction"]
                    if transaction and transaction["authorized"]:
                        break
                    await asyncio.sleep(0.05)
                await control.command("SIM-0002", "charge", power_kw=11)
                await asyncio.sleep(0.5)  # 30 simulated seconds
                faulted = await control.fault("SIM-0001", "out_of_order_frame")
                assert faulted["faults"] == ["out_of_order_frame"]
                with pytest.raises(RuntimeError, match="not a valid FaultKind"):
                    await control.fault("SIM-0001", "explode")
                chosen = await control.command("SIM-0001", "certificates", signed="refuse", install="fail")
                assert chosen["certificates"]["choices"] == {
                    "signed": "refuse",
                    "install": "fail",
                    "delete": "check",
                }
                with pytest.raises(RuntimeError, match="is not one of check, refuse"):
                    await control.command("SIM-0001", "certificates", signed="maybe")
                await control.go_offline("SIM-0001")
                await asyncio.sleep(0.2)
                offline = await control.state("SIM-0001")
                with pytest.raises(RuntimeError, match="unknown or missing"):
                    await control.command("SIM-9999", "state")
                listing = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/stations")
                one = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/stations/SIM-0002")
                await control.command("SIM-0002", "stop")
                await control.unplug("SIM-0002")
                await asyncio.sleep(0.3)
            fleet.cancel()
            return offline, listing, one, charging

    offline, listing, one, _ = asyncio.run(scenario())
    assert offline["connected"] is False
    assert isinstance(listing, list)
    assert [s["identity"] for s in listing] == ["SIM-0001", "SIM-0002"]
    assert isinstance(one, dict)
    assert one["evses"][0]["energy_wh"] > 0
    assert one["recent_frames"]
    (recorded,) = store.transactions("SIM-0002")
    assert recorded.energy_wh is not None
    assert recorded.energy_wh > 0


def test_the_client_has_a_helper_for_each_command_that_drives_a_session() -> None:
    """charge, stop and reconnect, as the control API has them, against a small CSMS."""

    async def scenario(url: str) -> list[dict[str, Any]]:
        plan = FleetPlan(
            url, [OcppVersion.V201], [scenarios.load("boot_only")], stations=1, keep_running=True
        )
        ready: asyncio.Queue[int] = asyncio.Queue()

        async def start(runs: list[StationRun]) -> Callable[[], Awaitable[None]]:
            server = ControlServer([run.link for run in runs])
            await ready.put(await server.start())
            return server.stop

        fleet = asyncio.create_task(run_fleet(plan, ScaledClock(600.0), 600.0, timeout_s=20, on_start=start))
        seen: list[dict[str, Any]] = []
        async with ControlClient(f"ws://127.0.0.1:{await ready.get()}/control") as control:
            await until(control, lambda s: s["boot_status"] == "Accepted")
            await control.plug_in("SIM-0001")
            await control.present_token("SIM-0001", "rfid", "04A2B3C4D50001")
            await until(control, lambda s: bool(s["evses"][0]["transaction"]))
            seen.append(await control.charge("SIM-0001", power_kw=11, energy_kwh=0.5))
            seen.append(await until(control, lambda s: s["evses"][0]["energy_wh"] >= 500))
            seen.append(await control.stop("SIM-0001", reason="Remote"))
            seen.append(await until(control, lambda s: not s["evses"][0]["transaction"]))
            await control.go_offline("SIM-0001")
            seen.append(await until(control, lambda s: not s["connected"]))
            await control.reconnect("SIM-0001")
            seen.append(await until(control, lambda s: s["connected"]))
        fleet.cancel()
        return seen

    with FakeCsms() as csms:
        charging, charged, _, _, offline, online = asyncio.run(scenario(csms.url))
    assert charging["evses"][0]["transaction"]
    assert charged["evses"][0]["energy_wh"] == pytest.approx(500, abs=1)  # the energy limit held
    assert (offline["connected"], online["connected"]) == (False, True)
    ended = [json.loads(text)[3] for direction, text in csms.frames if direction == "in" and "Ended" in text]
    assert [event["transactionInfo"].get("stoppedReason") for event in ended] == ["Remote"]


async def until(control: ControlClient, condition: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    for _ in range(400):
        state = await control.state("SIM-0001")
        if condition(state):
            return state
        await asyncio.sleep(0.02)
    raise AssertionError(f"never: {state}")


def test_the_tester_chooses_firmware_and_log_outcomes_and_observes_a_variable() -> None:
    clock = ScaledClock(1.0)
    station = Station("SIM-0009", adapter_for(OcppVersion.V201), StationConfig(), clock.now())
    link = StationLink(station, "ws://127.0.0.1:9/ocpp", clock)
    COMMANDS["firmware"](link, {"download": "fail", "failed_attempts": 1}, clock.now())
    COMMANDS["logs"](link, {"accept": False}, clock.now())
    COMMANDS["observe"](link, {"variable": "OCPPCommCtrlr.OfflineThreshold", "value": "90"}, clock.now())
    assert (station.firmware.outcome.download, station.firmware.outcome.failed_attempts) == ("fail", 1)
    assert station.logs.outcome.accept is False
    assert station.device.values["OCPPCommCtrlr.OfflineThreshold"] == "90"
    state = station_state(station, clock.now())
    assert state["firmware"]["version"] == "0.1.0"
    assert state["log_upload"] == {"state": "idle", "status": "Idle"}
    with pytest.raises(ValueError, match="download"):
        COMMANDS["firmware"](link, {"download": "maybe"}, clock.now())
    with pytest.raises(ValueError, match="NoSuch"):
        COMMANDS["observe"](link, {"variable": "NoSuch.Variable", "value": "1"}, clock.now())


def test_the_tester_plays_the_ems_through_the_control_api() -> None:
    clock = ScaledClock(1.0)
    station = Station("SIM-0009", adapter_for(OcppVersion.V201), StationConfig(), clock.now())
    link = StationLink(station, "ws://127.0.0.1:9/ocpp", clock)
    COMMANDS["ems_limit"](link, {"evse": 0, "limit_a": 10, "source": "SO", "seconds": 600}, clock.now())
    (shown,) = station_state(station, clock.now())["evses"]
    assert shown["smart_charging"]["limit_w"] == 6_900.0
    assert [(p["purpose"], p["source"]) for p in shown["smart_charging"]["profiles"]] == [("External", "SO")]
    COMMANDS["ems_release"](link, {"evse": 0, "source": "SO"}, clock.now())
    released = station_state(station, clock.now())["evses"][0]["smart_charging"]
    assert (released["limit_w"], released["profiles"]) == (None, [])
    with pytest.raises(ValueError, match="limit_kw or limit_a"):
        COMMANDS["ems_limit"](link, {"evse": 0}, clock.now())
    with pytest.raises(ValueError, match="source"):
        COMMANDS["ems_limit"](link, {"limit_kw": 3, "source": "CSO"}, clock.now())
