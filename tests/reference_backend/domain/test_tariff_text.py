"""The tariff text per language, and the fields its refusals name."""

from __future__ import annotations

import pytest

from evharness.reference_backend.domain.problems import InvalidInput
from evharness.reference_backend.domain.tariff_text import TEXTS, tariff_text


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_each_language_shows_the_price_and_the_name(language: str) -> None:
    text = tariff_text(language, "0.35", "Night")
    assert "0.35" in text
    assert text.endswith("(Night)")
    assert tariff_text(language, "0.35", None).endswith("kWh")


@pytest.mark.parametrize(
    ("language", "price", "field"), [("xx", "0.35", "language"), ("en", None, "price_per_kwh")]
)
def test_refusals_name_their_field(language: str, price: str | None, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        tariff_text(language, price, None)
    assert refused.value.field == field
