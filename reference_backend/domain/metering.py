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

import itertools
from collections.abc import Iterable, Iterator, Sequence
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


def registers(samples: Iterable[Sample]) -> list[Register]:
    """The energy register readings among `samples`, oldest first."""
    found = [Register(s.timestamp, wh) for s in samples if (wh := s.energy_wh) is not None]
    return sorted(found, key=lambda r: r.at)


def first_register_wh(samples: Iterable[Sample]) -> float | None:
    """The earliest energy register reading among `samples`, in Wh."""
    found = registers(samples)
    return found[0].wh if found else None


# -- a transaction's meter: what the station said, and whether it adds up ---------------------------
#
# The start is what the station said: 1.6 `meterStart`, 2.0.1 the register of the Started event (or a
# reading whose context is Transaction.Begin). Readings only move the LAST value, to the latest by
# time, whatever it says. The stop is the station's `meterStop` / the Ended event's register. A
# register is cumulative (OCPP 1.6 §7.31, 2.0.1 J01): a reading below one taken earlier, below the
# start, or a stop below the start or the last reading means the register was reset (a reboot, a
# replaced meter) or is wrong; the values stay as sent and the transaction's energy is flagged with
# the first such problem (`problem`). Nothing is invented to hide it.

# Less than 1 Wh is rounding, not a register going backwards: 1.6 meterStart/meterStop are whole Wh
# (a station truncates 14097.8 to 14097), and kWh values with a multiplier round too.
EPSILON_WH = 1.0
TRANSACTION_BEGIN = "Transaction.Begin"


@dataclass(frozen=True, slots=True)
class Register:
    at: datetime
    wh: float

    def __str__(self) -> str:
        return f"{self.wh:g} Wh at {self.at.isoformat()}"


@dataclass(frozen=True, slots=True)
class MeterChange:
    """What one message does to a transaction's meter."""

    start_wh: float | None = None  # the start the station gave (taken only while none is known)
    last: Register | None = None  # the latest register reading, if it moves the last value
    problem: str | None = None  # why the energy does not add up, if this message shows it

    def __bool__(self) -> bool:
        return self.start_wh is not None or self.last is not None or self.problem is not None

    def then(self, later: MeterChange) -> MeterChange:
        """This change followed by `later` (as a batch holds both): the first start and problem, the
        latest reading."""
        last = self.last
        if later.last is not None and (last is None or later.last.at >= last.at):
            last = later.last
        return MeterChange(
            self.start_wh if self.start_wh is not None else later.start_wh,
            last,
            self.problem if self.problem is not None else later.problem,
        )


def _below(value: float, floor: float) -> bool:
    return value < floor - EPSILON_WH


def meter_change(
    start_wh: float | None,
    last: Register | None,
    readings: Sequence[Register],
    new_start_wh: float | None = None,
) -> MeterChange:
    """What `readings` (and, for a Started event, the start it gives) do to a transaction whose start
    and latest reading are `start_wh` and `last`."""
    taken_start = new_start_wh if start_wh is None else None
    start = start_wh if start_wh is not None else new_start_wh
    problem: str | None = None
    sequence = sorted([*([last] if last is not None else []), *readings], key=lambda r: r.at)
    for earlier, later in itertools.pairwise(sequence):
        if _below(later.wh, earlier.wh):
            problem = f"register went backwards: {earlier}, then {later}"
            break
    if problem is None and start is not None:
        low = next((r for r in sequence if _below(r.wh, start)), None)
        if low is not None:
            problem = f"register reading {low} is below the start {start:g} Wh"
    latest = sequence[-1] if sequence else None
    moved = latest if latest is not None and latest is not last else None
    return MeterChange(taken_start, moved, problem)


def stop_problem(start_wh: float | None, last: Register | None, stop: Register) -> str | None:
    """Why a meter stop does not add up with the start and the readings, or None."""
    if start_wh is not None and _below(stop.wh, start_wh):
        return f"meter stop {stop} is below the start {start_wh:g} Wh"
    if last is not None and last.at <= stop.at and _below(stop.wh, last.wh):
        return f"meter stop {stop} is below the last reading {last}"
    return None
