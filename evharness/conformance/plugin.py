"""The pytest plugin (entry point `evharness`): the target CSMS, its options, evidence and reports.

Every option is also an environment variable (`--csms-url` ↔ EVHARNESS_CSMS_URL …), as everywhere
in evharness. Without `--csms-url` the reference backend is started for the run, on free ports with
a throw-away SQLite database provisioned from the target file, and the `reference` driver makes
it send its CALLs. A conformance scenario (one tagged `@TC_…`) records its frames; after the steps
the wire checks run over them, a failure carries the frame log, and at the end the plugin writes a
one-page HTML report with a log file per case.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from evharness.conformance import catalog
from evharness.conformance.options import PLUGIN_OPTIONS
from evharness.ocppj.versions import OcppVersion

if TYPE_CHECKING:  # loading the plugin stays cheap: every pytest run in the environment loads it
    from evharness.conformance.config import TargetConfig
    from evharness.conformance.drivers import Driver
    from evharness.conformance.pacing import Pacer
    from evharness.conformance.session import Conformance
    from evharness.conformance.target import CsmsTarget
    from evharness.simulator.asyncio.portal import BackgroundLoop

NOT_APPLICABLE = "NOT APPLICABLE"
VERSION_MARKERS: dict[str, OcppVersion] = {"ocpp16": OcppVersion.V16, "ocpp201": OcppVersion.V201}
SCENARIO_KEY = pytest.StashKey["Conformance"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("evharness", "evharness: the CSMS under test and the conformance suite")
    for option in PLUGIN_OPTIONS:
        shown = (
            f" (env {option.env}; default {option.default})"
            if option.default is not None
            else f" (env {option.env})"
        )
        group.addoption(
            option.flag, default=os.environ.get(option.env, option.default), help=option.help + shown
        )


def pytest_configure(config: pytest.Config) -> None:
    """Register every tag the packaged suites use, so --strict-markers stays on wherever they run."""
    names: dict[str, str] = {
        "ocpp16": "runs on OCPP 1.6J",
        "ocpp201": "runs on OCPP 2.0.1",
        "charging": "the charging suite (RFID cards and PIN codes, refused tokens)",
        "reference_backend": "reads the reference backend's database (deselected with --csms-url)",
        "conformance": "an OCTT conformance test case (each case id, block and marking is a tag too)",
        "extra": "a conformance scenario beyond the OCTT catalog",
        "wire": "OCPP-J RPC framework rules, provoked",
        "offline": "messages queued while offline and replayed",
    }
    for case in catalog.CASES:
        names[case.tag] = f"OCTT {case.id}: {case.title}"
        names[case.block_tag] = f"OCTT block / feature profile {case.block}"
        names[case.mandatory_tag] = "Part 5 certification marking"
    for name, text in names.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    config.stash[RESULTS_KEY] = Results()
    if hasattr(config.pluginmanager.hook, "pytest_bdd_before_scenario"):
        config.pluginmanager.register(BddHooks(), "evharness-bdd")


def selected_versions(config: pytest.Config) -> set[OcppVersion]:
    return {OcppVersion.parse(part) for part in str(config.getoption("--ocpp-version")).split(",") if part}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop what cannot run: database checks against another CSMS, versions not asked for."""
    external = bool(config.getoption("--csms-url"))
    versions = selected_versions(config)

    def wanted(item: pytest.Item) -> bool:
        if external and item.get_closest_marker("reference_backend"):
            return False
        if not item.get_closest_marker("conformance"):
            return True
        return any(item.get_closest_marker(m) and v in versions for m, v in VERSION_MARKERS.items())

    kept = [item for item in items if wanted(item)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if not wanted(item)])
        items[:] = kept


# -- the target ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def conformance_config(request: pytest.FixtureRequest) -> TargetConfig:
    from evharness.conformance.config import load

    path = request.config.getoption("--target-config")
    config = load(Path(path) if path else None)
    for version in selected_versions(request.config):
        config = config.with_station(
            version,
            request.config.getoption("--station-id"),
            request.config.getoption("--basic-auth-password"),
        )
    return config


