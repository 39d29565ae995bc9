"""The permission matrix: its rules, and that the docs and the matrix feature say exactly what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evharness.reference_backend.domain.permissions import (
    MATRIX,
    STATION_ROLES,
    Action,
    Role,
    allowed_roles,
    is_allowed,
    refusal,
    render_markdown,
)

ROOT = Path(__file__).resolve().parents[3]
MARKED = re.compile(r"<!-- matrix:start -->\n(.*?)<!-- matrix:end -->", re.S)


@pytest.mark.parametrize("document", ["docs/roles.md"])
def test_the_docs_show_the_matrix(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    found = MARKED.search(text)
    assert found, f"{document} has no <!-- matrix:start --> … <!-- matrix:end --> block"
    assert found.group(1) == render_markdown(), f"{document}: regenerate the table from MATRIX"


def test_the_matrix_feature_has_one_example_per_station_action_with_its_roles() -> None:
    feature = (ROOT / "features/roles/matrix.feature").read_text(encoding="utf-8")
    rows = re.findall(r"^\s*\|\s*(\w+)\s*\|\s*([\w, ]+?)\s*\|\s*$", feature, re.M)
    examples = {action: frozenset(r.strip() for r in roles.split(",")) for action, roles in rows[1:]}
    expected = {
        action.value: frozenset(r.value for r in roles)
        for action, (_, roles) in MATRIX.items()
        if action is not Action.MANAGE_MEMBERS
    }
    assert examples == expected


def test_every_action_has_a_row_and_some_role() -> None:
    assert set(MATRIX) == set(Action)
    assert all(allowed_roles(action) for action in Action)


def test_the_facility_owner_cannot_set_the_installers_maximum_current() -> None:
    assert not is_allowed(Action.SET_MAX_CURRENT, [Role.FACILITY_OWNER])
    assert is_allowed(Action.SET_MAX_CURRENT, [Role.INSTALLER])


@pytest.mark.parametrize("action", [Action.ADD_RFID_CARD, Action.VIEW_SETTINGS])
def test_the_exceptions_are_every_station_roles(action: Action) -> None:
    assert allowed_roles(action) == frozenset(STATION_ROLES)


def test_a_refusal_names_the_action_what_it_needs_and_the_callers_roles() -> None:
    message = refusal(Action.SET_MAX_CURRENT, [Role.FACILITY_OWNER, Role.EVSE_OWNER], "station CP-1")
    assert message == (
        "set_max_current on station CP-1 needs one of the roles installer, partner_tech_support; "
        "your roles there: evse_owner, facility_owner"
    )
    assert refusal(Action.RESET, [], "station CP-1") is not None
    assert "your roles there: none" in (refusal(Action.RESET, [], "x") or "")
    assert refusal(Action.RESET, [Role.CPO], "station CP-1") is None
