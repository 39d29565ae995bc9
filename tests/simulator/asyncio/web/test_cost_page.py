"""The fleet page's station view in a real Chromium lists the cost the CSMS told (docs/tariffs.md).
Skipped, saying how to install it, where Chromium is missing."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser import chromium, wait_for
from tests.simulator.asyncio.web.conftest import RunningFleet


def test_the_station_view_lists_the_cost_the_csms_told(running_fleet: RunningFleet) -> None:
    running_fleet.until_booted()
    told = {"totalCost": 1.7, "transactionId": "tx-page"}
    outcome = running_fleet.loop.run(running_fleet.backend.operations.call("SIM-0002", "CostUpdated", told))
    assert outcome.payload == {}, outcome
    assert running_fleet.state("SIM-0002")["costs"][0]["shown"] == "Cost so far: 1.7 EUR"  # the control API
    with chromium() as browser:
        browser.get(running_fleet.base + "/ui/station/SIM-0002")

        def cells() -> list[str]:
            return [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#costs tbody td")]

        wait_for(browser, lambda b: cells()[:2] == ["tx-page", "running"], "the cost listed")
        assert cells()[2:] == ["1.7", "EUR", "Cost so far: 1.7 EUR"]
