"""`evharness provision`: a CSMS set up for every packaged suite; the documented run against it passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from evharness.backend_process import BackendProcess
from evharness.conformance.config import load
from evharness.conformance.requirements import needs
from evharness.scenarios.model import Provision

ROOT = Path(__file__).resolve().parents[2]


def evharness(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "evharness", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, cwd=ROOT)


def test_the_printed_list_names_every_station_and_token_of_both_suites() -> None:
    result = evharness("provision", "--print", "--id-prefix", "QA", "--stations", "3")
    assert result.returncode == 0, result.stderr
    config = load(None)
    for entry in config.stations.values():
        assert entry.identity in result.stdout
        if entry.password:
            assert entry.password in result.stdout
    assert "QA-0001 … QA-0003" in result.stdout
    for token in needs(config, "QA", 3).tokens:
        assert f"{token.code:<16} {token.type:<9} {token.provision.value}" in result.stdout


def test_the_target_files_roles_are_held_as_their_names_say() -> None:
    held = {need.suite: need.provision for need in needs(load(None), "QA", 1).tokens}
    assert held["conformance (valid)"] is Provision.ACTIVE
    assert held["conformance (blocked)"] is Provision.BLOCKED
    assert held["conformance (expired)"] is Provision.EXPIRED
    assert held["conformance (invalid)"] is Provision.ABSENT


def test_provision_needs_a_database_or_print() -> None:
    result = evharness("provision")
    assert result.returncode == 2
    assert "--database-url" in result.stderr


def test_the_documented_run_against_a_provisioned_reference_backend_passes(tmp_path: Path) -> None:
    """Issue 13: `pytest evharness/suites features --csms-url URL` against the project's own backend,
    provisioned by `evharness provision`, passes (the CSMS-initiated cases are NOT APPLICABLE: no driver)."""
    database_url = f"sqlite:///{tmp_path / 'csms.sqlite3'}"
    provisioned = evharness("provision", "--database-url", database_url)
    assert provisioned.returncode == 0, provisioned.stderr
    with BackendProcess(database_url) as backend:
        command = [
            sys.executable, "-m", "pytest", "evharness/suites", "features", "-p", "no:cacheprovider",
            "--csms-url", backend.ocpp_url, "--conformance-report", str(tmp_path / "report"),
            "--basetemp", str(tmp_path / "run"), "-q",
        ]  # fmt: skip
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-5000:]
    assert " passed" in result.stdout
