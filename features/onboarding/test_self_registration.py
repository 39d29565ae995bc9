"""Binds self_registration.feature; its steps are in registration_steps.py."""

from __future__ import annotations

from pytest_bdd import scenarios

from features.onboarding.registration_steps import *  # noqa: F403  (pytest-bdd finds steps by module globals)

scenarios("self_registration.feature")
