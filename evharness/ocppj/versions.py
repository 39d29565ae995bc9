"""OCPP versions and their WebSocket subprotocol names (OCPP-J §3.2 / §4.5 of the catalog)."""

from __future__ import annotations

from enum import StrEnum


class OcppVersion(StrEnum):
    V16 = "1.6"
    V201 = "2.0.1"
    V21 = "2.1"

    @property
    def subprotocol(self) -> str:
        return "ocpp" + self.value

    @property
    def schema_package(self) -> str:
        """The `ocpp` package's sub-package holding this version's official schemas."""
        return {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}[self.value]

    @classmethod
    def parse(cls, text: str) -> OcppVersion:
        """Accept `1.6`, `ocpp1.6`, `16`, `2.0.1`, `201`, `ocpp2.0.1`, `2.1`, `21` …"""
        cleaned = text.strip().lower().removeprefix("ocpp").removeprefix("v")
        aliases = {"16": "1.6", "1.6j": "1.6", "201": "2.0.1", "21": "2.1"}
        cleaned = aliases.get(cleaned, cleaned)
        try:
            return cls(cleaned)
        except ValueError:
            known = ", ".join(v.value for v in cls)
            raise ValueError(f"unknown OCPP version {text!r} (known: {known})") from None

    @classmethod
    def from_subprotocol(cls, name: str) -> OcppVersion | None:
        for version in cls:
            if version.subprotocol == name:
                return version
        return None
