"""One configuration story: every option is a CLI flag `--some-name` and an environment variable
`EVHARNESS_SOME_NAME`; the flag wins over the variable, the variable over the default.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ENV_PREFIX = "EVHARNESS_"


def env_name(flag: str) -> str:
    return ENV_PREFIX + flag.lstrip("-").replace("-", "_").upper()


@dataclass(frozen=True)
class Option:
    flag: str  # "--ocpp-port"
    help: str
    default: Any = None
    type: Callable[[str], Any] = str
    choices: tuple[str, ...] | None = None

    @property
    def env(self) -> str:
        return env_name(self.flag)

    def add_to(self, parser: argparse.ArgumentParser, environ: Mapping[str, str] | None = None) -> None:
        """Add the flag; a value from the environment is converted only if this command runs.

        (argparse converts string defaults with `type` when it parses, so a bad EVHARNESS_STATIONS
        breaks only the commands that have --stations, and the error names both spellings.)
        """
        environ = os.environ if environ is None else environ
        default = environ.get(self.env, self.default)
        shown = (
            f" (env {self.env}; default: {self.default})"
            if self.default is not None
            else f" (env {self.env})"
        )
        parser.add_argument(
            self.flag, default=default, type=self._convert, choices=self.choices, help=self.help + shown
        )

    def _convert(self, text: str) -> Any:
        try:
            return self.type(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{text!r} (from {self.flag} or {self.env}): {exc}") from None


def add_options(
    parser: argparse.ArgumentParser, options: list[Option], environ: Mapping[str, str] | None = None
) -> None:
    for option in options:
        option.add_to(parser, environ)
