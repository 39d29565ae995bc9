"""How the harness makes a CSMS send its CALLs (RemoteStart, Reset, SendLocalList …).

The OCTT asks its operator to make the CSMS act; a driver does the same from code. A driver gets an
`Operation` — which station, which action, the payload the test case expects and a sentence saying
what to do — and asks the CSMS through whatever that CSMS offers. The harness then waits for the
CALL on the station's connection and checks it; the driver never answers for the CSMS.

Built in: `reference` (the reference backend's operations API), `manual` (prints what to do and
waits for the operator) and `none` (every CSMS-initiated case is NOT APPLICABLE). Your own:
`--driver package.module:factory`, where `factory(DriverSettings) -> Driver`.

Some cases need the CSMS set up first: "the CSMS is configured to first respond to a
BootNotificationRequest with status Pending" (TC_B_02/30/31). A driver that can do that also has
`configure_boot(BootSetup | None)` (`ConfiguresBoot`; None puts the CSMS back as it was); with any
other driver the harness relies on the target file's `features.boot_pending` alone. Likewise "the
CSMS is configured with a tariff" (TC_I_01/02): `configure_tariff` (`ConfiguresTariff`), else the
target file's `features.tariff`.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote

from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion


class NotApplicable(Exception):
    """The target cannot do what a test case needs; the reason is reported with the verdict."""


@dataclass(frozen=True, slots=True)
class Operation:
    station: str
    version: OcppVersion
    action: str
    payload: Payload  # the CALL the test case expects, with the OCTT's configured values
    purpose: str  # for a person: what the CSMS should be made to do


@dataclass(frozen=True, slots=True)
class BootSetup:
    """How the CSMS should answer the station's next BootNotification (B02, B03)."""

    station: str
    version: OcppVersion
    status: str  # "Pending" or "Rejected"; the BootNotification after a Pending one is Accepted
    trigger: bool = False  # after Pending, the CSMS asks for the next BootNotification (TriggerMessage)
    retry_interval: int = 1  # seconds the station waits before booting again (the answer's interval)


@dataclass(frozen=True, slots=True)
class DriverSettings:
    csms_url: str
    api_url: str | None = None  # the reference backend's console API, when it runs for this session
    operator_token: str | None = None
    manual_timeout: float = 300.0
    announce: Callable[[str], None] | None = None  # where the manual driver talks to the operator


@runtime_checkable
class Driver(Protocol):
    name: str
    wait_seconds: float  # how long the harness waits for the CALL once `perform` returned

    def unsupported(self, operation: Operation) -> str | None:
        """Why this driver cannot make the CSMS do `operation`; None if it can."""

    async def perform(self, operation: Operation) -> Payload | None:
        """Make the CSMS send the CALL; the outcome the CSMS reports, if it reports one."""


@runtime_checkable
class ConfiguresBoot(Protocol):
    async def configure_boot(self, setup: BootSetup | None) -> None:
        """Make the CSMS answer the station's BootNotification as `setup` says; None: as before."""


@runtime_checkable
class ConfiguresTariff(Protocol):
    async def configure_tariff(self, station: str, tariff: Payload | None) -> None:
        """Give the station a tariff in the CSMS (TC_I_01/02's memory state); None: take it away."""


class NoDriver:
    name = "none"
    wait_seconds = 0.0

    def unsupported(self, operation: Operation) -> str | None:
        return (
            f"needs the CSMS to send {operation.action}, and no driver is configured "
            "(--driver manual, reference or package.module:factory)"
        )

    async def perform(self, operation: Operation) -> Payload | None:
        raise NotApplicable(self.unsupported(operation))


