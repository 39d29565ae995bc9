"""Meter values: the 1.6 and 2.0.1 shapes read into one `Sample`, and energy from the register.

1.6 sends `value` as a string with `unit` beside it (default Wh, OCPP 1.6 §7.45); 2.0.1 sends a
number with `unitOfMeasure.unit` and a power-of-ten `multiplier` (default Wh and 0, 2.0.1 §2.51),
which is applied here so a stored value reads in its unit. Samples whose value is no number
(1.6 `format: SignedData`) are skipped: they prove a reading, they are not one.

A reading is what a sample says, all of it (`reading_key`): a 1.6 station that missed the answer to a
MeterValues or StopTransaction sends it again (OCPP 1.6 §4.10) with no sequence number to tell, and
the same readings of the same transaction are that message again (`new_readings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from evharness.ocppj.timefmt import parse_timestamp

ENERGY_REGISTER = "Energy.Active.Import.Register"
DEFAULT_CONTEXT = "Sample.Periodic"
_TO_WH = {"Wh": 1.0, "kWh": 1000.0}


@dataclass(frozen=True, slots=True)
class Sample:
    timestamp: datetime
    measurand: str
    value: float
    unit: str | None
    phase: str | None = None
    context: str = DEFAULT_CONTEXT
    location: str | None = None

    @property
    def energy_wh(self) -> float | None:
        """This sample as the whole-station import register in Wh, or None if it is something else."""
        if self.measurand != ENERGY_REGISTER or self.phase is not None:
            return None
        factor = _TO_WH.get(self.unit or "Wh")
        return None if factor is None else self.value * factor


ReadingKey = tuple[datetime, str, str | None, str | None, float, str, str | None]


def reading_key(sample: Sample) -> ReadingKey:
    """When, what, which phase, in which unit, how much, why and where: two samples alike are one reading."""
    s = sample
    return (s.timestamp, s.measurand, s.phase, s.unit, s.value, s.context, s.location)


def new_readings(samples: Iterable[Sample], known: Iterable[ReadingKey]) -> list[Sample]:
    """The samples whose reading is not among `known`, each reading once, in their order."""
    seen = set(known)
    fresh = []
    for sample in samples:
        key = reading_key(sample)
        if key not in seen:
            seen.add(key)
            fresh.append(sample)
    return fresh


def samples_v16(meter_values: Iterable[dict[str, Any]]) -> Iterator[Sample]:
    for meter_value in meter_values:
        at = parse_timestamp(meter_value["timestamp"])
        for sampled in meter_value["sampledValue"]:
            try:
                value = float(sampled["value"])
            except ValueError:
                continue
            measurand = sampled.get("measurand", ENERGY_REGISTER)
            default_unit = "Wh" if measurand.startswith("Energy") else None
            yield Sample(
                at,
                measurand,
                value,
                sampled.get("unit", default_unit),
                sampled.get("phase"),
                sampled.get("context", DEFAULT_CONTEXT),
                sampled.get("location"),
            )


def samples_v201(meter_values: Iterable[dict[str, Any]]) -> Iterator[Sample]:
    for meter_value in meter_values:
        at = parse_timestamp(meter_value["timestamp"])
        for sampled in meter_value["sampledValue"]:
            unit_of_measure = sampled.get("unitOfMeasure", {})
            multiplier = unit_of_measure.get("multiplier", 0)
            measurand = sampled.get("measurand", ENERGY_REGISTER)
            default_unit = "Wh" if measurand.startswith("Energy") else None
            yield Sample(
                at,
                measurand,
                float(sampled["value"]) * 10.0**multiplier,
                unit_of_measure.get("unit", default_unit),
                sampled.get("phase"),
                sampled.get("context", DEFAULT_CONTEXT),
                sampled.get("location"),
            )


def last_register_wh(samples: Iterable[Sample]) -> float | None:
    """The latest energy register reading among `samples` (by timestamp), in Wh."""
    best: tuple[datetime, float] | None = None
    for sample in samples:
        wh = sample.energy_wh
        if wh is not None and (best is None or sample.timestamp >= best[0]):
            best = (sample.timestamp, wh)
    return None if best is None else best[1]


def first_register_wh(samples: Iterable[Sample]) -> float | None:
    """The earliest energy register reading among `samples`, in Wh."""
    best: tuple[datetime, float] | None = None
    for sample in samples:
        wh = sample.energy_wh
        if wh is not None and (best is None or sample.timestamp < best[0]):
            best = (sample.timestamp, wh)
    return None if best is None else best[1]
