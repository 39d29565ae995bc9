"""Meter values as each version writes them: energy, power, current and voltage per phase, and SoC.

Measurands and phases follow 1.6 §7.31/§7.45 and 2.0.1 MeasurandEnumType/PhaseEnumType; the
register is the first value (the reference backend and most CSMSs read it from there).
"""

from __future__ import annotations

from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp
from simulator.core.model import Evse

PHASES = ("L1", "L2", "L3")


def _values(evse: Evse, now: float) -> list[tuple[str, float, str, str | None, str | None]]:
    """(measurand, value, unit, phase, location) of one sample."""
    meter = evse.meter
    meter.advance(now)
    values: list[tuple[str, float, str, str | None, str | None]] = [
        ("Energy.Active.Import.Register", round(meter.energy_wh, 1), "Wh", None, None),
        ("Power.Active.Import", round(meter.power_w, 1), "W", None, None),
    ]
    for phase in PHASES[: meter.phases]:
        values.append(("Current.Import", round(meter.current_a, 2), "A", phase, None))
    for phase in PHASES[: meter.phases]:
        values.append(("Voltage", round(meter.voltage_v, 1), "V", f"{phase}-N", None))
    if evse.ev is not None:
        evse.ev.update(meter.energy_wh)
        values.append(("SoC", round(evse.ev.soc_percent, 1), "Percent", None, "EV"))
    return values


def sample_16(evse: Evse, now: float, context: str) -> Payload:
    sampled = []
    for measurand, value, unit, phase, location in _values(evse, now):
        entry: Payload = {"value": f"{value:.2f}" if unit == "A" else f"{value:.1f}", "context": context}
        entry |= {"measurand": measurand, "unit": unit}
        if phase:
            entry["phase"] = phase
        if location:
            entry["location"] = location
        sampled.append(entry)
    return {"timestamp": format_timestamp(now), "sampledValue": sampled}


def sample_201(evse: Evse, now: float, context: str) -> Payload:
    sampled = []
    for measurand, value, unit, phase, location in _values(evse, now):
        entry: Payload = {"value": value, "context": context, "measurand": measurand}
        entry["unitOfMeasure"] = {"unit": unit}
        if phase:
            entry["phase"] = phase
        if location:
            entry["location"] = location
        sampled.append(entry)
    return {"timestamp": format_timestamp(now), "sampledValue": sampled}
