"""`evharness seed`: what a scenario expects ends up in the database, and twice is as good as once."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from evharness import scenarios, seed_cli
from evharness.idtokens import WIRE_TYPE_TO_ID_TYPE, guess_type_from_idtag, to_wire
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.authorization import Facts, decide, status_for
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.tables import identifications, local_users
from evharness.seed import EXTRA_USERS_PER_STATION, seed


def test_seeding_twice_changes_nothing(database_url: str) -> None:
    first = seed(database_url, "pin_charging", 3, "SIM")
    store = Store.from_url(database_url)
    counts = store.row_counts()
    second = seed(database_url, "pin_charging", 3, "SIM")
    assert store.row_counts() == counts
    store.dispose()
    per_station = 3 + EXTRA_USERS_PER_STATION  # the absent token is not provisioned
    assert (first.stations_created, first.identifications_created, first.users_created) == (
        3,
        3 * per_station,
        3 * per_station,
    )
    assert (second.stations_existing, second.identifications_created, second.identifications_updated) == (
        3,
        0,
        3 * per_station,
    )
    assert counts["stations"] == 3
    assert counts["identifications"] == counts["local_users"] == 3 * per_station


@pytest.mark.parametrize("name", sorted(scenarios.bundled()))
@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
def test_every_token_gets_what_its_scenario_expects(sqlite_url: str, name: str, version: OcppVersion) -> None:
    scenario = scenarios.load(name)
    seed(sqlite_url, scenario, 2, "SIM")
    store = Store.from_url(sqlite_url)
    station_id = store.find_station_id("SIM-0002")
    assert station_id is not None
    for token in scenario.for_station("SIM-0002").tokens:  # its own `{n}` codes
        if version is OcppVersion.V16:
            id_type = guess_type_from_idtag(token.code)
        else:
            id_type = WIRE_TYPE_TO_ID_TYPE[to_wire(token.type, token.code).type_201]
        lookup = store.lookup_token(station_id, id_type, token.code)
        decision = decide(
            Facts(id_type, lookup.enabled_types, lookup.identification, True, datetime.now(UTC))
        )
        assert status_for(version, decision) in token.expect, token.id
    store.dispose()


def test_names_come_from_the_token_or_from_faker(sqlite_url: str) -> None:
    seed(sqlite_url, "pin_charging", 1, "SIM", protocol="2.0.1")
    store = Store.from_url(sqlite_url)
    station = store.station("SIM-0001")
    assert station is not None
    assert station.protocol == "2.0.1"
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(identifications.c.code, local_users.c.first_name, local_users.c.last_name).join(
                local_users
            )
        ).all()
    store.dispose()
    names = {code: (first, last) for code, first, last in rows}
    assert names["#4821"] == ("Ada", "Driver")
    assert all(first and last for first, last in names.values())
    scenario_codes = {token.code for token in scenarios.load("pin_charging").tokens}
    assert len(set(names) - scenario_codes) == EXTRA_USERS_PER_STATION


def test_the_noise_does_not_depend_on_the_scenario(sqlite_url: str) -> None:
    seed(sqlite_url, "pin_charging", 1, "SIM")
    seed(sqlite_url, "rfid_charging", 1, "SIM")
    store = Store.from_url(sqlite_url)
    counts = store.row_counts()
    store.dispose()
    assert counts["identifications"] == 3 + 2 + EXTRA_USERS_PER_STATION


def test_the_seed_command(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    seed_cli.register(parser.add_subparsers())
    args = parser.parse_args(
        ["seed", "--database-url", sqlite_url, "--scenario", "rfid_charging", "--stations", "2"]
    )
    assert args.run(args) == 0
    assert "stations: 2 created" in capsys.readouterr().out
    missing = parser.parse_args(["seed", "--database-url", sqlite_url])
    assert missing.run(missing) == 2
    wrong = parser.parse_args(["seed", "--database-url", sqlite_url, "--scenario", "no-such-scenario"])
    assert wrong.run(wrong) == 2
    assert "no-such-scenario" in capsys.readouterr().err
