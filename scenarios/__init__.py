"""Declarative charger behaviour scripts: the YAML files in this folder, and their format.

`load(path_or_name)` reads and validates a scenario; a bare name (`pin_charging`) resolves to the
file shipped here. Errors name the file, the step and the field.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from evharness.scenarios.model import Scenario

__all__ = ["Scenario", "ScenarioError", "bundled", "load", "resolve"]


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file, step and field."""


def bundled() -> dict[str, Path]:
    """The scenarios shipped with evharness, by name."""
    folder = importlib.resources.files("evharness.scenarios")
    return {
        entry.name.removesuffix(".yaml"): Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    }


def resolve(path_or_name: str | Path) -> Path:
    path = Path(path_or_name)
    if path.exists():
        return path
    shipped = bundled()
    if str(path_or_name) in shipped:
        return shipped[str(path_or_name)]
    raise ScenarioError(
        f"{path_or_name}: no such file, nor a bundled scenario ({', '.join(sorted(shipped))})"
    )


def load(path_or_name: str | Path) -> Scenario:
    path = resolve(path_or_name)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML: {exc}") from None
    return parse(raw, str(path))


def parse(raw: object, source: str = "<scenario>") -> Scenario:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: a scenario is a mapping with name, tokens and steps")
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if message.startswith(("step ", "token ")):
            raise ScenarioError(f"{source}: {message}") from None
        if where.startswith("tokens."):
            parts = where.split(".")
            where = f"token {int(parts[1]) + 1}" + (
                f", field {'.'.join(parts[2:])}" if len(parts) > 2 else ""
            )
        raise ScenarioError(f"{source}: {where or 'scenario'}: {message}") from None
