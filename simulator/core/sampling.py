"""A meter sample of an EVSE in neutral words: energy, power, current and voltage per phase, SoC.

Measurands and phases follow 1.6 §7.31/§7.45 and 2.0.1 MeasurandEnumType/PhaseEnumType; the register
comes first (the reference backend and most CSMSs read it from there). Codecs write it in their
version's shape (`simulator.protocol.v16.messages`, `v201.messages`).
"""

from __future__ import annotations

from simulator.core.model import Evse
from simulator.core.notes import Reading, ReadingContext, Sample

PHASES = ("L1", "L2", "L3")


def sample(evse: Evse, now: float, context: ReadingContext) -> Sample:
    meter = evse.meter
    meter.advance(now)
    readings = [
        Reading("Energy.Active.Import.Register", round(meter.energy_wh, 1), "Wh"),
        Reading("Power.Active.Import", round(meter.power_w, 1), "W"),
    ]
    readings += [
        Reading("Current.Import", round(meter.current_a, 2), "A", phase) for phase in PHASES[: meter.phases]
    ]
    readings += [
        Reading("Voltage", round(meter.voltage_v, 1), "V", f"{phase}-N") for phase in PHASES[: meter.phases]
    ]
    if evse.ev is not None:
        evse.ev.update(meter.energy_wh)
        readings.append(Reading("SoC", round(evse.ev.soc_percent, 1), "Percent", location="EV"))
    return Sample(now, context, tuple(readings))
