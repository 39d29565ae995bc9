"""Binds charging.feature; steps specific to it live here, shared ones in features/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_bdd import parsers, scenarios, then

from features.conftest import World
from reference_backend.persistence.store import Store

scenarios("charging.feature")


@pytest.fixture
def store(world: World) -> Iterator[Store]:
    assert world.target.database_url, "only the reference backend's database can be read"
    opened = Store.from_url(world.target.database_url)
    yield opened
    opened.dispose()


@then(parsers.parse("the backend recorded one finished transaction of {kwh:g} kWh for the station"))
def backend_recorded(world: World, store: Store, kwh: float) -> None:
    records = store.transactions(world.live.identity)
    finished = [r for r in records if not r.running]
    assert len(finished) == 1, f"transactions recorded: {records}"
    assert finished[0].energy_wh is not None
    assert abs(finished[0].energy_wh - kwh * 1000) <= 1.0, f"recorded {finished[0].energy_wh} Wh"


@then("the backend stored the meter values of that transaction")
def backend_meter_values(world: World, store: Store) -> None:
    (record,) = [r for r in store.transactions(world.live.identity) if not r.running]
    values = store.meter_values(record.id)
    energy = [v for v in values if v.measurand in (None, "Energy.Active.Import.Register")]
    assert len(energy) >= 3, f"meter values stored: {values}"
