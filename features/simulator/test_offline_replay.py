"""Binds offline_replay.feature; the recording step lives in features/simulator/conftest.py, the
backend's database steps in features/conftest.py."""

from pytest_bdd import scenarios

scenarios("offline_replay.feature")
