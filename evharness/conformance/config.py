"""The target's YAML file: station identities, tokens and optional features (see target.yaml)."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evharness.conformance.messages import Token
from evharness.ocppj.versions import OcppVersion

TOKEN_ROLES = ("valid", "valid_pin", "invalid", "invalid_pin", "blocked", "expired")


class TargetConfigError(ValueError):
    """The target file is missing something; the message names the file and the key."""


@dataclass(frozen=True)
class StationEntry:
    identity: str
    password: str | None = None


@dataclass(frozen=True)
class TargetConfig:
    stations: dict[OcppVersion, StationEntry]
    tokens: dict[str, Token]
    connector: int = 1
    features: dict[str, Any] = field(default_factory=dict)
    source: str = "(built in)"

    def token(self, role: str) -> Token:
        try:
            return self.tokens[role]
        except KeyError:
            raise TargetConfigError(f"{self.source}: no token {role!r} under tokens:") from None

    def station(self, version: OcppVersion) -> StationEntry:
        try:
            return self.stations[version]
        except KeyError:
            raise TargetConfigError(f"{self.source}: no station for OCPP {version.value}") from None

    def with_station(self, version: OcppVersion, identity: str | None, password: str | None) -> TargetConfig:
        """The command line's --station-id / --basic-auth-password override the file."""
        current = self.stations.get(version, StationEntry(identity or ""))
        entry = StationEntry(identity or current.identity, password if password else current.password)
        stations = {**self.stations, version: entry}
        return TargetConfig(stations, self.tokens, self.connector, self.features, self.source)

    def with_features(self, extra: dict[str, Any]) -> TargetConfig:
        """The features of the file, with `extra` on top (what the reference backend has itself)."""
        features = {**self.features, **extra}
        return TargetConfig(self.stations, self.tokens, self.connector, features, self.source)


def default_path() -> Path:
    return Path(str(importlib.resources.files("evharness.conformance") / "target.yaml"))


def load(path: Path | None = None) -> TargetConfig:
    source = path or default_path()
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TargetConfigError(f"{source}: {exc}") from None
    if not isinstance(raw, dict):
        raise TargetConfigError(f"{source}: expected a mapping with stations: and tokens:")
    return parse(raw, str(source))


def parse(raw: dict[str, Any], source: str) -> TargetConfig:
    stations: dict[OcppVersion, StationEntry] = {}
    for version_text, entry in (raw.get("stations") or {}).items():
        try:
            version = OcppVersion.parse(str(version_text))
        except ValueError as exc:
            raise TargetConfigError(f"{source}: stations: {exc}") from None
        if not isinstance(entry, dict) or not entry.get("id"):
            raise TargetConfigError(f"{source}: stations.{version_text}: give at least id:")
        stations[version] = StationEntry(str(entry["id"]), entry.get("basic_auth_password"))
    tokens: dict[str, Token] = {}
    for role, entry in (raw.get("tokens") or {}).items():
        if not isinstance(entry, dict) or "idToken" not in entry:
            raise TargetConfigError(f"{source}: tokens.{role}: give idToken: (and type:)")
        tokens[str(role)] = Token(str(entry["idToken"]), str(entry.get("type", "ISO14443")))
    missing = [role for role in TOKEN_ROLES if role not in tokens]
    if missing:
        raise TargetConfigError(f"{source}: tokens: missing {', '.join(missing)}")
    return TargetConfig(
        stations, tokens, int(raw.get("connector", 1)), dict(raw.get("features") or {}), source
    )
