"""A meter sample of an EVSE in neutral words: energy, power, current and voltage per phase, SoC.

Measurands and phases follow 1.6 §7.31/§7.45 and 2.0.1 MeasurandEnumType/PhaseEnumType; the register
comes first (the reference backend and most CSMSs read it from there). Codecs write it in their
version's shape (`simulator.protocol.v16.messages`, `v201.messages`).
"""

from __future__ import annotations

from evharness.simulator.core.model import Evse
from evharness.simulator.core.notes import Phase, Reading, ReadingContext, Sample

PHASES: tuple[tuple[Phase, Phase], ...] = (("L1", "L1-N"), ("L2", "L2-N"), ("L3", "L3-N"))


def sample(evse: Evse, now: float, context: ReadingContext) -> Sample:
    meter = evse.meter
    meter.advance(now)
    readings = [
        Reading("Energy.Active.Import.Register", round(meter.energy_wh, 1), "Wh"),
        Reading("Power.Active.Import", round(meter.power_w, 1), "W"),
    ]
    phases = PHASES[: meter.phases]
    readings += [Reading("Current.Import", round(meter.current_a, 2), "A", line) for line, _ in phases]
    readings += [Reading("Voltage", round(meter.voltage_v, 1), "V", neutral) for _, neutral in phases]
    if evse.ev is not None:
        evse.ev.update(meter.energy_wh)
        readings.append(Reading("SoC", round(evse.ev.soc_percent, 1), "Percent", location="EV"))
    return Sample(now, context, tuple(readings))
