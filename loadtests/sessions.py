"""What a load user's charging session is, and when a round trip counts as failed.

No Locust import here (so it is unit-tested without gevent's monkey-patching): `stations` reports
what these rules decide.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from evharness import scenarios
from evharness.redaction import mask, redact
from evharness.scenarios.model import BootStep, PresentTokenStep, Scenario
from evharness.simulator.core.events import Authorized, CallFailed, RoundTrip, StationEvent
from evharness.simulator.core.model import StationConfig
from evharness.simulator.scenario.station_config import config_for_all


class OcppFailure(Exception):
    """Why a round trip or a session counts as failed in Locust's statistics."""


def expected_statuses(scenario: Scenario) -> dict[str, frozenset[str]]:
    """Token code (upper-cased) → the authorization statuses the scenario accepts for it."""
    allowed: dict[str, set[str]] = {}
    for token in scenario.tokens:
        allowed.setdefault(token.code.upper(), set()).update(token.expect)
    for step in scenario.steps:
        if isinstance(step, PresentTokenStep) and step.present_token.expect:
            code = scenario.token(step.present_token.token).code.upper()
            allowed.setdefault(code, set()).update(step.present_token.expect)
    return {code: frozenset(statuses) for code, statuses in allowed.items()}


def failure_reason(
    trip: RoundTrip, events: Sequence[StationEvent], expected: Mapping[str, frozenset[str]]
) -> str | None:
    """None if the round trip went as the scenario wanted; otherwise what went wrong."""
    for event in events:
        if isinstance(event, CallFailed) and event.action == trip.action:
            return f"{event.code}: {redact(event.description)}"
        if isinstance(event, Authorized):
            wanted = expected.get(event.code.upper())
            if wanted is not None and event.status not in wanted:
                token = mask(None, event.code)
                return f"token {token}: {event.status}, expected {' or '.join(sorted(wanted))}"
    if not trip.ok:
        return "failed"
    return None


class Scenarios:
    """The scenarios of a run, split into the boot and the repeatable session, with their weights."""

    def __init__(self, names: Sequence[str], weights: Sequence[float]) -> None:
        self.full = [scenarios.load(name) for name in names]
        self.weights = list(weights)
        self.sessions = [
            s.model_copy(update={"steps": [step for step in s.steps if not isinstance(step, BootStep)]})
            for s in self.full
        ]
        self.boot = self.full[0].model_copy(update={"steps": [BootStep()]})
        self.expected = [expected_statuses(s) for s in self.full]
        # a user stopped mid-session ends its transaction, so the next run finds no ConcurrentTx
        self.wind_down = scenarios.parse(
            {"name": "wind down", "tokens": [], "steps": [{"stop": {"reason": "Local"}}, "unplug"]}
        )

    def station_config(self, identity: str, call_timeout_s: float) -> StationConfig:
        """One station that runs every scenario of the run (`simulator.scenario.station_config`)."""
        return config_for_all(self.full, identity, call_timeout_s)

    def pick(self) -> int:
        return random.choices(range(len(self.sessions)), weights=self.weights)[0]
