"""The PIN/RFID authorization scenarios, end to end: stations over real websockets on 127.0.0.1
against the reference backend (its real SQLite database, seeded by `evharness seed`'s code), on
OCPP 1.6 and 2.0.1, with simulated time running fast. Every expectation must hold; a scenario whose
expectation is wrong must fail and say where."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.settings import BackendSettings
from evharness.scenarios.model import PresentTokenStep, Scenario
from evharness.seed import seed
from evharness.simulator.asyncio.fleet import FleetPlan, FleetResult, StationRun, run_fleet
from evharness.simulator.core.clock import ScaledClock
from evharness.simulator.core.events import Authorized, TransactionEnded, TransactionStarted
from evharness.simulator.summary import render, summarize

SCALE = 1200.0  # 1 simulated hour = 3 real seconds
NAMES = ("pin_outcomes", "rfid_outcomes", "offline_authorization", "offline_cache")
VERSIONS = (OcppVersion.V16, OcppVersion.V201)
WRONG = "wrong"  # offline_authorization with two expectations that cannot hold


def wrong_expectations() -> Scenario:
    """The offline scenario, but the blocked PIN is expected Accepted and the listed card from the CSMS."""
    path = scenarios.resolve("offline_authorization")
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    for step in raw["steps"]:
        present = step.get("present_token") if isinstance(step, dict) else None
        if present and present["token"] == "listed-pin-blocked":
            present["expect"] = ["Accepted"]
        if present and present["token"] == "listed-card":
            present["decided_by"] = "csms"
    return scenarios.parse(raw, "wrong.yaml")


@dataclass
class Outcome:
    results: dict[str, FleetResult]

    def run(self, name: str, version: OcppVersion) -> StationRun:
        return next(run for run in self.results[name].runs if run.version is version)


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """Each scenario on its own two stations (1.6 and 2.0.1), all at once, against one backend."""
    folder: Path = tmp_path_factory.mktemp("authorization")
    database_url = f"sqlite:///{folder / 'backend.sqlite3'}"
    plans = {name: scenarios.load(name) for name in NAMES} | {WRONG: wrong_expectations()}
    for name, scenario in plans.items():
        seed(database_url, scenario, len(VERSIONS), prefix(name), pins_on_profile_0=True)  # offline PINs

    async def everything() -> dict[str, FleetResult]:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=database_url)
        async with BackendServer(settings) as backend:
            clock = ScaledClock(SCALE)
            fleets = [
                run_fleet(
                    FleetPlan(
                        csms_url=backend.ocpp_url,
                        versions=VERSIONS,
                        scenarios=[scenario],
                        stations=len(VERSIONS),
                        id_prefix=prefix(name),
                        validate_outgoing=True,
                    ),
                    clock,
                    SCALE,
                    timeout_s=90,
                )
                for name, scenario in plans.items()
            ]
            return dict(zip(plans, await asyncio.gather(*fleets), strict=True))

    return Outcome(asyncio.run(everything()))


def prefix(name: str) -> str:
    return "".join(part[0] for part in name.split("_")).upper() + "X"


def failures(run: StationRun) -> list[str]:
    problems = [f"step {e.step} {e.what}: expected {e.expected}, got {e.actual}" for e in run.runner.failed]
    if run.error or run.runner.aborted or not run.runner.done:
        problems.append(f"run: {run.error or run.runner.aborted or 'not done'}")
    return problems


def decided(run: StationRun) -> dict[str, list[str]]:
    """Who decided each presented token, in order, by token expectation."""
    by_token: dict[str, list[str]] = {}
    for expectation in run.expectations:
        if expectation.what.startswith("token ") and " → " in expectation.what:
            by_token.setdefault(expectation.what.split()[1], []).append(
                f"{expectation.actual}/{expectation.decided_by}"
            )
    return by_token


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
@pytest.mark.parametrize("name", NAMES)
def test_every_expectation_of_the_scenario_holds(outcome: Outcome, name: str, version: OcppVersion) -> None:
    run = outcome.run(name, version)
    assert failures(run) == []
    presented = [s for s in run.scenario.steps if isinstance(s, PresentTokenStep)]
    checked = [e for e in run.expectations if e.what.startswith("token ") and " → " in e.what]
    assert len(checked) == len(presented)  # every token step was checked


UNKNOWN = {OcppVersion.V16: "Invalid", OcppVersion.V201: "Unknown"}


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_pin_outcomes_get_every_online_answer(outcome: Outcome, version: OcppVersion) -> None:
    run = outcome.run("pin_outcomes", version)
    assert decided(run) == {
        "pin-unknown": [f"{UNKNOWN[version]}/csms"],
        "pin-blocked": ["Blocked/csms"],
        "pin-inactive": ["Invalid/csms"],
        "pin-expired": ["Expired/csms"],
        "card-not-enabled": ["Invalid/csms"],
        "pin-driver": ["Accepted/csms", "Accepted/csms"],
    }
    starts = [e.actual for e in run.expectations if e.what.startswith("transaction start with pin-driver")]
    assert starts == ["Accepted", "ConcurrentTx"]
    ended = [e for e in run.events if isinstance(e, TransactionEnded)]
    assert [e.evse for e in ended] == [1]  # only the first session charged
    assert ended[0].energy_wh > 0


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_rfid_outcomes_get_every_online_answer(outcome: Outcome, version: OcppVersion) -> None:
    run = outcome.run("rfid_outcomes", version)
    assert decided(run) == {
        "card-unknown": [f"{UNKNOWN[version]}/csms"],
        "card-blocked": ["Blocked/csms"],
        "card-inactive": ["Invalid/csms"],
        "card-expired": ["Expired/csms"],
        "pin-not-enabled": ["Invalid/csms"],
        "card-driver": ["Accepted/csms", "Accepted/csms"],
        "tag-driver": ["Accepted/csms"],
    }
    starts = [e.actual for e in run.expectations if e.what.startswith("transaction start with card-driver")]
    assert starts == ["Accepted", "ConcurrentTx"]


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_offline_the_local_list_decides(outcome: Outcome, version: OcppVersion) -> None:
    run = outcome.run("offline_authorization", version)
    assert decided(run) == {
        "unlisted-card": ["Invalid/offline_policy"],
        "listed-pin-blocked": ["Blocked/local_list"],
        "listed-card-expired": ["Expired/local_list"],
        "listed-card": ["Accepted/local_list"],
    }
    sources = [e.source for e in run.events if isinstance(e, Authorized)]
    assert "Authorize" not in sources  # the CSMS was never asked
    (started,) = [e for e in run.events if isinstance(e, TransactionStarted)]
    (ended,) = [e for e in run.events if isinstance(e, TransactionEnded)]  # replayed and answered
    assert ended.energy_wh >= 11_000 * 10 / 60 - 1.0  # 10 minutes at 11 kW, and a little if the clock ran on
    assert started.evse == ended.evse == 1


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_offline_the_cache_decides_and_unknown_ids_may_charge(outcome: Outcome, version: OcppVersion) -> None:
    run = outcome.run("offline_cache", version)
    assert decided(run) == {
        "cached-card-blocked": ["Blocked/csms", "Blocked/cache"],
        "cached-pin": ["Accepted/csms", "Accepted/cache"],
        "never-seen-card": ["Accepted/offline_policy"],
    }
    assert len(run.station.local_list.entries) == 0  # no list: the cache alone answered
    assert len([e for e in run.events if isinstance(e, TransactionStarted)]) == 3


def test_the_summary_counts_who_decided(outcome: Outcome) -> None:
    summary = summarize(outcome.results["offline_authorization"])
    assert summary["ok"]
    assert summary["authorizations"] == {"csms": 0, "local_list": 6, "cache": 0, "offline_policy": 2}
    rows = {(row["what"], row["decided_by"]): row["held"] for row in summary["expectations"]}
    assert rows[("token listed-card (rfid) → Accepted", "local_list")] == 2
    assert rows[("token unlisted-card (rfid) → Invalid", "offline_policy")] == 2
    console = Console(record=True, width=200)
    render(summary, console)
    text = console.export_text()
    assert "0 by the CSMS, 8 by the station itself (6 from its local list, 0 from its cache, 2 by its" in text


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_wrong_expectation_fails_and_names_the_step(outcome: Outcome, version: OcppVersion) -> None:
    run = outcome.run(WRONG, version)
    assert not run.ok
    failed = {(e.step, e.what): (e.expected, e.actual) for e in run.runner.failed}
    assert failed == {
        (6, "token listed-pin-blocked (pin) → Accepted"): (("Accepted",), "Blocked"),
        (8, "token listed-card decided by"): (("csms",), "local_list"),
    }
    assert all(e.frames is not None for e in run.runner.failed)
    summary = summarize(outcome.results[WRONG])
    assert not summary["ok"]
    shown = {(row["step"], row["actual"]) for row in summary["failures"]}
    assert shown == {(6, "Blocked"), (8, "local_list")}
