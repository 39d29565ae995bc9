"""Regenerate the pages' screenshots in docs/images/ (`make screenshots`; needs Debian's chromium and
chromium-driver, like the page tests). Everything runs on 127.0.0.1: a reference backend, a small fleet
driven over the control API, a console user who set up PIN codes, each shown in a headless Chromium."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
from selenium.webdriver.common.by import By

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.seed import seed
from evharness.simulator.asyncio.control import ControlClient, ControlServer
from evharness.simulator.asyncio.fleet import FleetPlan, StationRun, run_fleet
from evharness.simulator.asyncio.portal import BackgroundLoop
from evharness.simulator.core.clock import ScaledClock
from features.onboarding.conftest import start_backend
from features.onboarding.mailbox import Mailbox
from tests.browser import chromium, wait_for
from tests.reference_backend.web.conftest import ConsoleSite
from tests.reference_backend.web.pages import form, log_in, submit, wait_text

IMAGES = Path(__file__).resolve().parent / "images"
STATIONS = 60


def fleet(loop: BackgroundLoop, site: ConsoleSite) -> int:
    """A fleet against the backend, some of it charging; the control port."""
    plan = FleetPlan(
        csms_url=site.backend.ocpp_url,
        versions=[OcppVersion.V16, OcppVersion.V201],
        scenarios=[scenarios.load("boot_only")],
        stations=STATIONS,
        keep_running=True,
    )
    started: asyncio.Future[int] = loop.loop.create_future()

    async def serve(runs: list[StationRun]) -> object:
        control = ControlServer([run.link for run in runs])
        await control.start()
        started.set_result(control.port)
        return control.stop

    asyncio.run_coroutine_threadsafe(run_fleet(plan, ScaledClock(60), 60, on_start=serve), loop.loop)

    async def drive() -> int:
        port = await started
        await asyncio.sleep(2)
        async with ControlClient(f"ws://127.0.0.1:{port}/control") as control:
            for number in range(2, 14, 3):
                station = f"SIM-{number:04d}"
                await control.plug_in(station)
                await control.present_token(station, "rfid", f"04A2B3C4D5{number:04X}")  # its own card
            await asyncio.sleep(1)
            for number in range(2, 14, 3):
                await control.command(f"SIM-{number:04d}", "charge", power_kw=11, energy_kwh=20)
            await control.plug_in("SIM-0015")
            await control.present_token("SIM-0015", "rfid", "DEADBEEF")
            await control.go_offline("SIM-0020")
            await control.fault("SIM-0005", "malformed_frame")
            await asyncio.sleep(3)
        return port

    return loop.run(drive())


def console_user(site: ConsoleSite) -> tuple[str, int]:
    """Fred owns station CP-0001 (supplied by Pia's company), PIN enabled, a local user with a PIN."""
    pia, fred = site.person("Pia"), site.person("Fred")
    partner = site.company("Volt Supply", "partner", pia)
    site.call(
        "POST",
        "/api/stations",
        pia,
        {"identity": "CP-0001", "claim_code": "K7X2-9QPA", "partner_company_id": partner},
    )
    owner = site.company("Harbour Parking", "customer_business", fred)
    garage = site.call("POST", "/api/installations", fred, {"company_id": owner, "name": "Garage"})["id"]
    site.call(
        "POST",
        f"/api/installations/{garage}/stations",
        fred,
        {"identity": "CP-0001", "claim_code": "K7X2-9QPA"},
    )
    site.call("PATCH", "/api/stations/CP-0001/settings", fred, {"identification_types": ["pin", "rfid"]})
    user = site.call(
        "POST", "/api/stations/CP-0001/local-users", fred, {"first_name": "Ada", "last_name": "Driver"}
    )
    path = f"/api/stations/CP-0001/local-users/{user['id']}/identifications"
    site.call("POST", path, fred, {"type": "pin", "code": "#4821"})
    site.call(
        "POST", path, fred, {"type": "rfid", "code": "04A1B2C3D4E5F6", "expires_at": "2030-01-01T00:00:00Z"}
    )
    return fred, user["id"]


def main() -> int:
    IMAGES.mkdir(exist_ok=True)
    with Mailbox() as mailbox, BackgroundLoop("screenshots") as loop, tempfile.TemporaryDirectory() as folder:
        backend = start_backend(loop, Path(folder), mailbox)
        seed(backend.settings.database_url, scenarios.load("rfid_charging"), STATIONS, "SIM")
        with httpx.Client(base_url=f"http://127.0.0.1:{backend.api_port}", timeout=30) as http:
            site = ConsoleSite(loop, backend, mailbox, http)
            port = fleet(loop, site)
            fred, local_user = console_user(site)
            with chromium(1400, 900) as browser:
                browser.get(f"http://127.0.0.1:{port}/ui")
                wait_for(
                    browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, "#fleet tbody tr")) == 50, "rows"
                )
                time.sleep(1)
                browser.save_screenshot(str(IMAGES / "fleet-page.png"))
                browser.get(f"http://127.0.0.1:{port}/ui/station/SIM-0002")
                wait_text(browser, "#facts", "Accepted")
                time.sleep(1.5)
                browser.save_screenshot(str(IMAGES / "station-page.png"))

                log_in(browser, site.base, fred)
                browser.get(f"{site.base}/console/stations/CP-0001/local-users/{local_user}")
                wait_text(browser, "#identifications", "#****")
                browser.save_screenshot(str(IMAGES / "console-local-user.png"))
                browser.get(f"{site.base}/console/stations/CP-0001/configuration")
                wait_text(browser, "#settings", "maximum charging current")
                submit(browser, form(browser, "#setting-max_current form"), max_current="20")
                browser.save_screenshot(str(IMAGES / "console-configuration.png"))
        loop.run(backend.stop())
    for image in sorted(IMAGES.glob("*.png")):
        print(f"wrote {image.relative_to(Path.cwd()) if image.is_relative_to(Path.cwd()) else image}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
