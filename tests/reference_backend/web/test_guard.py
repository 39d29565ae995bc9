"""The console pages over HTTP (no browser): every page answers, with its security headers; cross-site
writes to the API are refused; a browser opening an emailed link lands on its page."""

from __future__ import annotations

import re

import pytest

from evharness.reference_backend.web.pages import PAGES
from features.onboarding.conftest import PASSWORD
from tests.reference_backend.web.conftest import ConsoleSite

SAMPLE = {"company_id": "7", "installation_id": "3", "identity": "CP-0001", "user_id": "5"}


def concrete(path: str) -> str:
    return "/console" + re.sub(r"\{(\w+)(:int)?\}", lambda m: SAMPLE[m.group(1)], path)


def test_every_page_answers_with_the_security_headers(site: ConsoleSite) -> None:
    for page in PAGES:
        answer = site.http.get(concrete(page.path))
        assert answer.status_code == 200, page.path
        assert answer.headers["content-type"].startswith("text/html")
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["cache-control"] == "no-store"
        assert "set-cookie" not in answer.headers
        assert page.title in answer.text
        assert ('data-session="required"' in answer.text) == page.session
    script = site.http.get("/console/static/console.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert site.http.get("/console/static/style.css").headers["content-type"].startswith("text/css")
    assert site.http.get("/console/static/missing.js").status_code == 404
    assert site.http.get("/console/companies/not-a-number").status_code == 404


def test_a_path_parameter_is_escaped_into_the_page(site: ConsoleSite) -> None:
    answer = site.http.get("/console/stations/%3Cscript%3Ealert(1)%3Cx%3E'%22")
    assert answer.status_code == 200
    assert "<script>alert" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;x&gt;&#39;&#34;" in answer.text  # the heading
    assert '\\u003cscript\\u003ealert(1)\\u003cx\\u003e\\u0027\\"' in answer.text  # data-params


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}],
)
def test_a_cross_site_write_to_the_api_is_refused_before_anything_runs(
    site: ConsoleSite, headers: dict[str, str]
) -> None:
    email = site.address("Mallory")
    body = {"email": email, "name": "Mallory", "password": PASSWORD}
    refused = site.http.post("/api/accounts", json=body, headers=headers)
    assert refused.status_code == 403
    assert "cross-site request refused" in refused.json()["detail"]
    with site.backend.console.store.begin() as tx:
        assert tx.user_by_email(email) is None


def test_the_pages_own_origin_and_plain_clients_may_write(site: ConsoleSite) -> None:
    same = {"Origin": site.base, "Sec-Fetch-Site": "same-origin"}
    for headers in (same, {}):
        body = {"email": site.address("Ada"), "name": "Ada", "password": PASSWORD}
        assert site.http.post("/api/accounts", json=body, headers=headers).status_code == 202
    assert site.http.get("/api/health", headers={"Origin": "http://evil.example"}).status_code == 200


def test_a_browser_opening_an_emailed_link_lands_on_its_page(site: ConsoleSite) -> None:
    email = site.address("Ada")
    site.call("POST", "/api/accounts", body={"email": email, "name": "Ada", "password": PASSWORD})
    link = site.mail_link(email, "Confirm your")
    token = link.split("token=", 1)[1]
    opened = site.http.get(link, headers={"Accept": "text/html,application/xhtml+xml"})
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/console/links/confirm?token={token}"
    with site.backend.console.store.begin() as tx:
        user = tx.user_by_email(email)
        assert user is not None
        assert user.confirmed_at is None  # the redirect used nothing: the page's API call will
    assert site.http.get(link).json() == {"email": email, "confirmed": True}  # a REST client, as before
