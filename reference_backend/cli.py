"""`evharness backend` and `evharness operator` (`evharness seed` is `evharness.seed_cli`).

Heavy imports (uvicorn, FastAPI, SQLAlchemy) wait until a command runs, so that
`evharness --help` and the other components' commands start quickly.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import TextIO
from urllib.parse import urlsplit

from evharness import eventloop
from evharness.reference_backend.settings import BACKEND_OPTIONS, DATABASE_URL, BackendSettings
from evharness.settings import Option, add_options

OPERATOR_OPTIONS = [
    DATABASE_URL,
    Option("--email", "email address of the new operator admin"),
    Option("--name", "display name of the new operator admin", default="Platform admin"),
    Option("--password", "password of the new operator admin (unset: asked for on the terminal)"),
]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backend = subparsers.add_parser(
        "backend",
        help="run the reference CSMS: OCPP-J server and console API",
        description="Run the reference CSMS. Stops cleanly on SIGINT or SIGTERM.",
    )
    add_options(backend, [*BACKEND_OPTIONS, eventloop.EVENT_LOOP])
    backend.set_defaults(run=run_backend)

    operator = subparsers.add_parser(
        "operator",
        help="platform operator administration of the reference CSMS",
        description="Platform operator administration (works on the database directly).",
    )
    operator_commands = operator.add_subparsers(dest="operator_command", required=True, metavar="COMMAND")
    create_admin = operator_commands.add_parser(
        "create-admin",
        help="create a platform operator admin (the first one bootstraps the console)",
        description="Create a confirmed platform operator admin, and the operator company on first use.",
    )
    add_options(create_admin, OPERATOR_OPTIONS)
    create_admin.set_defaults(run=run_create_admin)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", stream=sys.stderr
    )


def run_backend(args: argparse.Namespace) -> int:
    settings = BackendSettings.from_args(args)
    if settings.oidc_issuer and not settings.oidc_client_id:
        print("evharness backend: --oidc-issuer needs --oidc-client-id (and usually --oidc-client-secret)",
              file=sys.stderr)  # fmt: skip
        return 2
    configure_logging(settings.log_level)
    try:
        return eventloop.run(serve_until_signalled(settings), args.event_loop)
    except eventloop.EventLoopUnavailable as exc:
        print(f"evharness backend: {exc}", file=sys.stderr)
        return 2


async def serve_until_signalled(settings: BackendSettings, out: TextIO = sys.stdout) -> int:
    """Run the backend until SIGINT or SIGTERM, then close connections, dispose the engine, return 0."""
    # Handlers first: whoever reads the banner may signal at once.
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        return await _serve(settings, stop, out)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _serve(settings: BackendSettings, stop: asyncio.Event, out: TextIO) -> int:
    from evharness.reference_backend.backend import BackendServer

    try:
        backend = BackendServer(settings)
    except (ValueError, OSError) as exc:  # an inconsistent security configuration, unreadable files
        print(f"evharness backend: {exc}", file=sys.stderr)
        return 2
    try:
        await backend.start()
    except OSError as exc:
        backend.store.dispose()
        print(f"evharness backend: cannot listen: {exc}", file=sys.stderr)
        return 1
    print(f"OCPP  {backend.ocpp_url}{{station_id}}", file=out)
    if backend.ocpp.tls_port is not None and backend.ocpp_url != backend.ocpp_wss_url:
        print(f"OCPPS {backend.ocpp_wss_url}{{station_id}}", file=out)
    print(f"API   {backend.api_url} (docs /api/docs)", file=out)
    print(f"DB    {backend.store.display_url}", file=out)
    mail = f"outbox {settings.outbox_dir} (no --smtp-url)"
    if settings.smtp_url:
        parts = urlsplit(settings.smtp_url)  # without the credentials
        mail = f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
    print(f"MAIL  {mail}", file=out)
    for warning in backend.security_warnings():
        print(f"NOTE  {warning}", file=out)
    out.flush()
    try:
        await stop.wait()
    finally:
        await backend.stop()
    print("stopped", file=out, flush=True)
    return 0


def run_create_admin(args: argparse.Namespace) -> int:
    import getpass

    from evharness.reference_backend.backend import build_console
    from evharness.reference_backend.console import operator
    from evharness.reference_backend.domain.problems import Problem
    from evharness.reference_backend.persistence import Store

    if not args.email:
        print("evharness operator create-admin: give --email (or EVHARNESS_EMAIL)", file=sys.stderr)
        return 2
    password = args.password or getpass.getpass("password of the new operator admin: ")
    store = Store.from_url(args.database_url)
    try:
        store.create_schema()
        console = build_console(BackendSettings(database_url=args.database_url), store, background_mail=False)
        user_id = operator.create_admin(console, args.email, args.name, password)
    except Problem as exc:
        print(f"evharness operator create-admin: {exc.message}", file=sys.stderr)
        return 2
    finally:
        store.dispose()
    print(f"operator admin {args.email} created (user {user_id}); log in with POST /api/session")
    return 0
