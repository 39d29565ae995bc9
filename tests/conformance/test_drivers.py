"""Drivers: the built-in ones, a user's module by dotted path, and what is NOT APPLICABLE."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from evharness.conformance.drivers import (
    BootSetup,
    ConfiguresBoot,
    DriverSettings,
    ManualDriver,
    NoDriver,
    NotApplicable,
    Operation,
    ReferenceDriver,
    load_driver,
)
from evharness.ocppj.versions import OcppVersion

RESET = Operation("CP-1", OcppVersion.V16, "Reset", {"type": "Hard"}, "reset the station")


class MyDriver:
    """What a user writes: e.g. calls their CSMS's REST API."""

    name = "mine"
    wait_seconds = 5.0

    def __init__(self, settings: DriverSettings) -> None:
        self.settings = settings

    def unsupported(self, operation: Operation) -> str | None:
        return None if operation.action == "Reset" else f"my CSMS cannot send {operation.action}"

    async def perform(self, operation: Operation) -> dict[str, str] | None:
        return None


def create_driver(settings: DriverSettings) -> MyDriver:
    return MyDriver(settings)


def test_built_in_drivers() -> None:
    settings = DriverSettings("ws://csms/ocpp", "http://csms/api/", "token")
    assert isinstance(load_driver("none", settings), NoDriver)
    assert isinstance(load_driver("manual", settings), ManualDriver)
    assert isinstance(load_driver("reference", settings), ReferenceDriver)


def test_the_reference_driver_needs_the_api_and_a_token() -> None:
    with pytest.raises(ValueError, match="operator token"):
        load_driver("reference", DriverSettings("ws://csms/ocpp"))


def test_a_user_driver_by_dotted_path() -> None:
    settings = DriverSettings("ws://csms/ocpp")
    for spec in ("tests.conformance.test_drivers:create_driver", "tests.conformance.test_drivers"):
        driver = load_driver(spec, settings)
        assert isinstance(driver, MyDriver)
        assert driver.unsupported(RESET) is None
        assert driver.unsupported(Operation("CP-1", OcppVersion.V16, "ClearCache", {}, "")) is not None


@pytest.mark.parametrize(
    ("spec", "message"),
    [("no.such.module", "cannot import"), ("tests.conformance.test_drivers:nothing", "has no nothing")],
)
def test_bad_driver_specs(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_driver(spec, DriverSettings("ws://csms/ocpp"))


def test_without_a_driver_a_case_is_not_applicable_with_the_reason() -> None:
    driver = NoDriver()
    reason = driver.unsupported(RESET)
    assert reason is not None
    assert "Reset" in reason
    with pytest.raises(NotApplicable):
        asyncio.run(driver.perform(RESET))


def test_the_manual_driver_tells_the_operator_what_to_do() -> None:
    said: list[str] = []
    driver = ManualDriver(DriverSettings("ws://csms/ocpp", manual_timeout=42, announce=said.append))
    assert asyncio.run(driver.perform(RESET)) is None
    assert driver.wait_seconds == 42
    (text,) = said
    assert "Reset" in text
    assert "CP-1" in text
    assert '{"type": "Hard"}' in text


def test_only_the_reference_driver_configures_the_boot_policy() -> None:
    settings = DriverSettings("ws://127.0.0.1:9/ocpp", "http://127.0.0.1:9/api/", "token")
    assert isinstance(ReferenceDriver(settings), ConfiguresBoot)
    assert not isinstance(NoDriver(), ConfiguresBoot)
    assert not isinstance(ManualDriver(settings), ConfiguresBoot)


def test_the_reference_driver_sets_and_restores_the_boot_policy(tmp_path: Path) -> None:
    from evharness.reference_backend.backend import BackendServer
    from evharness.reference_backend.domain.boot import BootPolicy, PolicyName
    from evharness.reference_backend.settings import BackendSettings

    config = BackendSettings(
        ocpp_port=0, api_port=0, database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", operator_token="t0ken"
    )

    async def main() -> None:
        async with BackendServer(config) as backend:
            driver = ReferenceDriver(DriverSettings(backend.ocpp_url, backend.api_url, "t0ken"))
            await driver.configure_boot(BootSetup("CP 1", OcppVersion.V201, "Pending", trigger=True))
            assert backend.boot_policies.policy_for("CP 1") == BootPolicy(PolicyName.PENDING, 1, trigger=True)
            await driver.configure_boot(BootSetup("CP-2", OcppVersion.V16, "Rejected"))
            assert backend.boot_policies.policy_for("CP-2").name is PolicyName.REJECTED
            await driver.configure_boot(None)
            assert not backend.boot_policies.is_own("CP 1")
            assert not backend.boot_policies.is_own("CP-2")

    asyncio.run(main())
