"""`evharness tokens list|add|remove`: the tokens provisioned for a station beyond PIN and RFID
(Central, eMAID, MacAddress, Local, EVCCID), in the backend's database, as the backend operator
(docs/authorization.md, "Token types"). The console API does the same under the permission matrix."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from evharness.reference_backend.settings import DATABASE_URL
from evharness.settings import Option, add_options

OPTIONS = [
    DATABASE_URL,
    Option("--identity", "the station identity"),
    Option("--type", "the token type: Central, eMAID, MacAddress, Local or EVCCID"),
    Option("--code", "the token's code (an identifierString of up to 36 characters)"),
    Option("--status", "active or inactive", default="active"),
    Option("--expires", "when it expires, ISO 8601 with an offset (e.g. 2027-01-01T00:00:00Z)"),
    Option("--group", "its group id (groupIdToken / parentIdTag; a master pass is a group)"),
]
ACTIONS = ("list", "add", "remove")


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "tokens", help="list, provision or remove a station's tokens beyond PIN and RFID", description=__doc__
    )
    parser.add_argument("action", choices=ACTIONS)
    add_options(parser, OPTIONS)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from evharness.reference_backend.console import tokens
    from evharness.reference_backend.domain.problems import InvalidInput, NotFound
    from evharness.reference_backend.domain.provisioned_tokens import check_token, check_type
    from evharness.reference_backend.persistence import Store
    from evharness.reference_backend.persistence.station_access import StationStore

    try:
        if not args.identity:
            raise InvalidInput("identity", "give the station's --identity")
        expires = datetime.fromisoformat(args.expires) if args.expires else None
        spec = None
        if args.action == "add":
            spec = check_token(args.type or "", args.code or "", args.status, expires, args.group)
        elif args.action == "remove":
            check_type(args.type or "")
            if not args.code:
                raise InvalidInput("code", "give the --code of the token to remove")
    except (InvalidInput, ValueError) as error:
        print(f"evharness tokens: {error}", file=sys.stderr)
        return 2
    store = Store.from_url(args.database_url)
    try:
        store.create_schema()
        with StationStore(store.engine).begin() as tx:
            station = tx.station(args.identity)
            if station is None:
                raise NotFound(f"no station {args.identity!r} in {store.display_url}")
            now = datetime.now(UTC)
            if spec is not None:
                stored, created = tokens.put(tx, station.id, None, spec, now)
                print(f"{'provisioned' if created else 'changed'}: {line(stored)}")
            elif args.action == "remove":
                key = (args.type, args.code.upper())
                found = [t for t in tx.tokens(station.id) if (t.type, t.code.upper()) == key]
                if not found:
                    raise NotFound(f"no {args.type} token {args.code!r} at {args.identity}")
                tokens.drop(tx, station.id, None, found[0], now)
                print(f"removed: {line(found[0])}")
            else:
                for token in tx.tokens(station.id):
                    print(line(token))
    except NotFound as error:
        print(f"evharness tokens: {error}", file=sys.stderr)
        return 1
    finally:
        store.dispose()
    return 0


def line(token: Any) -> str:
    expires = token.expires_at.isoformat() if token.expires_at else "-"
    return f"{token.type}\t{token.code}\t{token.status}\texpires {expires}\tgroup {token.group_id or '-'}"
