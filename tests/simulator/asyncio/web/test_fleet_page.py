"""The fleet page in a real Chromium: find a station, drive it like a person at the charger, watch its
frames and energy (about 10 s; skipped, saying how to install it, where Chromium is missing)."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from evharness.ocppj.timefmt import format_timestamp
from evharness.reference_backend.persistence import Store
from tests.browser import chromium, wait_for
from tests.simulator.asyncio.web.conftest import RFID, RunningFleet


def rows(browser: WebDriver) -> list[str]:
    return [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#fleet tbody tr")]


def evse_cells(browser: WebDriver) -> list[str]:
    return [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#evses tbody tr td")]


def frame_titles(browser: WebDriver) -> list[str]:
    return [title.text for title in browser.find_elements(By.CSS_SELECTOR, "#frames .title")]


def press(browser: WebDriver, command: str) -> None:
    browser.find_element(By.CSS_SELECTOR, f'button[data-command="{command}"]').click()
    label = browser.find_element(By.CSS_SELECTOR, f'button[data-command="{command}"]').text
    wait_for(browser, lambda b: b.find_element(By.ID, "outcome").text == f"{label}: done", f"{label} done")


def test_a_station_is_driven_from_the_fleet_page(running_fleet: RunningFleet, store: Store) -> None:
    with chromium() as browser:
        browser.get(running_fleet.base + "/ui")
        counts = browser.find_element(By.ID, "counts")
        wait_for(browser, lambda b: len(rows(b)) == 2 and "idle 2" in counts.text, "two idle stations")
        browser.find_element(By.ID, "search").send_keys("0001")
        wait_for(browser, lambda b: len(rows(b)) == 1, "the search to leave one row")
        assert rows(browser)[0].startswith("SIM-0001 1.6 idle")
        browser.find_element(By.LINK_TEXT, "SIM-0001").click()

        wait_for(browser, lambda b: "Accepted" in b.find_element(By.ID, "facts").text, "the station's state")
        assert "BootNotification" in frame_titles(browser)
        press(browser, "plug_in")
        browser.find_element(By.ID, "token-code").send_keys(RFID)
        press(browser, "present_token")
        wait_for(
            browser,
            lambda b: (
                "Authorize answered" in frame_titles(b)
                and "not authorized" not in evse_cells(b)[2]
                and evse_cells(b)[2] != ""
            ),
            "an authorized transaction",
        )
        energy = browser.find_element(By.ID, "energy")
        energy.clear()
        energy.send_keys("0.5")
        press(browser, "charge")
        wait_for(browser, lambda b: evse_cells(b)[3] == "0.500", "0.5 kWh on the meter")
        press(browser, "stop")
        wait_for(browser, lambda b: "StopTransaction answered" in frame_titles(b), "the stop to be answered")
        stop = browser.find_element(By.XPATH, "//li[.//span[text()='StopTransaction']]//pre")
        assert '"meterStop": 500' in (stop.get_attribute("textContent") or "")
        assert evse_cells(browser)[3] == "0.500"  # the final energy stays on the page

        Select(browser.find_element(By.ID, "fault")).select_by_visible_text("malformed_frame")
        press(browser, "fault")
        errors = "#frames li.csms-error"
        flagged = wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, errors), "a CSMS CALLERROR")
        assert "CALLERROR" in flagged[0].text

    (recorded,) = store.transactions("SIM-0001")
    assert recorded.energy_wh == 500


def test_the_station_view_shows_reservations_and_messages_and_faults_a_connector(
    running_fleet: RunningFleet,
) -> None:
    """The backend reserves EVSE 1 of the 2.0.1 station and sets a message; the page lists both, a
    connector fault removes the reservation, and a DataTransfer is sent from the page."""
    running_fleet.until_booted()
    expiry = format_timestamp(time.time() + 3600)
    token = {"idToken": RFID, "type": "ISO14443"}
    message = {
        "id": 4,
        "priority": "InFront",
        "message": {"format": "UTF8", "language": "en", "content": "Welcome"},
    }
    for action, payload in (
        ("ReserveNow", {"id": 9, "evseId": 1, "expiryDateTime": expiry, "idToken": token}),
        ("SetDisplayMessage", {"message": message}),
    ):
        outcome = running_fleet.loop.run(running_fleet.backend.operations.call("SIM-0002", action, payload))
        assert outcome.payload == {"status": "Accepted"}, (action, outcome)
    with chromium() as browser:
        browser.get(running_fleet.base + "/ui/station/SIM-0002")

        def cells(table: str) -> list[str]:
            return [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, f"#{table} tbody td")]

        wait_for(browser, lambda b: cells("reservations")[:2] == ["9", "1"], "the reservation listed")
        assert cells("display-messages")[:3] == ["4", "InFront", "Welcome"]
        assert "reserved" in evse_cells(browser)[1]
        browser.find_element(By.CSS_SELECTOR, 'button[data-faulted="true"]').click()
        wait_for(browser, lambda b: cells("reservations") == [], "the reservation removed")
        assert "ReservationStatusUpdate" in frame_titles(browser)
        browser.find_element(By.ID, "recover").click()
        browser.find_element(By.ID, "dt-vendor").send_keys("org.evharness")
        browser.find_element(By.ID, "dt-message").send_keys("Echo")
        press(browser, "data_transfer")
        wait_for(browser, lambda b: "DataTransfer answered" in frame_titles(b), "the DataTransfer answered")


def test_the_pages_show_the_limits_in_force_and_the_ems_is_driven_from_them(
    running_fleet: RunningFleet,
) -> None:
    """The backend sets a station maximum on the 2.0.1 station; its page lists the profile and the
    EVSE's limit; the tester's EMS limits the station from the page; the fleet table shows it."""
    running_fleet.until_booted()
    schedule = {
        "id": 1,
        "chargingRateUnit": "W",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 7000}],
    }
    profile = {
        "id": 5,
        "stackLevel": 0,
        "chargingProfilePurpose": "ChargingStationMaxProfile",
        "chargingProfileKind": "Relative",
        "chargingSchedule": [schedule],
    }
    call = running_fleet.backend.operations.call(
        "SIM-0002", "SetChargingProfile", {"evseId": 0, "chargingProfile": profile}
    )
    assert running_fleet.loop.run(call).payload == {"status": "Accepted"}
    with chromium() as browser:
        browser.get(running_fleet.base + "/ui/station/SIM-0002")
        wait_for(
            browser, lambda b: evse_cells(b)[6:8] == ["7.00", "5 StationMax #0 CSO"], "the profile listed"
        )
        limit = browser.find_element(By.ID, "ems-kw")
        limit.clear()
        limit.send_keys("3.7")
        press(browser, "ems_limit")
        wait_for(
            browser, lambda b: evse_cells(b)[6] == "3.70" and "External" in evse_cells(b)[7], "the EMS limit"
        )
        browser.get(running_fleet.base + "/ui")
        wait_for(browser, lambda b: any("1: 3.7" in row for row in rows(b)), "the limit in the fleet table")
