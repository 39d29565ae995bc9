"""The load tests' own command-line arguments: each is also an EVHARNESS_ environment variable,
named as everywhere else in evharness (`--id-prefix` ↔ `EVHARNESS_ID_PREFIX`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from locust import events
from locust.argument_parser import LocustArgumentParser

from evharness.ocppj.versions import OcppVersion
from evharness.settings import env_name


@events.init_command_line_parser.add_listener
def add_arguments(parser: LocustArgumentParser, **_: Any) -> None:
    def option(flag: str, default: str, help: str) -> None:
        parser.add_argument(
            flag, env_var=env_name(flag), default=default, help=f"{help} (env {env_name(flag)})"
        )

    option(
        "--id-prefix",
        "SIM",
        "station identities are PREFIX-0001 …, as `evharness seed --id-prefix` made them",
    )
    option("--first-number", "1", "number of the first station identity")
    option(
        "--id-stride",
        "1000",
        "identity numbers per Locust worker: worker i uses FIRST+i×STRIDE … (most users one worker may run)",
    )
    option("--protocol", "1.6,2.0.1", "OCPP versions, comma separated; users take them round-robin")
    option("--scenario", "pin_charging,rfid_charging", "scenario files or bundled names, comma separated")
    option("--scenario-weights", "1,1", "relative weight of each scenario when a user picks its next session")
    option("--time-scale", "3600", "simulated seconds per real second (a 30 min charge takes 0.5 s at 3600)")
    option("--call-timeout", "10", "real seconds to wait for a CSMS answer before it counts as a timeout")
    option("--session-timeout", "60", "real seconds one charging session may take before it fails")
    option("--console-url", "http://127.0.0.1:8000", "the console API's base URL (for the console user)")


@dataclass(frozen=True)
class LoadSettings:
    id_prefix: str
    first_number: int
    id_stride: int
    protocols: tuple[OcppVersion, ...]
    scenarios: tuple[str, ...]
    weights: tuple[float, ...]
    time_scale: float
    call_timeout_s: float
    session_timeout_s: float
    console_url: str

    @classmethod
    def from_options(cls, options: Any) -> LoadSettings:
        """Read and check the parsed options; a bad value raises ValueError naming flag and variable."""

        def read(flag: str, convert: Any) -> Any:
            raw = getattr(options, flag.lstrip("-").replace("-", "_"))
            try:
                return convert(raw)
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{raw!r} (from {flag} or {env_name(flag)}): {exc}") from None

        def versions(text: str) -> tuple[OcppVersion, ...]:
            return tuple(OcppVersion(part.strip()) for part in text.split(",") if part.strip())

        def names(text: str) -> tuple[str, ...]:
            return tuple(part.strip() for part in text.split(",") if part.strip())

        def numbers(text: str) -> tuple[float, ...]:
            return tuple(float(part) for part in text.split(",") if part.strip())

        settings = cls(
            id_prefix=read("--id-prefix", str),
            first_number=read("--first-number", int),
            id_stride=read("--id-stride", int),
            protocols=read("--protocol", versions),
            scenarios=read("--scenario", names),
            weights=read("--scenario-weights", numbers),
            time_scale=read("--time-scale", float),
            call_timeout_s=read("--call-timeout", float),
            session_timeout_s=read("--session-timeout", float),
            console_url=read("--console-url", str),
        )
        if not settings.protocols or not settings.scenarios:
            raise ValueError("--protocol and --scenario need at least one value each")
        if (
            len(settings.weights) != len(settings.scenarios)
            or min(settings.weights) < 0
            or sum(settings.weights) <= 0
        ):
            raise ValueError(
                f"--scenario-weights needs one non-negative weight per scenario ({len(settings.scenarios)}), "
                "not all zero"
            )
        if settings.id_stride < 1 or settings.time_scale <= 0:
            raise ValueError("--id-stride and --time-scale must be positive")
        return settings
