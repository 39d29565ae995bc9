"""Station Basic-auth passwords live in the database only (`stations.basic_auth_hash`).

Two ways in, both `evharness station-password`: `--identity --password` sets one (hashed here, the
plaintext never stored), and `--import-file FILE` copies a JSON file `{identity: hash}` of the retired file
store into the database once (a migration). An import fills in only the stations without a hash: the
database wins, so passwords set since are not undone by an old file. The backend reads no file at start.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from evharness.identities import identity_problem
from evharness.reference_backend.domain.credentials import hash_password, import_problems, password_problem
from evharness.reference_backend.persistence import Store

REMOVED = (
    "--station-passwords (EVHARNESS_STATION_PASSWORDS) is no longer read: the database is the one store of "
    "station passwords; import the file once with `evharness station-password --import-file FILE "
    "--database-url …`, then drop the flag"
)


def check_station_password(identity: str, password: str) -> None:
    """ValueError naming the field (`--identity`, `--password`) if either cannot be stored."""
    for field, problem in (
        ("--identity", identity_problem(identity)),
        ("--password", password_problem(password)),
    ):
        if problem is not None:
            raise ValueError(f"{field}: {problem}")


def set_station_password(store: Store, identity: str, password: str) -> bool:
    """Hash and store the password, creating the station's row if needed; True if it was created.
    Checked first (`check_station_password`): bad input writes nothing."""
    check_station_password(identity, password)
    created = store.station(identity) is None
    store.store_basic_auth_hashes({identity: hash_password(password)}, datetime.now(UTC))
    return created


def read_password_file(path: Path | str) -> dict[str, str]:
    """The hashes of a legacy `{identity: hash}` file, all checked; ValueError naming the bad entries."""
    try:
        hashes = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"--import-file {path}: cannot read it ({error.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"--import-file {path}: not JSON ({error})") from None
    problems = import_problems(hashes)
    if problems:
        raise ValueError(f"--import-file {path}: " + "; ".join(problems))
    return {str(identity): str(stored) for identity, stored in hashes.items()}


def import_password_file(store: Store, hashes: dict[str, str]) -> tuple[int, int]:
    """Copy the file's hashes into the database where a station has none; (imported, kept)."""
    return store.store_basic_auth_hashes(hashes, datetime.now(UTC), replace=False)
