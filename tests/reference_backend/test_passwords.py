"""A legacy `--station-passwords` file is imported into the database once, by `evharness station-password
--import-file FILE`: its scrypt hashes keep working, passwords the database already has win, and a bad file
changes nothing. The backend itself reads no file at start."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from evharness.cli import main
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.credentials import hash_password, verify_password
from evharness.reference_backend.passwords import read_password_file, set_station_password
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.settings import BackendSettings

# Written by the old `evharness station-password --station-passwords FILE` for this password.
LEGACY_PASSWORD = "legacy-file-password-1"
LEGACY_HASH = (
    "scrypt$16384$8$1$MDEyMzQ1Njc4OWFiY2RlZg==$+PGrCWHwq+7sFCCdRWqaSGpGv68Pfho/wIvvDot8Wjw2pNHiuJyqp"
    "i98wS2clhCcOecsTpR6lltawze67nuTpw=="
)
NEWER_PASSWORD = "set-in-the-database-1"


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


async def handshake(url: str, headers: dict[str, str]) -> int:
    try:
        async with connect(url, subprotocols=[Subprotocol("ocpp1.6")], additional_headers=headers):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


def write_file(tmp_path: Path, content: object) -> Path:
    file = tmp_path / "station-passwords.json"
    file.write_text(json.dumps(content), encoding="utf-8")
    return file


def test_a_legacy_scrypt_hash_still_verifies() -> None:
    assert verify_password(LEGACY_PASSWORD, LEGACY_HASH)
    assert not verify_password("another-password-1", LEGACY_HASH)
    assert not verify_password(LEGACY_PASSWORD, LEGACY_HASH.replace("scrypt$16384", "scrypt$x"))


def import_file(database_url: str, file: Path) -> int:
    return main(["station-password", "--database-url", database_url, "--import-file", str(file)])


def test_the_file_is_imported_once_by_the_command_and_the_database_wins(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.from_url(sqlite_url)
    store.create_schema()
    set_station_password(store, "CP-2", NEWER_PASSWORD)  # set since the file was written
    store.dispose()
    file = write_file(tmp_path, {"CP-1": LEGACY_HASH, "CP-2": LEGACY_HASH})
    assert import_file(sqlite_url, file) == 0
    assert "imported 1 password hash, kept 1" in capsys.readouterr().out
    file.unlink()  # the database alone now holds both
    settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, security_profile=1)

    async def scenario() -> list[int]:
        async with BackendServer(settings) as backend:
            url = backend.ocpp_url
            return [
                await handshake(url + "CP-1", basic("CP-1", LEGACY_PASSWORD)),
                await handshake(url + "CP-1", basic("CP-1", NEWER_PASSWORD)),
                await handshake(url + "CP-2", basic("CP-2", NEWER_PASSWORD)),
                await handshake(url + "CP-2", basic("CP-2", LEGACY_PASSWORD)),  # the file lost
            ]

    assert asyncio.run(scenario()) == [101, 401, 101, 401]


def test_the_backend_reads_no_password_file_and_says_how_to_import_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The retired flag (or EVHARNESS_STATION_PASSWORDS) stops the start: ignored, its stations would fail."""
    file = write_file(tmp_path, {"CP-1": LEGACY_HASH})
    settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, station_passwords=str(file))
    with pytest.raises(ValueError, match="evharness station-password --import-file"):
        BackendServer(settings)
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()  # the database was not even opened


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (["CP-1"], "must be a JSON object"),
        ({"CP-1": LEGACY_HASH, "CP-2": "md5$abc"}, "'CP-2': unknown hash scheme 'md5'"),
        ({"CP:1": LEGACY_HASH}, "'CP:1': the station identity contains ':'"),
        ({"CP-1": 42}, "'CP-1': must be a password hash"),
        ({"CP-1": "pbkdf2_sha256$1$ab"}, "'CP-1': a pbkdf2_sha256 hash has 4 fields"),
    ],
)
def test_a_bad_file_is_refused_naming_the_entry_and_changes_nothing(
    sqlite_url: str, tmp_path: Path, content: object, named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path, content)
    assert import_file(sqlite_url, file) == 2
    error = capsys.readouterr().err
    assert "--import-file" in error
    assert named in error
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()  # the database was not even opened


def test_a_missing_or_broken_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"--import-file .*missing\.json: cannot read it"):
        read_password_file(tmp_path / "missing.json")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"--import-file .*broken\.json: not JSON"):
        read_password_file(tmp_path / "broken.json")


def test_the_store_writes_hashes_in_one_transaction_creating_rows(store: Store) -> None:
    now = datetime.now(UTC)
    store.ensure_station("CP-1", now, "1.6")
    first, second = hash_password("first-password-xx"), hash_password("second-password-x")
    assert store.store_basic_auth_hashes({"CP-1": first, "CP-2": first}, now, replace=False) == (2, 0)
    assert store.store_basic_auth_hashes({"CP-1": second, "CP-3": second}, now, replace=False) == (1, 1)
    assert store.basic_auth_hash("CP-1") == first
    assert store.store_basic_auth_hashes({"CP-1": second}, now) == (1, 0)
    assert store.basic_auth_hash("CP-1") == second
    record = store.station("CP-1")
    assert record is not None
    assert record.protocol == "1.6"
    assert store.station("CP-3") is not None
