"""Binds recorded.feature; its steps are in features/conftest.py."""

from pytest_bdd import scenarios

scenarios("recorded.feature")
