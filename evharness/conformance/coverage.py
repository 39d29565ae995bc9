"""Which catalog cases exist as scenarios: the feature files' tags, rendered in docs/conformance.md.

python -m evharness.conformance.coverage            # prints the Markdown table
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from evharness.conformance.catalog import CASES, Case

FEATURES = Path(__file__).resolve().parents[1] / "suites" / "conformance"
SCENARIO = re.compile(r"^\s*Scenario(?: Outline)?:\s*(?P<id>TC_\w+?_CSMS)\s+(?P<title>.+?)\s*$", re.MULTILINE)

# Cases whose scenario needs an optional CSMS feature (the target file's `features:`); a CSMS
# without it gets NOT APPLICABLE, and why.
NEEDS_FEATURE: dict[str, str] = {
    "TC_B_02_CSMS": "boot_pending",
    "TC_B_30_CSMS": "boot_pending",
    "TC_B_31_CSMS": "boot_pending",
    "TC_C_50_CSMS": "iso15118",
    "TC_C_51_CSMS": "iso15118",
    "TC_C_52_CSMS": "iso15118",
    "TC_N_63_CSMS": "iso15118",
    "TC_H_08_CSMS": "reserve_unspecified",
    "TC_H_14_CSMS": "reserve_unspecified",
    "TC_H_15_CSMS": "reserve_connector_type",
    **{f"TC_L_{n}_CSMS": "publish_firmware" for n in ("17", "19", "20", "21", "22", "23", "24")},
    **{f"TC_K_{n}_CSMS": "ev_charging_needs" for n in ("53", "55", "57", "58", "59")},
    "TC_I_01_CSMS": "tariff",
    "TC_I_02_CSMS": "tariff",
}
# The optional features the reference backend has (the plugin declares them when it starts it)
REFERENCE_HAS = frozenset(
    {
        "boot_pending",
        "reserve_unspecified",
        "reserve_connector_type",
        "iso15118",
        "publish_firmware",
        "tariff",
        "ev_charging_needs",
    }
)


def scenarios(directory: Path = FEATURES) -> dict[str, str]:
    """Case id → scenario title, from every .feature file under `directory`."""
    found: dict[str, str] = {}
    for path in sorted(directory.rglob("*.feature")):
        for match in SCENARIO.finditer(path.read_text(encoding="utf-8")):
            found[match["id"]] = match["title"]
    return found


def status(case: Case, existing: dict[str, str]) -> str:
    if case.id not in existing:
        return "not yet"
    feature = NEEDS_FEATURE.get(case.id)
    if feature is None:
        return "scenario; passes on the reference backend"
    if feature in REFERENCE_HAS:
        return f"scenario; needs `features.{feature}`; passes on the reference backend"
    return f"scenario; needs `features.{feature}` (NOT APPLICABLE on the reference backend)"


def table(directory: Path = FEATURES) -> str:
    existing = scenarios(directory)
    lines = ["| case | OCPP | block | M/C | title | status |", "|---|---|---|---|---|---|"]
    for case in CASES:
        lines.append(
            f"| `{case.id}` | {case.version.value} | {case.block} | {case.mandatory} | {case.title} "
            f"| {status(case, existing)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(table() + "\n")
