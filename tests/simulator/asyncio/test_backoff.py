"""Reconnect delays follow the station's OCPPCommCtrlr.RetryBackOff* variables (B10, OCPP-J §5.3)."""

from __future__ import annotations

from evharness.ocppj.versions import OcppVersion
from evharness.simulator.backoff import OcppBackoff
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for


def station(variables: dict[str, str]) -> Station:
    config = StationConfig(variables=tuple(variables.items()))
    return Station("SIM-0001", adapter_for(OcppVersion.V201), config, 0.0)


def test_the_wait_doubles_up_to_the_repeat_times_plus_a_random_part() -> None:
    subject = station(
        {
            "OCPPCommCtrlr.RetryBackOffWaitMinimum": "10",
            "OCPPCommCtrlr.RetryBackOffRepeatTimes": "3",
            "OCPPCommCtrlr.RetryBackOffRandomRange": "4",
        }
    )
    backoff = OcppBackoff(subject)
    delays = [backoff.next_delay() for _ in range(6)]
    for delay, base in zip(delays, [10, 20, 40, 80, 80, 80], strict=True):
        assert base <= delay <= base + 4
    backoff.reset()
    assert 10 <= backoff.next_delay() <= 14


def test_a_variable_the_csms_sets_applies_from_the_next_attempt() -> None:
    subject = station({"OCPPCommCtrlr.RetryBackOffRandomRange": "0"})
    backoff = OcppBackoff(subject)
    assert backoff.next_delay() == 1.0
    assert subject.device.set_variable("OCPPCommCtrlr", "RetryBackOffWaitMinimum", "3") == "Accepted"
    assert backoff.next_delay() == 6.0  # 3 s doubled once
