"""A real Chromium for the page tests: Debian's `chromium` and `chromium-driver`, driven by selenium.

Nothing is downloaded: the browser and its driver are the system's (`.ci/run` installs them with
apt-get). Without them `chromium()` skips the test and says how to install them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

BROWSER = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
INSTALL = "apt-get update && apt-get install -y chromium chromium-driver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
WAIT_S = 15.0

T = TypeVar("T")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path in (BROWSER, DRIVER):
        if shutil.which(path) is None:
            return f"{path} not found: install Debian's browser with `{INSTALL}` (as root)"
    return None


@contextmanager
def chromium(width: int = 1400, height: int = 1000) -> Iterator[WebDriver]:
    """A headless Chromium with a fresh profile, closed afterwards (skips the test without one)."""
    reason = missing()
    if reason is not None:
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # script errors, for failures
    with tempfile.TemporaryDirectory(prefix="evharness-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(DRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def wait_for(driver: WebDriver, condition: Callable[[WebDriver], T], what: str, timeout: float = WAIT_S) -> T:
    """Wait until `condition` is true(-ish); fail naming `what` and showing the page's text."""
    try:
        waiting = WebDriverWait(driver, timeout, 0.05, ignored_exceptions=[StaleElementReferenceException])
        found: T = waiting.until(condition)
    except Exception as exc:
        body = driver.find_element("tag name", "body").text[:3000]
        entries = driver.execute("getLog", {"type": "browser"})["value"]  # Chromium's console
        logged = "\n".join(str(entry["message"]) for entry in entries)
        raise AssertionError(
            f"timed out waiting for {what} at {driver.current_url}; the page says:\n{body}\n"
            f"the browser's console:\n{logged}"
        ) from exc
    return found
