"""Locust load test: every user is a simulated charging station running PIN and RFID sessions.

    locust -f loadtests/locustfile.py --host ws://127.0.0.1:9000/ocpp --headless -u 50 -r 10 -t 1m \\
           --id-prefix LOAD --csv var/load/run --html var/load/run.html

See docs/loadtests.md: seeding the stations, the ramp shape, distributed runs, and the
console user (loadtests/console.py, not part of this file).
"""

from __future__ import annotations

from evharness.loadtests import options  # noqa: F401  (registers the evharness command-line arguments)
from evharness.loadtests.stations import StationUser

__all__ = ["ChargingStationUser"]


class ChargingStationUser(StationUser):
    """Boots once, then loops the scenarios' sessions (--scenario, --scenario-weights) back to back."""
