"""How long a station waits before its next connection attempt (real seconds), for every transport.

The waits are real seconds: a network outage or a CSMS restart does not end sooner because
simulated charging runs faster. While a transport waits, the station's clock runs on
(`Driver.offline`)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from evharness.simulator.core.station import Station


@dataclass
class Backoff:
    """Reconnect delays in real seconds: doubling from `minimum` to `maximum`, plus jitter."""

    minimum: float = 0.5
    maximum: float = 30.0
    jitter: float = 0.5
    attempts: int = 0

    def next_delay(self) -> float:
        delay = min(self.maximum, self.minimum * 2**self.attempts)
        self.attempts += 1
        jittered: float = delay + random.uniform(0, self.jitter * delay)
        return jittered

    def reset(self) -> None:
        self.attempts = 0


@dataclass
class OcppBackoff:
    """2.0.1 B10 / OCPPCommCtrlr.RetryBackOff*: wait RetryBackOffWaitMinimum, doubled for each of
    up to RetryBackOffRepeatTimes failures, plus a random part up to RetryBackOffRandomRange —
    read from the station's device model at every attempt."""

    station: Station
    attempts: int = 0

    def next_delay(self) -> float:
        device = self.station.device
        minimum = device.number("OCPPCommCtrlr.RetryBackOffWaitMinimum")
        repeat = device.number("OCPPCommCtrlr.RetryBackOffRepeatTimes")
        spread = device.number("OCPPCommCtrlr.RetryBackOffRandomRange")
        delay: float = minimum * 2 ** min(self.attempts, repeat) + random.uniform(0, spread)
        self.attempts += 1
        return delay

    def reset(self) -> None:
        self.attempts = 0
