"""Drivers whose `perform()` raises, for the plugin's tests (`--driver tests.conformance.failing_drivers:…`).

They claim a wait of ten minutes: a case that waited for the CALL instead of ending at the driver's error
would run into the test's time bound.
"""

from __future__ import annotations

from evharness.conformance.drivers import DriverSettings, NotApplicable, Operation
from evharness.ocppj.frames import Payload


class _Raising:
    name = "raising"
    wait_seconds = 600.0

    def __init__(self, error: Exception) -> None:
        self.error = error

    def unsupported(self, operation: Operation) -> str | None:
        return None

    async def perform(self, operation: Operation) -> Payload | None:
        raise self.error


def broken(settings: DriverSettings) -> _Raising:
    return _Raising(RuntimeError("the CSMS's API answered 503 to POST /stations/reset"))


def not_applicable(settings: DriverSettings) -> _Raising:
    return _Raising(NotApplicable("this CSMS has no API to reset a station"))
