"""`evharness station-password`: store a station's Basic-auth password, hashed, for profiles 1 and 2."""

from __future__ import annotations

import argparse
from typing import Any

from evharness.settings import Option, add_options

OPTIONS = [
    Option(
        "--station-passwords", "the JSON file of hashed passwords the backend reads", "station-passwords.json"
    ),
    Option("--identity", "the station identity (the Basic-auth username)"),
    Option("--password", "the password: 16 to 40 characters (SecurityCtrlr.BasicAuthPassword)"),
]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "station-password",
        help="store a station's Basic-auth password (scrypt-hashed) for security profiles 1 and 2",
        description=__doc__,
    )
    add_options(parser, OPTIONS)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from reference_backend.security import StationPasswords

    if not args.identity or not args.password:
        print("evharness station-password: give --identity and --password")
        return 2
    if not 16 <= len(args.password) <= 40:  # A00.FR.202 / SecurityCtrlr.BasicAuthPassword
        print("evharness station-password: a password has 16 to 40 characters")
        return 2
    passwords = StationPasswords.load(args.station_passwords)
    passwords.set(args.identity, args.password)
    print(f"stored the password of {args.identity} in {args.station_passwords} (hashed)")
    return 0
