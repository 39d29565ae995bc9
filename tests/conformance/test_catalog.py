"""The feature files agree with the catalog, and the docs' case table is the generated one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evharness.conformance import coverage
from evharness.conformance.catalog import BY_ID, CASES

ROOT = Path(__file__).resolve().parents[2]
TAGGED_SCENARIO = re.compile(
    r"^\s*(?P<tags>@[^\n]+)\n\s*Scenario(?: Outline)?:\s*(?P<id>TC_\w+?_CSMS)\s", re.MULTILINE
)


def tagged() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / "evharness" / "suites" / "conformance").rglob("*.feature"):
        for match in TAGGED_SCENARIO.finditer(path.read_text()):
            found[match["id"]] = {tag.lstrip("@") for tag in match["tags"].split()}
    return found


def test_every_scenario_is_a_catalog_case_with_its_title() -> None:
    scenarios = coverage.scenarios()
    assert scenarios, "no conformance scenarios found"
    for case_id, title in scenarios.items():
        assert case_id in BY_ID, f"{case_id} is not in the catalog"
        assert title == BY_ID[case_id].title, f"{case_id}: {title!r} ≠ {BY_ID[case_id].title!r}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_case_is_tagged_with_id_block_and_marking(case: object) -> None:
    assert case in CASES
    tags = tagged()
    assert isinstance(case, type(CASES[0]))
    assert case.id in tags, f"{case.id} is in the catalog but no feature file has a scenario for it"
    assert {case.tag, case.block_tag, case.mandatory_tag} <= tags[case.id], tags[case.id]


def test_the_docs_list_the_cases_as_generated() -> None:
    page = (ROOT / "docs" / "conformance.md").read_text()
    assert coverage.table() in page, "regenerate: python -m evharness.docgen"
