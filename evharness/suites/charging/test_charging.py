"""Binds charging.feature; its steps are the shared ones of `evharness.suites.world`."""

from pytest_bdd import scenarios

scenarios("charging.feature")
