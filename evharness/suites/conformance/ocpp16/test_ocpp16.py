"""Binds the OCPP 1.6 conformance features; the steps are in evharness/suites/conformance/conftest.py."""

from pytest_bdd import scenarios

scenarios(
    "core.feature",
    "offline.feature",
    "remote.feature",
    "local_list.feature",
    "rpc.feature",
    "reservation.feature",
    "smart_charging.feature",
    "remote_trigger.feature",
    "security.feature",
    "firmware.feature",
)
