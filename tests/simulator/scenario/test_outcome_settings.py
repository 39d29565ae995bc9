"""A scenario's `station: firmware:` / `logs:` outcomes become the station's (`station_config`)."""

from __future__ import annotations

import pytest

from evharness import scenarios
from evharness.simulator.scenario.station_config import config_for


def test_a_scenarios_firmware_and_log_outcomes_reach_the_station() -> None:
    config = config_for(scenarios.load("firmware_failures"), "SIM-0001", 30.0)
    assert (config.firmware.failed_attempts, config.firmware.install) == (2, "fail")
    assert config.logs.upload == "fail"
    wrong = scenarios.load("firmware_failures").model_copy(deep=True)
    wrong.station.firmware["install"] = "sometimes"
    with pytest.raises(ValueError, match="install"):
        config_for(wrong, "SIM-0001", 30.0)
