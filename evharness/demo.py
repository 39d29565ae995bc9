"""`evharness demo`, the main job: the reference backend on SQLite, seeded from the PIN and RFID
scenarios, and a fleet of stations on both protocols charging against it in accelerated time.

It runs the same three commands a user would (`evharness backend`, `evharness seed`,
`evharness sim`), then checks that the energy the backend recorded is the energy the stations
metered. Exit 0 only if every expectation held and the backend shut down cleanly.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from evharness.backend_process import BackendProcess
from evharness.settings import Option, add_options

# The demo numbers its stations itself, so EVHARNESS_ID_PREFIX / EVHARNESS_FIRST_NUMBER in the
# environment (inherited by `seed` and `sim`) cannot make the seeded and simulated stations differ.
ID_PREFIX = "SIM"

OPTIONS = [
    Option("--stations", "how many simulated stations", 20, int),
    Option("--protocol", "OCPP versions, comma-separated", "1.6,2.0.1"),
    Option("--scenario", "scenarios, comma-separated", "pin_charging,rfid_charging"),
    Option("--time-scale", "simulated seconds per real second", 600.0, float),
    Option("--workdir", "where the demo's database and report go", "var/demo"),
]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo", help="the main job: reference backend + seeded fleet, with a summary", description=__doc__
    )
    add_options(parser, OPTIONS)
    parser.set_defaults(run=run)


def _evharness(*args: str) -> int:
    return subprocess.call([sys.executable, "-m", "evharness", *args])


def run(args: argparse.Namespace) -> int:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "demo.sqlite3"
    for leftover in workdir.glob("demo.sqlite3*"):
        leftover.unlink()
    database_url = f"sqlite:///{database}"
    report = workdir / "summary.json"
    print(f"== evharness demo: {args.stations} stations, OCPP {args.protocol}, {args.scenario}")
    backend = BackendProcess(database_url)
    backend.start()
    print(f"== reference backend (pid {backend.pid}) at {backend.ocpp_url}, database {database}")
    try:
        for scenario in args.scenario.split(","):
            code = _evharness(
                "seed",
                "--database-url",
                database_url,
                "--scenario",
                scenario,
                "--stations",
                str(args.stations),
                "--id-prefix",
                ID_PREFIX,
            )
            if code:
                print(f"== seeding {scenario} failed ({code})")
                return code
        sim_code = _evharness(
            "sim", "--csms-url", backend.ocpp_url, "--protocol", args.protocol, "--scenario", args.scenario,
            "--stations", str(args.stations), "--time-scale", str(args.time_scale), "--report", str(report),
            "--id-prefix", ID_PREFIX, "--first-number", "1",
        )  # fmt: skip
    finally:
        backend_code = backend.stop()
    print(f"== reference backend stopped (exit {backend_code})")
    energy_ok = _compare_energy(database_url, report, args.stations)
    ok = sim_code == 0 and backend_code == 0 and energy_ok
    print("== demo " + ("PASSED" if ok else "FAILED"))
    return 0 if ok else 1


def _compare_energy(database_url: str, report: Path, stations: int) -> bool:
    """The backend's recorded energy must equal what the stations metered (1.6 rounds to the Wh)."""
    from evharness.identities import station_identity
    from evharness.reference_backend.persistence.store import Store

    if not report.exists():
        return False
    summary = json.loads(report.read_text())
    metered_kwh = float(summary["energy_kwh"])
    store = Store.from_url(database_url)
    try:
        recorded_wh = sum(
            record.energy_wh or 0.0
            for number in range(1, stations + 1)
            for record in store.transactions(station_identity(ID_PREFIX, number))
            if not record.running
        )
    finally:
        store.dispose()
    recorded_kwh = recorded_wh / 1000.0
    same = abs(recorded_kwh - metered_kwh) <= 0.001 * (int(summary["sessions_completed"]) + 1)
    print(
        f"== energy: stations metered {metered_kwh:.3f} kWh, backend recorded {recorded_kwh:.3f} kWh "
        + ("(match)" if same else "(MISMATCH)")
    )
    return same
