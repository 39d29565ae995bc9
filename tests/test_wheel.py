"""The built wheel on its own (issue 18): built, installed into a fresh virtual environment outside the
checkout, and run as a user runs it — `evharness --version`, `evharness demo --stations 4`, a project's
own trivial pytest run (the always-registered plugin loads with the wheel's dependencies alone), and the
packaged suites against a reference backend started by the test, through `evharness conformance` and
through `pytest --pyargs`.

`uv` (the test extra) builds and installs: from its cache this takes seconds, where pip takes minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from evharness.backend_process import BackendProcess

ROOT = Path(__file__).resolve().parents[1]
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


@dataclass(frozen=True)
class Installed:
    bin: Path  # the fresh environment's bin/
    project: Path  # a user's project folder, outside the checkout

    def run(self, *command: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("EVHARNESS_", "PYTEST_", "VIRTUAL_ENV"))
        }
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        return subprocess.run(
            [str(self.bin / command[0]), *command[1:]],
            cwd=self.project,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _uv(*args: str) -> None:
    assert UV is not None
    result = subprocess.run([UV, *args], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    if UV is None:
        pytest.fail("uv is missing: install the test extra (pip install -e '.[test]')")
    base = tmp_path_factory.mktemp("wheel")
    # sdist first, then the wheel from it: nothing is built in the checkout (no stale build/lib)
    _uv("build", "--quiet", "--out-dir", str(base / "dist"), str(ROOT))
    (wheel,) = (base / "dist").glob("evharness-*.whl")
    _uv("venv", "--quiet", "--python", sys.executable, str(base / "venv"))
    python = base / "venv" / "bin" / "python"
    _uv("pip", "install", "--quiet", "--python", str(python), "-c", str(ROOT / "constraints.txt"), str(wheel))
    project = base / "project"
    project.mkdir()
    (project / "test_mine.py").write_text("def test_mine() -> None:\n    assert 1 + 1 == 2\n")
    return Installed(base / "venv" / "bin", project)


def output(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stdout[-4000:] + "\n" + result.stderr[-4000:]).strip()


def test_the_command_and_the_demo_work_from_the_wheel(installed: Installed) -> None:
    version = installed.run("evharness", "--version")
    assert version.returncode == 0, output(version)
    assert version.stdout.startswith("evharness ")
    demo = installed.run("evharness", "demo", "--stations", "4", "--time-scale", "3000", "--workdir", "demo")
    assert demo.returncode == 0, output(demo)
    assert "== demo PASSED" in demo.stdout


def test_a_projects_own_pytest_run_is_not_broken_by_the_plugin(installed: Installed) -> None:
    result = installed.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mine.py")
    assert result.returncode == 0, output(result)
    assert "1 passed" in result.stdout


def test_the_packaged_suites_run_from_the_wheel_against_a_reference_backend(installed: Installed) -> None:
    database_url = f"sqlite:///{installed.project / 'csms.sqlite3'}"
    provisioned = installed.run("evharness", "provision", "--database-url", database_url)
    assert provisioned.returncode == 0, output(provisioned)
    with BackendProcess(database_url, python=str(installed.bin / "python")) as backend:
        conformance = installed.run(
            "evharness", "conformance", "--csms-url", backend.ocpp_url, "--ocpp-version", "2.0.1",
            "-k", "TC_A_01 or TC_A_03 or TC_B_01 or TC_C_02", "--report", "out", "--reconnect-delay", "0.05",
        )  # fmt: skip
        charging = installed.run(
            "python", "-m", "pytest", "--pyargs", "evharness.suites.charging", "-p", "no:cacheprovider",
            "--csms-url", backend.ocpp_url, "-k", "RFID and 1.6", "-q",
        )  # fmt: skip
    assert conformance.returncode == 0, output(conformance)
    assert " passed" in conformance.stdout
    report = installed.project / "out"
    assert "TC_B_01_CSMS" in (report / "index.html").read_text()
    assert (report / "junit.xml").is_file()
    assert charging.returncode == 0, output(charging)
    assert " passed" in charging.stdout


def test_a_project_with_its_own_simulator_and_scenarios_packages(
    installed: Installed, tmp_path: Path
) -> None:
    for name in ("simulator", "scenarios"):
        (installed.project / name).mkdir(exist_ok=True)
        (installed.project / name / "__init__.py").write_text("MINE = True\n")
    try:
        result = installed.run("python", "-m", "evharness", "provision", "--print")
        assert result.returncode == 0, output(result)
        plugin = installed.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mine.py")
        assert plugin.returncode == 0, output(plugin)
    finally:
        for name in ("simulator", "scenarios"):
            shutil.rmtree(installed.project / name)
