"""`evharness station-password`: store a station's Basic-auth password (profiles 1 and 2) in the
backend's database, hashed; the station's row is created if the database has none (as `seed` does)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from evharness.settings import Option, add_options
from reference_backend.settings import DATABASE_URL

OPTIONS = [
    DATABASE_URL,
    Option("--identity", "the station identity (the Basic-auth username)"),
    Option("--password", "the password: 16 to 40 characters (SecurityCtrlr.BasicAuthPassword)"),
]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "station-password",
        help="store a station's Basic-auth password (hashed) in the backend's database (profiles 1, 2)",
        description=__doc__,
    )
    add_options(parser, OPTIONS)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from reference_backend.passwords import check_station_password, set_station_password
    from reference_backend.persistence import Store

    try:
        if not args.identity or not args.password:
            raise ValueError("give --identity and --password")
        check_station_password(args.identity, args.password)  # before the database is even opened
    except ValueError as error:
        print(f"evharness station-password: {error}", file=sys.stderr)
        return 2
    store = Store.from_url(args.database_url)
    try:
        store.create_schema()
        created = set_station_password(store, args.identity, args.password)
    finally:
        store.dispose()
    station = f"{args.identity} (new station)" if created else args.identity
    print(f"stored the password of {station} in {store.display_url} (hashed)")
    return 0
