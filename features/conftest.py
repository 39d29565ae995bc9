"""The repository's feature suites: the packaged suites' station world and shared steps, and the steps
that read the reference backend's database (skipped with --csms-url: only its database can be read)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_bdd import parsers, then

from evharness.reference_backend.persistence.store import Store
from evharness.suites.world import *  # noqa: F403  (pytest-bdd finds steps and fixtures by module globals)
from evharness.suites.world import World


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


@then("the backend stored the meter values of that transaction")
def backend_meter_values(world: World, store: Store) -> None:
    (record,) = [r for r in store.transactions(world.live.identity) if not r.running]
    values = store.meter_values(record.id)
    energy = [v for v in values if v.measurand in (None, "Energy.Active.Import.Register")]
    assert len(energy) >= 3, f"meter values stored: {values}"
