"""`evharness conformance` is pytest with the plugin's options: what it passes on, and what it refuses."""

from __future__ import annotations

import pytest

from evharness.cli import build_parser, main
from evharness.conformance.cli import pytest_arguments


def parsed(*argv: str) -> list[str]:
    args, unknown = build_parser().parse_known_args(["conformance", *argv])
    args.unknown = unknown
    return pytest_arguments(args)


def test_the_options_become_the_plugins_and_the_rest_goes_to_pytest() -> None:
    arguments = parsed(
        "--csms-url", "ws://csms/ocpp", "--ocpp-version", "2.0.1", "-k", "TC_B", "-m", "mandatory",
        "--report", "out", "--driver", "manual", "-x", "--lf",
    )  # fmt: skip
    assert arguments[:2] == ["--pyargs", "evharness.suites.conformance"]
    text = " ".join(arguments)
    for part in ("--csms-url ws://csms/ocpp", "--ocpp-version 2.0.1", "-k TC_B", "-m mandatory",
                 "--conformance-report out", "--junitxml out/junit.xml", "--driver manual"):  # fmt: skip
        assert part in text
    assert arguments[-2:] == ["-x", "--lf"]


def test_options_not_given_are_left_to_the_environment_and_the_defaults() -> None:
    assert "--csms-url" not in parsed()  # EVHARNESS_CSMS_URL, read by the plugin itself
    assert parsed("--suite", "all")[:2] == ["--pyargs", "evharness.suites"]


def test_other_commands_still_refuse_unknown_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["provision", "--print", "--no-such-option"])
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err
