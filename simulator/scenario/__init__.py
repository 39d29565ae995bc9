"""Running a scenario's steps against a station core, without I/O."""

from evharness.simulator.scenario.runner import Expectation, ScenarioRunner

__all__ = ["Expectation", "ScenarioRunner"]