@pytest.fixture(scope="session")
def running_backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, conformance_config: TargetConfig
) -> Iterator[CsmsTarget]:
    """The CSMS every packaged suite talks to, once per session: `--csms-url`, else the reference
    backend started here (free ports, throw-away SQLite) and provisioned for every suite."""
    from evharness.conformance.target import CsmsTarget

    url = request.config.getoption("--csms-url")
    if url:
        yield CsmsTarget(url)
        return
    from evharness.backend_process import BackendProcess
    from evharness.conformance.provision import provision_reference_backend

    database_url = f"sqlite:///{Path(tmp_path_factory.mktemp('csms')) / 'csms.sqlite3'}"
    provision_reference_backend(database_url, conformance_config, request.config.getoption("--id-prefix"))
    token = secrets.token_urlsafe(24)
    backend = BackendProcess(database_url, operator_token=token).start()
    try:
        yield CsmsTarget(backend.ocpp_url, backend.api_url, database_url, token)
    finally:
        code = backend.stop()
        assert code == 0, f"the reference backend did not shut down cleanly (exit {code})"


@pytest.fixture(scope="session")
def portal() -> Iterator[BackgroundLoop]:
    from evharness.simulator.asyncio.portal import BackgroundLoop

    with BackgroundLoop() as loop:
        yield loop


@pytest.fixture(scope="session")
def driver(request: pytest.FixtureRequest, running_backend: CsmsTarget) -> Driver:
    from evharness.conformance.drivers import DriverSettings, load_driver

    csms = running_backend
    spec = request.config.getoption("--driver") or ("reference" if csms.is_reference else "none")
    capture = request.config.pluginmanager.getplugin("capturemanager")

    def announce(text: str) -> None:
        if capture is not None:
            with capture.global_and_fixture_disabled():
                print(text, flush=True)
        else:
            print(text, flush=True)

    settings = DriverSettings(
        csms.ocpp_url,
        csms.api_url,
        csms.operator_token,
        float(request.config.getoption("--manual-timeout")),
        announce,
    )
    return load_driver(spec, settings)


@pytest.fixture(scope="session")
def pacer(request: pytest.FixtureRequest) -> Pacer:
    """The run's pause between connections of one station identity (`--reconnect-delay`)."""
    from evharness.conformance.pacing import Pacer

    return Pacer(float(request.config.getoption("--reconnect-delay")))


@pytest.fixture
def octt(
    request: pytest.FixtureRequest,
    portal: BackgroundLoop,
    running_backend: CsmsTarget,
    conformance_config: TargetConfig,
    driver: Driver,
    pacer: Pacer,
) -> Iterator[Conformance]:
    """The scenario's OCTT station and what it has seen (the conformance steps' world)."""
    from evharness.conformance.coverage import REFERENCE_HAS
    from evharness.conformance.session import Conformance

    csms = running_backend
    # What the reference backend started here can do beyond the target file's `features:` (its boot
    # policy is set per case through the `reference` driver); an external CSMS has only what its file says.
    reference_features: dict[str, object] = dict.fromkeys(REFERENCE_HAS, True)
    versions = [v for m, v in VERSION_MARKERS.items() if request.node.get_closest_marker(m)]
    assert len(versions) == 1, "tag a conformance feature with exactly one of @ocpp16, @ocpp201"
    config = conformance_config.with_features(reference_features) if csms.is_reference else conformance_config
    scenario = Conformance(
        portal,
        csms.ocpp_url,
        config,
        driver,
        versions[0],
        call_timeout=float(request.config.getoption("--call-timeout")),
        tolerate_spellings=str(request.config.getoption("--tolerate-error-spellings")).lower()
        in ("1", "true", "yes", "on"),
        pacer=pacer,
    )
    request.node.stash[SCENARIO_KEY] = scenario
    yield scenario
    scenario.close()


