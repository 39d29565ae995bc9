"""`evharness station-password` writes a salted hash into the backend's database — the one store —
and a backend on security profile 1 then accepts exactly that password."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from evharness.cli import main
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.credentials import verify_password
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.tables import stations
from evharness.reference_backend.settings import BackendSettings

PASSWORD = "sixteen-chars-ok"
OCPP201 = [Subprotocol("ocpp2.0.1")]


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def set_password(database_url: str, identity: str, password: str) -> int:
    return main(
        ["station-password", "--database-url", database_url, "--identity", identity, "--password", password]
    )


def station_rows(database_url: str) -> list[tuple[str, str | None]]:
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(stations.c.identity, stations.c.basic_auth_hash)).all()
    engine.dispose()
    return [(row.identity, row.basic_auth_hash) for row in rows]


async def handshake(url: str, headers: dict[str, str]) -> int:
    """101 if the backend upgrades the connection, else the HTTP status that refused it."""
    try:
        async with connect(url, subprotocols=OCPP201, additional_headers=headers):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


def test_the_cli_creates_the_station_and_stores_only_a_salted_hash(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert set_password(sqlite_url, "CP-1", PASSWORD) == 0
    assert "CP-1 (new station)" in capsys.readouterr().out
    [(identity, stored)] = station_rows(sqlite_url)
    assert identity == "CP-1"
    assert stored is not None
    assert stored.startswith("pbkdf2_sha256$")
    assert PASSWORD not in stored
    assert set_password(sqlite_url, "CP-1", PASSWORD) == 0  # again: a new salt, still one row
    [(_, again)] = station_rows(sqlite_url)
    assert again != stored


def test_the_cli_keeps_a_seeded_station_and_replaces_its_password(sqlite_url: str) -> None:
    store = Store.from_url(sqlite_url)
    store.create_schema()
    store.ensure_station("SIM-0001", datetime.now(UTC), "2.0.1")
    store.dispose()
    assert set_password(sqlite_url, "SIM-0001", PASSWORD) == 0
    assert set_password(sqlite_url, "SIM-0001", "another-password-1") == 0
    assert [identity for identity, _ in station_rows(sqlite_url)] == ["SIM-0001"]  # the seeded row
    store = Store.from_url(sqlite_url)
    record = store.station("SIM-0001")
    stored = store.basic_auth_hash("SIM-0001")
    store.dispose()
    assert record is not None
    assert record.protocol == "2.0.1"
    assert stored is not None
    assert verify_password("another-password-1", stored)
    assert not verify_password(PASSWORD, stored)


@pytest.mark.parametrize(
    ("identity", "password", "named"),
    [
        ("CP-1", "too-short", "--password: a password has 16 to 40 characters"),
        ("CP-1", "x" * 41, "--password: a password has 16 to 40 characters"),
        ("CP:1", PASSWORD, "--identity: the station identity contains ':'"),
        ("", PASSWORD, "give --identity and --password"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], identity: str, password: str, named: str
) -> None:
    database = tmp_path / "untouched.sqlite3"
    assert set_password(f"sqlite:///{database}", identity, password) == 2
    error = capsys.readouterr().err
    assert named in error
    assert password not in error or not password
    assert not database.exists()  # not even created


def test_the_backend_accepts_exactly_the_password_the_cli_stored(sqlite_url: str) -> None:
    """Profile 1 (TC_A_01..03_CSMS): the right password upgrades; another one, another station's
    username, none, or a station without a stored password get 401 and leave no station behind."""
    assert set_password(sqlite_url, "CP-1", PASSWORD) == 0
    settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, security_profile=1)

    async def scenario() -> tuple[int, list[int]]:
        async with BackendServer(settings) as backend:
            url = backend.ocpp_url
            accepted = await handshake(url + "CP-1", basic("CP-1", PASSWORD))
            refused = [
                await handshake(url + "CP-1", basic("CP-1", "another-password-1")),
                await handshake(url + "CP-1", basic("CP-2", PASSWORD)),
                await handshake(url + "CP-1", {}),
                await handshake(url + "CP-2", basic("CP-2", PASSWORD)),  # no password on record
            ]
            return accepted, refused

    accepted, refused = asyncio.run(scenario())
    assert accepted == 101
    assert refused == [401, 401, 401, 401]
    assert [identity for identity, _ in station_rows(sqlite_url)] == ["CP-1"]  # no CP-2 row
