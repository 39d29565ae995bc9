"""Steps a person takes on the console pages, in a real Chromium (see `tests/browser.py`)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from features.onboarding.conftest import PASSWORD
from tests.browser import wait_for


def form(browser: WebDriver, selector: str) -> WebElement:
    return wait_for(browser, lambda b: b.find_element(By.CSS_SELECTOR, selector), selector)


def fill(found: WebElement, **values: str | bool) -> None:
    """Type into the form's fields by name (a bool ticks or unticks a checkbox; a select picks a value)."""
    for name, value in values.items():
        field = found.find_element(By.CSS_SELECTOR, f'[name="{name}"]')
        if isinstance(value, bool):
            if field.is_selected() != value:
                field.click()
        elif field.tag_name == "select":
            Select(field).select_by_value(value)
        elif field.get_attribute("type") == "datetime-local":  # typed digit by digit otherwise
            browser = field.parent
            browser.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)


def submit(browser: WebDriver, found: WebElement, **values: str | bool) -> str:
    """Fill and send the form; the message it shows (success or refusal)."""
    fill(found, **values)
    for message in found.find_elements(By.CSS_SELECTOR, ":scope > .message"):
        browser.execute_script("arguments[0].remove()", message)
    found.find_element(By.CSS_SELECTOR, "button[type=submit], button:not([type])").click()
    shown = wait_for(
        browser, lambda b: found.find_elements(By.CSS_SELECTOR, ":scope > .message"), "its message"
    )
    return str(shown[0].text)


def log_in(browser: WebDriver, base: str, email: str, password: str = PASSWORD) -> None:
    browser.get(f"{base}/console/login")
    fill(form(browser, 'form[data-call="POST /api/session"]'), email=email, password=password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(
        browser, lambda b: b.current_url == f"{base}/console/" and email in b.page_source, "the home page"
    )


def log_out(browser: WebDriver, base: str) -> None:
    browser.find_element(By.CSS_SELECTOR, 'button[data-then="logout"]').click()
    wait_for(browser, lambda b: b.current_url.startswith(f"{base}/console/login"), "the login page")


def text_of(browser: WebDriver, selector: str) -> str:
    return str(browser.find_element(By.CSS_SELECTOR, selector).text)


def wait_text(browser: WebDriver, selector: str, text: str) -> None:
    """Wait until the element's visible text contains `text`."""
    wait_for(browser, lambda b: text in text_of(b, selector), f"{text!r} in {selector}")
