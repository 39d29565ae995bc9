"""The `evharness` command: one sub-command per component."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from evharness import __version__


def build_parser() -> argparse.ArgumentParser:
    from evharness import demo, seed_cli
    from evharness.bench import cli as bench_cli
    from evharness.conformance import cli as conformance_cli
    from evharness.reference_backend import cli as backend_cli
    from evharness.reference_backend import password_cli, token_cli
    from evharness.scenarios import cli as scenario_cli
    from evharness.simulator import cli as simulator_cli

    parser = argparse.ArgumentParser(
        prog="evharness", description="Charger simulator and OCPP conformance harness, with a reference CSMS."
    )
    parser.add_argument("--version", action="version", version=f"evharness {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    backend_cli.register(commands)
    seed_cli.register(commands)
    password_cli.register(commands)
    token_cli.register(commands)
    simulator_cli.register(commands)
    scenario_cli.register(commands)
    demo.register(commands)
    bench_cli.register(commands)
    conformance_cli.register(commands)
    return parser


SIGPIPE_EXIT = 128 + 13  # what a shell reports for a tool ended by SIGPIPE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and not getattr(args, "pass_unknown", False):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.unknown = unknown  # `evharness conformance` passes them on to pytest
    try:
        code: int = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (`evharness scenario list | head`): stop quietly, as Unix tools do. Whatever
        # is still buffered goes nowhere, so the interpreter's last flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return SIGPIPE_EXIT
    return code


if __name__ == "__main__":
    sys.exit(main())
