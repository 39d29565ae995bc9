"""Binds security_profiles.feature; its steps live in features/simulator/conftest.py."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("security_profiles.feature")
