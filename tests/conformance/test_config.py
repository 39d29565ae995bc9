"""The target file: what a CSMS must know, and errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from evharness.conformance.config import TargetConfigError, default_path, load
from evharness.ocppj.versions import OcppVersion


def test_the_bundled_file() -> None:
    config = load()
    assert config.source == str(default_path())
    assert config.station(OcppVersion.V16).identity == "OCTT16-0001"
    assert config.token("valid_pin").type == "KeyCode"
    assert config.features["group_id"] == "OCTT-GROUP"


def test_the_command_line_overrides_station_and_password() -> None:
    config = load().with_station(OcppVersion.V201, "MY-CP", "a-password-of-16+")
    entry = config.station(OcppVersion.V201)
    assert (entry.identity, entry.password) == ("MY-CP", "a-password-of-16+")
    kept = load().with_station(OcppVersion.V16, None, None).station(OcppVersion.V16)
    assert kept.identity == "OCTT16-0001"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list", "expected a mapping"),
        ("stations: {'9.9': {id: X}}\ntokens: {}", "stations: unknown OCPP version"),
        ("stations: {'1.6': {}}\ntokens: {}", "stations.1.6: give at least id:"),
        ("stations: {'1.6': {id: X}}\ntokens: {valid: {type: KeyCode}}", "tokens.valid: give idToken:"),
        ("stations: {'1.6': {id: X}}\ntokens: {valid: {idToken: A}}", "tokens: missing valid_pin, invalid"),
        ("stations: [unclosed", "while parsing"),
    ],
)
def test_errors_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "target.yaml"
    path.write_text(text)
    with pytest.raises(TargetConfigError, match=message) as error:
        load(path)
    assert str(path) in str(error.value)