# -- evidence and reports ----------------------------------------------------------------------------


@dataclass
class Row:
    case: catalog.Case | None
    case_id: str
    title: str
    nodeid: str
    verdict: str = "PASS"
    duration: float = 0.0
    reason: str = ""
    log: str = ""


@dataclass
class Results:
    rows: dict[str, Row] = field(default_factory=dict)
    started: float = field(default_factory=time.time)


RESULTS_KEY = pytest.StashKey[Results]()


def _case_of(item: pytest.Item) -> catalog.Case | None:
    for marker in item.iter_markers():
        if marker.name in catalog.BY_ID:
            return catalog.BY_ID[marker.name]
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome: Any = yield
    rep: pytest.TestReport = outcome.get_result()
    if not item.get_closest_marker("conformance"):
        return
    scenario = item.stash.get(SCENARIO_KEY, None)
    if rep.when == "call" and scenario is not None:
        found = scenario.wire_violations()
        violations = [v for v in found if not v.warning]
        warnings = [*scenario.warnings, *(v for v in found if v.warning)]
        if warnings:
            rep.sections.append(("OCPP-J warnings", "\n".join(f"  {w}" for w in warnings)))
            scenario.report_note = "warnings: " + "; ".join(str(w) for w in warnings)
        listed = "The CSMS broke OCPP-J wire rules:\n" + "\n".join(f"  {v}" for v in violations)
        if violations and rep.passed:
            rep.outcome = "failed"
            rep.longrepr = listed
        elif violations:
            rep.sections.append(("OCPP-J wire rules", listed))
        if rep.failed:
            rep.sections.append(("OCPP frames", scenario.log()))
    _record(item, rep, scenario)


NAME_KEY = pytest.StashKey[str]()


class BddHooks:
    """pytest-bdd's hooks, registered only where pytest-bdd is active (`-p no:pytest-bdd` stays possible)."""

    @staticmethod
    def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
        request.node.stash[NAME_KEY] = str(scenario.name)


def _scenario_name(item: pytest.Item) -> str:
    """The Gherkin scenario's name, else the test's name."""
    return item.stash.get(NAME_KEY, item.name)


def _record(item: pytest.Item, rep: pytest.TestReport, scenario: Conformance | None) -> None:
    results = item.config.stash[RESULTS_KEY]
    case = _case_of(item)
    row = results.rows.setdefault(
        item.nodeid,
        Row(case, case.id if case else "-", case.title if case else _scenario_name(item), item.nodeid),
    )
    row.duration += rep.duration
    if case is None:
        row.title = _scenario_name(item)  # known once the scenario ran
    if rep.skipped:
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        reason = reason.removeprefix("Skipped: ")
        row.verdict = NOT_APPLICABLE if reason.startswith(NOT_APPLICABLE) else "SKIPPED"
        row.reason = reason.removeprefix(NOT_APPLICABLE + ": ")
    elif rep.failed:
        row.verdict = "FAIL" if rep.when == "call" else "ERROR"
        extra = [f"{title}:\n{text}" for title, text in rep.sections if title == "OCPP-J wire rules"]
        crash = getattr(rep.longrepr, "reprcrash", None)  # the error's text first: the report shows line 1
        headline = [crash.message] if crash is not None and crash.message else []
        row.reason = "\n\n".join([*headline, rep.longreprtext, *extra])
    if scenario is not None:
        row.log = scenario.log()
        if scenario.report_note and row.verdict == "PASS":
            row.reason = scenario.report_note


def pytest_sessionfinish(session: pytest.Session) -> None:
    results = session.config.stash.get(RESULTS_KEY, None)
    if results is None or not results.rows or hasattr(session.config, "workerinput"):
        return
    from evharness.conformance import report

    directory = Path(session.config.getoption("--conformance-report"))
    path = report.write(directory, list(results.rows.values()), results.started)
    reporter = session.config.pluginmanager.getplugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"conformance report: {path}")
