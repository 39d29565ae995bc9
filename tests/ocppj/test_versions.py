"""OCPP versions and their WebSocket subprotocols (catalog §4.5)."""

from __future__ import annotations

import pytest

from evharness.ocppj.versions import OcppVersion


@pytest.mark.parametrize(
    ("version", "subprotocol"),
    [(OcppVersion.V16, "ocpp1.6"), (OcppVersion.V201, "ocpp2.0.1"), (OcppVersion.V21, "ocpp2.1")],
)
def test_subprotocol_names_round_trip(version: OcppVersion, subprotocol: str) -> None:
    assert version.subprotocol == subprotocol
    assert OcppVersion.from_subprotocol(subprotocol) is version
    assert OcppVersion.parse(subprotocol) is version


@pytest.mark.parametrize("name", ["ocpp2.0", "ocpp1.5", "OCPP1.6", "ocpp1.6 ", "", "ocpp"])
def test_unoffered_or_misspelt_subprotocols_are_not_recognized(name: str) -> None:
    assert OcppVersion.from_subprotocol(name) is None


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("1.6", OcppVersion.V16),
        ("16", OcppVersion.V16),
        ("1.6J", OcppVersion.V16),
        (" OCPP1.6 ", OcppVersion.V16),
        ("v16", OcppVersion.V16),
        ("2.0.1", OcppVersion.V201),
        ("201", OcppVersion.V201),
        ("ocpp2.0.1", OcppVersion.V201),
        ("2.1", OcppVersion.V21),
        ("21", OcppVersion.V21),
    ],
)
def test_parse_accepts_the_usual_spellings(text: str, version: OcppVersion) -> None:
    assert OcppVersion.parse(text) is version


@pytest.mark.parametrize("text", ["2.0", "1.5", "", "3", "ocpp"])
def test_parse_refuses_unknown_versions_and_lists_the_known_ones(text: str) -> None:
    with pytest.raises(ValueError, match=r"known: 1\.6, 2\.0\.1, 2\.1"):
        OcppVersion.parse(text)


def test_each_version_has_its_own_schema_package() -> None:
    assert [v.schema_package for v in OcppVersion] == ["v16", "v201", "v21"]
