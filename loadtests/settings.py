"""The load tests' settings, read from Locust's parsed options (no Locust import here, so the rules
can be unit-tested without gevent's monkey-patching)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from evharness.ocppj.versions import OcppVersion
from evharness.settings import env_name
from evharness.simulator.core.clock import TIMESTAMPS


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
    outbox_dir: str  # "": the console user cannot read mails, so it cannot confirm accounts
    timestamps: str = "simulated"  # or "wall" (simulator.core.clock.TIMESTAMPS)

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

        def timestamps(text: str) -> str:
            if text not in TIMESTAMPS:
                raise ValueError(f"choose {' or '.join(TIMESTAMPS)}")
            return text

        def numbers(text: str) -> tuple[float, ...]:
            return tuple(float(part) for part in (text or "").split(",") if part.strip())

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
            outbox_dir=read("--outbox-dir", str),
            timestamps=read("--timestamps", timestamps),
        )
        if not settings.weights:  # not given: every scenario as likely as the others
            settings = replace(settings, weights=(1.0,) * len(settings.scenarios))
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


def parse_stages(text: str) -> list[tuple[int, float]]:
    """`10:30,50:60` → [(10, 30.0), (50, 60.0)]; ValueError on anything else."""
    stages = []
    for part in text.split(","):
        users, _, seconds = part.strip().partition(":")
        stage = (int(users), float(seconds))
        if stage[0] < 0 or stage[1] <= 0:
            raise ValueError(f"a ramp stage is USERS:SECONDS with USERS ≥ 0 and SECONDS > 0, not {part!r}")
        stages.append(stage)
    if not stages:
        raise ValueError("the ramp needs at least one stage")
    return stages
