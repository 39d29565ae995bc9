"""`evharness station-password`: store a station's Basic-auth password (profiles 1 and 2) in the
backend's database, hashed; the station's row is created if the database has none (as `seed` does).
With `--import-file FILE`: copy the hashes of a retired `{identity: hash}` password file into the database
once (stations that have a password keep it)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from evharness.reference_backend.settings import DATABASE_URL
from evharness.settings import Option, add_options

OPTIONS = [
    DATABASE_URL,
    Option("--identity", "the station identity (the Basic-auth username)"),
    Option("--password", "the password: 16 to 40 characters (SecurityCtrlr.BasicAuthPassword)"),
    Option(
        "--import-file",
        "a JSON file {identity: hash} of the retired password file store: its hashes are copied into the "
        "database once (stations that have a password keep it); instead of --identity and --password",
    ),
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
    if args.import_file:
        return import_file(args)
    from evharness.reference_backend.passwords import check_station_password, set_station_password
    from evharness.reference_backend.persistence import Store

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


def import_file(args: argparse.Namespace) -> int:
    from evharness.reference_backend.passwords import import_password_file, read_password_file
    from evharness.reference_backend.persistence import Store

    try:
        if args.identity or args.password:
            raise ValueError("--import-file takes the whole file: give no --identity or --password")
        hashes = read_password_file(args.import_file)  # all checked before the database is opened
    except ValueError as error:
        print(f"evharness station-password: {error}", file=sys.stderr)
        return 2
    store = Store.from_url(args.database_url)
    try:
        store.create_schema()
        imported, kept = import_password_file(store, hashes)
    finally:
        store.dispose()
    print(
        f"imported {imported} password hash{'es' if imported != 1 else ''}, kept {kept} the database had, "
        f"into {store.display_url}; the file is no longer needed"
    )
    return 0
