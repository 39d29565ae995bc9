"""Binds offline_replay.feature; the recording step lives in features/simulator/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_bdd import parsers, scenarios, then

from features.conftest import World
from reference_backend.persistence.store import Store

scenarios("offline_replay.feature")


@pytest.fixture
def store(world: World) -> Iterator[Store]:
    if not world.target.database_url:
        pytest.skip("only the reference backend's database can be read (--csms-url given)")
    opened = Store.from_url(world.target.database_url)
    yield opened
    opened.dispose()


@then(parsers.parse("the backend recorded one finished transaction of {kwh:g} kWh for the station"))
def backend_recorded(world: World, store: Store, kwh: float) -> None:
    finished = [r for r in store.transactions(world.live.identity) if not r.running]
    assert len(finished) == 1, f"transactions recorded: {finished}"
    assert finished[0].energy_wh is not None
    assert abs(finished[0].energy_wh - kwh * 1000) <= 1.0, f"recorded {finished[0].energy_wh} Wh"
