"""Station templates: vendor, model, EVSEs, limits, the EV and configuration values, in YAML.

`evharness sim --template NAME_OR_FILE` builds every station from a template instead of the
scenario's `station:` block. Bundled templates live in `simulator/templates/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evharness.scenarios.model import Ev, parse_duration
from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.ev import EvSpec
from evharness.simulator.core.model import StationConfig

TEMPLATES = Path(__file__).parent / "templates"


def ev_spec(ev: Ev) -> EvSpec:
    """A template's or a scenario's `ev:` as the station's EV."""
    return EvSpec(**ev.model_dump(exclude={"departure"}), departure_s=ev.departure)


class StationTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    vendor: str = "evharness"
    model: str = "SimStation"
    firmware_version: str = "0.1.0"
    evses: int = Field(default=1, ge=1, le=32)
    connectors_per_evse: int = Field(default=1, ge=1, le=4)
    max_power_kw: float = Field(default=11.0, gt=0)
    max_current_a: float | None = Field(default=None, gt=0)
    phases: int = Field(default=3, ge=1, le=3)
    meter_interval: float = 60.0
    ev: Ev | None = None
    configuration: dict[str, str] = Field(
        default_factory=dict, description="2.0.1 'Component.Variable' names or 1.6 keys → values"
    )

    @field_validator("meter_interval", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value)

    @field_validator("configuration", mode="before")
    @classmethod
    def _known(cls, value: Any) -> Any:
        if isinstance(value, dict):
            value = {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in value.items()}
            DeviceModel(value)  # raises ValueError naming an unknown variable
        return value

    def config(self, identity: str, call_timeout_s: float) -> StationConfig:
        ev = None if self.ev is None else ev_spec(self.ev)
        return StationConfig(
            vendor=self.vendor,
            model=self.model,
            serial_number=identity,
            firmware_version=self.firmware_version,
            evses=self.evses,
            connectors_per_evse=self.connectors_per_evse,
            max_power_w=self.max_power_kw * 1000.0,
            meter_interval_s=self.meter_interval,
            call_timeout_s=call_timeout_s,
            phases=self.phases,
            max_current_a=self.max_current_a,
            ev=ev,
            variables=tuple(sorted(self.configuration.items())),
        )


def bundled() -> dict[str, Path]:
    return {path.stem: path for path in sorted(TEMPLATES.glob("*.yaml"))}


def load(name_or_path: str | Path) -> StationTemplate:
    """A bundled template by name, or a YAML file; ValueError naming the file and the field."""
    path = Path(name_or_path)
    if not path.is_file():
        shipped = bundled()
        if str(name_or_path) not in shipped:
            raise ValueError(f"{name_or_path}: no such file, nor a bundled template ({', '.join(shipped)})")
        path = shipped[str(name_or_path)]
    try:
        return StationTemplate.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "(file)"
        raise ValueError(f"{path}: field {where}: {error['msg'].removeprefix('Value error, ')}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not YAML: {exc}") from None
