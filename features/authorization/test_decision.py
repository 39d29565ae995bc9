"""Binds decision.feature; the steps are shared (conftest.py)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("decision.feature")
