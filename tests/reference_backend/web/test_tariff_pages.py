"""The station's console page in a real Chromium shows its tariff and, once a simulated station charged
under it, the transaction with its final cost (docs/tariffs.md). Skipped, saying how to install it,
where Chromium is missing."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.simulator.asyncio.live import LiveStation
from tests.browser import chromium, wait_for
from tests.reference_backend.web.conftest import ConsoleSite
from tests.reference_backend.web.pages import log_in, text_of

IDENTITY = "CP-COST-0001"
CLAIM = "C0ST-2QPA"
CARD = "04C0C0C0C0C0C0"
TARIFF = {"currency": "EUR", "energy_price_per_kwh": "0.30", "session_fee": "0.50"}


def station_of_fred(site: ConsoleSite) -> str:
    """Fred's company owns the installation the station (supplied by Pia's partner company) is in."""
    pia = site.person("Pia")
    partner = site.company("Volt Supply", "partner", pia)
    site.call(
        "POST",
        "/api/stations",
        pia,
        {"identity": IDENTITY, "claim_code": CLAIM, "partner_company_id": partner},
    )
    fred = site.person("Fred")
    owner = site.company("Harbour Parking", "customer_business", fred)
    garage = site.call("POST", "/api/installations", fred, {"company_id": owner, "name": "Garage"})["id"]
    site.call(
        "POST", f"/api/installations/{garage}/stations", fred, {"identity": IDENTITY, "claim_code": CLAIM}
    )
    site.call("PATCH", f"/api/stations/{IDENTITY}/settings", fred, {"identification_types": ["rfid"]})
    card = {"uid": CARD, "first_name": "Dora", "last_name": "Driver"}
    site.call("POST", f"/api/stations/{IDENTITY}/rfid-cards", fred, card)
    site.call("PUT", f"/api/stations/{IDENTITY}/tariff", fred, TARIFF)
    return fred


def test_the_station_page_shows_the_tariff_and_the_cost_of_a_session(site: ConsoleSite) -> None:
    fred = station_of_fred(site)

    async def charge() -> str:
        station = LiveStation(IDENTITY, OcppVersion.V201, site.backend.ocpp_url)
        try:
            await station.connect()
            assert await station.boot() == "Accepted"
            await station.plug_in()
            status = await station.present_token(IdType.RFID, CARD)
            await station.charge(energy_kwh=2)
            await station.stop()
            await station.unplug()
            (told,) = station.costs()
            return f"{status} {told.shown}"
        finally:
            await station.close()

    told = site.loop.run(charge())
    assert told == "Accepted Total cost: 1.1 EUR"  # 0.50 + 2 kWh × 0.30 (the time is free), as the JSON said
    with chromium() as browser:
        log_in(browser, site.base, fred)
        browser.get(f"{site.base}/console/stations/{IDENTITY}")
        wait_for(browser, lambda b: "0.3 EUR per kWh" in text_of(b, "body"), "the tariff")
        assert "session fee 0.5 EUR" in text_of(browser, "body")
        row = wait_for(
            browser,
            lambda b: [r.text for r in b.find_elements(By.CSS_SELECTOR, "tr") if "1.10 EUR" in r.text],
            "the transaction with its cost",
        )
        assert "ended" in row[0]
