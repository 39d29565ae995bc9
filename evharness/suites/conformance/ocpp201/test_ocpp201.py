"""Binds the OCPP 2.0.1 conformance features; the steps are in evharness/suites/conformance/conftest.py."""

from pytest_bdd import scenarios

scenarios(
    "security.feature",
    "provisioning.feature",
    "authorization.feature",
    "local_list.feature",
    "transactions.feature",
    "remote_control.feature",
    "availability.feature",
    "meter_values.feature",
    "rpc.feature",
    "offline.feature",
    "reservation.feature",
    "smart_charging.feature",
    "display_messages.feature",
    "data_transfer.feature",
    "tariff_cost.feature",
    "certificates.feature",
    "certificate_management.feature",
    "firmware.feature",
    "diagnostics.feature",
)
