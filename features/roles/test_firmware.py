"""Binds firmware.feature: a firmware campaign and a log upload, through the console, to live stations."""

from __future__ import annotations

import time
from collections.abc import Callable

from pytest_bdd import given, parsers, scenarios, then, when

from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.asyncio.portal import BackgroundLoop
from features.onboarding.conftest import World
from features.roles.conftest import ok

scenarios("firmware.feature")

IMAGE = b"evharness firmware 3.0.0\n" * 64


def eventually(holds: Callable[[], bool], what: str) -> None:
    """Wait (10 s at most) for what the stations and the CSMS do on the background loop."""
    deadline = time.monotonic() + 10.0
    while not holds():
        assert time.monotonic() < deadline, f"not within 10 s: {what}"
        time.sleep(0.05)


@given(parsers.parse('the operator put the firmware image "{name}" on the backend'))
def put_image(world: World, name: str) -> None:
    """Straight into the database (PUT /api/files/firmware, with the operator token, is tested elsewhere)."""
    with world.backend.stations.store.begin() as tx:
        tx.put_firmware(name, IMAGE, world.backend.console.now())


@when(parsers.parse('{who} runs a firmware campaign of "{name}" on "{identities}"'))
def campaign(world: World, who: str, name: str, identities: str) -> None:
    body = {
        "stations": [i.strip() for i in identities.split(",")],
        "location": f"{world.backend.api_url}files/firmware/{name}",
    }
    world.values["campaign"] = ok(world, "POST", "/api/firmware-campaigns", who, body)


@then(parsers.parse('the campaign answered {first} "{first_status}" and {second} "{second_status}"'))
def campaign_answered(world: World, first: str, first_status: str, second: str, second_status: str) -> None:
    outcomes = world.values["campaign"]
    assert (outcomes[first]["status"], outcomes[second]["status"]) == (first_status, second_status), outcomes


@when(parsers.parse('{who} retrieves the diagnostics log of station "{identity}"'))
def retrieves_log(world: World, who: str, identity: str) -> None:
    location = f"{world.backend.api_url}files/logs/{identity}/"
    world.call("POST", f"/api/stations/{identity}/operations/get-log", who, {"location": location})


@when(parsers.parse('{seconds:d} seconds pass at station "{identity}"'))
def seconds_pass(
    live: dict[str, LiveStation], onboarding_loop: BackgroundLoop, seconds: int, identity: str
) -> None:
    for _ in range(seconds // 5):  # in steps: a real transfer finishes in between
        onboarding_loop.run(live[identity].advance(5))
        time.sleep(0.02)


@then(parsers.parse('{who} soon sees the report {action} "{status}" of station "{identity}"'))
def sees_report(world: World, who: str, action: str, status: str, identity: str) -> None:
    def listed() -> bool:
        reports = ok(world, "GET", f"/api/stations/{identity}/reports?action={action}", who)
        return any(r["status"] == status for r in reports)

    eventually(listed, f"{action} {status}")


@then(parsers.parse('station "{identity}" runs firmware "{version}"'))
def runs(live: dict[str, LiveStation], identity: str, version: str) -> None:
    assert live[identity].station.config.firmware_version == version


@then(parsers.parse('{who} sees the file "{stem}" of station "{identity}"'))
def sees_file(world: World, who: str, stem: str, identity: str) -> None:
    (stored,) = ok(world, "GET", f"/api/stations/{identity}/files", who)
    assert stored["filename"].startswith(stem), stored
    assert stored["size"] > 0
