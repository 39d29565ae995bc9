"""Where Chromium is missing, the page tests are skipped saying how to install it."""

from __future__ import annotations

import pytest

from tests import browser


def test_without_chromium_the_page_tests_skip_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(browser, "BROWSER", "/nonexistent/chromium")
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium chromium-driver"):  # noqa: SIM117
        with browser.chromium():
            pass
