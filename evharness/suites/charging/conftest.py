"""The charging suite's fixtures and steps: the shared station world."""

from evharness.suites.world import *  # noqa: F403  (pytest-bdd finds steps and fixtures by module globals)