class ManualDriver:
    """Tell the operator what to make the CSMS do; the harness waits for the CALL to arrive."""

    name = "manual"

    def __init__(self, settings: DriverSettings) -> None:
        self.wait_seconds = settings.manual_timeout
        self._announce = settings.announce or _to_stderr

    def unsupported(self, operation: Operation) -> str | None:
        return None

    async def perform(self, operation: Operation) -> Payload | None:
        self._announce(
            f"\n>>> OPERATOR: make the CSMS send {operation.action} to station {operation.station}: "
            f"{operation.purpose}\n>>> expected payload: {json.dumps(operation.payload)}\n"
            f">>> waiting up to {self.wait_seconds:g} s for the CALL …\n"
        )
        return None


class ReferenceDriver:
    """The reference backend's operations API (`POST /api/operations/{station}/{action}`)."""

    name = "reference"

    def __init__(self, settings: DriverSettings, http_timeout: float = 20.0) -> None:
        if not settings.api_url or not settings.operator_token:
            raise ValueError("the reference driver needs the backend's API URL and an operator token")
        self.api_url = settings.api_url.rstrip("/") + "/"
        self.token = settings.operator_token
        self.http_timeout = http_timeout
        self.wait_seconds = http_timeout
        self._configured: set[str] = set()  # stations whose boot policy `configure_boot` changed

    def unsupported(self, operation: Operation) -> str | None:
        return None

    async def perform(self, operation: Operation) -> Payload | None:
        url = f"{self.api_url}operations/{quote(operation.station, safe='')}/{operation.action}"
        return await asyncio.to_thread(self._post, url, operation.payload)

    async def configure_boot(self, setup: BootSetup | None) -> None:
        """PUT (or, for None, DELETE) `/api/operations/{station}/boot-policy`."""
        if setup is None:
            for station in self._configured:
                url = f"{self.api_url}operations/{quote(station, safe='')}/boot-policy"
                await asyncio.to_thread(self._post, url, None, "DELETE")
            self._configured.clear()
            return
        body = {
            "policy": setup.status.lower(),
            "retry_interval": setup.retry_interval,
            "trigger": setup.trigger,
        }
        url = f"{self.api_url}operations/{quote(setup.station, safe='')}/boot-policy"
        await asyncio.to_thread(self._post, url, body, "PUT")
        self._configured.add(setup.station)

    async def configure_tariff(self, station: str, tariff: Payload | None) -> None:
        """PUT (or, for None, DELETE) `/api/operations/{station}/tariff` (docs/tariffs.md)."""
        url = f"{self.api_url}operations/{quote(station, safe='')}/tariff"
        await asyncio.to_thread(self._post, url, tariff, "PUT" if tariff is not None else "DELETE")

    def _post(self, url: str, payload: Payload | None, method: str = "POST") -> Payload:
        request = urllib.request.Request(
            url,
            data=None if payload is None else json.dumps(payload).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=self.http_timeout) as response:
                raw = response.read()
                body: Payload = json.loads(raw) if raw else {}  # a 204 has no body
                return body
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            raise AssertionError(
                f"the reference backend refused the operation: {exc.code} {detail}"
            ) from None


def _to_stderr(text: str) -> None:
    stream = sys.__stderr__ or sys.stderr
    stream.write(text)
    stream.flush()


BUILT_IN: dict[str, Callable[[DriverSettings], Any]] = {
    "none": lambda settings: NoDriver(),
    "manual": ManualDriver,
    "reference": ReferenceDriver,
}


def load_driver(spec: str, settings: DriverSettings) -> Driver:
    """`none`, `manual`, `reference`, or `package.module:factory` (`package.module` → `create_driver`)."""
    factory = BUILT_IN.get(spec)
    if factory is None:
        module_name, _, attribute = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ValueError(f"--driver {spec}: cannot import {module_name}: {exc}") from None
        factory = getattr(module, attribute or "create_driver", None)
        if factory is None:
            raise ValueError(f"--driver {spec}: {module_name} has no {attribute or 'create_driver'}")
    driver = factory(settings)
    if not isinstance(driver, Driver):
        raise ValueError(f"--driver {spec}: {driver!r} lacks name, wait_seconds, unsupported or perform")
    return driver
