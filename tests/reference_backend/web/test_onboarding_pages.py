"""Seeds 000 and 002 through the console pages in a real Chromium: sign up, confirm by the emailed
link, log in, apply for a company, the operator's approval, an access request and the admin's
approval; the operator opening self-registration with an agreement, and a house owner registering
through the emailed link. (About 20 s; skipped, saying how to install it, where Chromium is missing.)"""

from __future__ import annotations

from selenium.webdriver.common.by import By

from features.onboarding.conftest import PASSWORD
from tests.browser import chromium, wait_for
from tests.reference_backend.web.conftest import ConsoleSite
from tests.reference_backend.web.pages import form, log_in, log_out, submit, text_of, wait_text


def test_sign_up_confirm_apply_approve_and_join(site: ConsoleSite) -> None:
    base = site.base
    ada = site.address("Ada")
    olga = site.operator()
    ben = site.person("Ben")
    with chromium() as browser:
        browser.get(f"{base}/console/signup")
        signed_up = submit(
            browser,
            form(browser, 'form[data-call="POST /api/accounts"]'),
            email=ada,
            name="Ada",
            password=PASSWORD,
        )
        assert "check your mailbox" in signed_up
        browser.get(site.mail_link(ada, "Confirm your"))  # the link as mailed: it points at the API
        wait_text(browser, "main", f"The account {ada} is confirmed")
        assert browser.current_url == f"{base}/console/links/confirm"  # the token left the address bar
        browser.get(site.mail_link(ada, "Confirm your"))
        wait_text(browser, "main", "was used already")  # the API's 410, shown

        log_in(browser, base, ada)
        wait_text(browser, "main", "None yet")
        browser.find_element(By.LINK_TEXT, "Companies").click()
        application = form(browser, 'form[data-call="POST /api/company-applications"]')
        sent = submit(browser, application, name="Spark Installers", type="installer", country="NO")
        assert sent == "Application sent: the platform operator decides."
        wait_text(browser, "main", "Spark Installers installer pending")
        log_out(browser, base)

        log_in(browser, base, olga)
        browser.find_element(By.LINK_TEXT, "Operator").click()
        wait_text(browser, "main", "Spark Installers")
        browser.find_element(
            By.XPATH, "//tr[td[text()='Spark Installers']]//button[text()='Approve']"
        ).click()
        wait_for(browser, lambda b: "Spark Installers" not in text_of(b, "main table"), "the approval")
        log_out(browser, base)

        log_in(browser, base, ben)
        browser.get(f"{base}/console/companies?name=Spark")
        request = wait_for(
            browser, lambda b: b.find_elements(By.XPATH, "//button[text()='Request access']"), "it"
        )
        request[0].click()
        wait_text(browser, "main", "Access requested")
        log_out(browser, base)

        log_in(browser, base, ada)
        wait_text(browser, "main", "Spark Installers installer active admin")
        browser.find_element(By.LINK_TEXT, "Spark Installers").click()
        wait_text(browser, "main", ben)
        browser.find_element(By.XPATH, f"//tr[td[text()='{ben}']]//button[text()='Approve']").click()
        wait_for(
            browser, lambda b: "Ben" in text_of(b, "main") and "member" in text_of(b, "main"), "Ben a member"
        )


def test_self_registration_with_an_agreement(site: ConsoleSite) -> None:
    base = site.base
    olga = site.operator()
    eve = site.address("Eve")
    with chromium() as browser:
        log_in(browser, base, olga)
        browser.get(f"{base}/console/operator")
        form(browser, '[data-load="GET /api/onboarding/settings"][data-loaded]')  # ticked as they are now
        settings = form(browser, 'form[data-call="PUT /api/onboarding/settings"]')
        assert submit(browser, settings, customer_personal=True, default_location=True) == "Saved."
        agreement = form(browser, 'form[data-call="POST /api/agreements"]')
        text = "You may charge at home."
        published = submit(
            browser, agreement, company_type="customer_personal", title="Home terms", text=text
        )
        assert published.startswith("Published")
        log_out(browser, base)

        browser.get(f"{base}/console/register")
        start = form(browser, 'form[data-call="POST /api/registrations"]')
        assert "check your mailbox" in submit(browser, start, email=eve, account_type="customer_personal")
        browser.get(site.mail_link(eve, "registration"))
        wait_text(browser, "main", "Home terms (version 1)")
        complete = form(browser, 'form[data-call="POST /api/registrations/complete"]')
        browser.find_element(By.CSS_SELECTOR, 'input[name="accepted_agreements"]').click()
        fields = {
            "name": "Eve",
            "password": PASSWORD,
            "properties.country": "NO",
            "properties.address": "Fjordvei 1",
        }
        for name, value in fields.items():
            complete.find_element(By.CSS_SELECTOR, f'[name="{name}"]').send_keys(value)
        complete.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_text(browser, "main", "Registration complete (active)")

        log_in(browser, base, eve)
        wait_text(browser, "main", "customer_personal active admin")
