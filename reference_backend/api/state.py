"""`ApiState`: everything the console API reaches, given to `create_app` and read by the dependencies
of `api/deps.py` — no module globals, no attributes set on the app from outside."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from evharness.reference_backend.boot_policies import BootPolicies
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.console.station_access import Stations
from evharness.reference_backend.console.station_security import StationSecurityUseCases
from evharness.reference_backend.metrics import CsmsMetrics
from evharness.reference_backend.operations import Operations
from evharness.reference_backend.persistence import Store


def _nobody() -> int:
    return 0


@dataclass(frozen=True)
class ApiState:
    console: Console
    stations: Stations
    store: Store
    operations: Operations = field(default_factory=Operations)  # CALLs to connected stations
    boot_policies: BootPolicies = field(default_factory=BootPolicies)
    operator_token: str | None = None  # `--operator-token`: the backend operator's bearer token
    count_connected: Callable[[], int] = _nobody  # stations connected now
    metrics: CsmsMetrics | None = None  # served at /metrics when given
    security: StationSecurityUseCases | None = None  # stations' security profiles (docs/security.md)
