"""Binds operator.feature: the bootstrap command runs as a real process on the backend's database."""

from __future__ import annotations

import subprocess
import sys

from pytest_bdd import parsers, scenarios, then, when

from features.onboarding.conftest import OPERATOR_PASSWORD, World, log_in

scenarios("operator.feature")


@when(parsers.parse('the bootstrap command creates the operator admin {name} with the password "{password}"'))
@when(parsers.parse("the bootstrap command creates the operator admin {name}"))
def create_admin(world: World, name: str, password: str = OPERATOR_PASSWORD) -> None:
    person = world.person(name)
    person.password = password
    world.counts_before = world.counts()
    world.values["command"] = subprocess.run(
        [sys.executable, "-m", "evharness", "operator", "create-admin", "--database-url",
         world.backend.settings.database_url, "--email", person.email, "--name", name],
        env={"EVHARNESS_PASSWORD": password, "PATH": ""},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@then("the command succeeds")
def command_succeeds(world: World) -> None:
    done: subprocess.CompletedProcess[str] = world.values["command"]
    assert done.returncode == 0, done.stderr
    assert "created" in done.stdout


@then(parsers.parse('the command fails naming "{text}"'))
def command_fails(world: World, text: str) -> None:
    done: subprocess.CompletedProcess[str] = world.values["command"]
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert text in done.stderr


@then(parsers.parse("{name} can log in as platform operator admin"))
def logs_in_as_operator(world: World, name: str) -> None:
    answer = log_in(world, name)
    assert answer.status_code == 201, answer.text
    assert answer.json()["me"]["operator"] is True
