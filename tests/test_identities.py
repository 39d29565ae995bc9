from __future__ import annotations

import pytest

from evharness.identities import identity_problem, station_identity
from evharness.idtokens import IdType
from evharness.redaction import mask, redact


@pytest.mark.parametrize("identity", ["CP-1", "RDAM 123", "x" * 48, "Zürich-7"])
def test_good_identities(identity: str) -> None:
    assert identity_problem(identity) is None


@pytest.mark.parametrize("identity", ["", "x" * 49, "user:pw", "a/b", "tab\there"])
def test_bad_identities(identity: str) -> None:
    assert identity_problem(identity) is not None


def test_seeded_identities() -> None:
    assert station_identity("SIM", 7) == "SIM-0007"


def test_pins_never_show() -> None:
    assert mask(IdType.PIN, "#4821") == "#****"
    assert mask(None, "#4821") == "#****"
    assert mask(IdType.RFID, "04A2B3C4") == "04A2B3C4"
    assert redact('bad idTag "#4821" and "#99"') == 'bad idTag "#****" and "#****"'
