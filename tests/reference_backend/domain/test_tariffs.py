"""The tariff's parsing (each refusal names its field) and the cost rule's properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.reference_backend.domain.problems import InvalidInput
from evharness.reference_backend.domain.tariffs import Tariff, cost, exact_cost, minor_unit, parse_tariff

prices = st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False)
currencies = st.sampled_from(["EUR", "USD", "JPY", "BHD", "CHF"])
tariffs = st.builds(
    Tariff, currencies, energy_price_per_kwh=prices, time_price_per_hour=prices, session_fee=prices
)
energies = st.floats(min_value=0, max_value=500_000, allow_nan=False)
durations = st.floats(min_value=0, max_value=7 * 86_400, allow_nan=False)


def test_a_full_tariff_parses() -> None:
    body = {
        "currency": "EUR",
        "energy_price_per_kwh": "0.30",
        "time_price_per_hour": 1,
        "session_fee": 0.5,
        "texts": {"en": " 0.30 EUR/kWh ", "nl-BE": "0,30 EUR/kWh"},
    }
    tariff = parse_tariff(body)
    assert tariff == Tariff(
        "EUR", Decimal("0.30"), Decimal(1), Decimal("0.5"), {"en": "0.30 EUR/kWh", "nl-BE": "0,30 EUR/kWh"}
    )
    assert tariff.as_dict()["energy_price_per_kwh"] == "0.3"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "currency"),
        ({"currency": "eur"}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": 978}, "currency"),
        ({"currency": "EUR", "energy_price_per_kwh": -0.01}, "energy_price_per_kwh"),
        ({"currency": "EUR", "time_price_per_hour": "abc"}, "time_price_per_hour"),
        ({"currency": "EUR", "session_fee": True}, "session_fee"),
        ({"currency": "EUR", "session_fee": "NaN"}, "session_fee"),
        ({"currency": "EUR", "session_fee": 10_001}, "session_fee"),
        ({"currency": "EUR", "energy_price_per_kwh": "0.1234567"}, "energy_price_per_kwh"),
        ({"currency": "EUR", "texts": ["en"]}, "texts"),
        ({"currency": "EUR", "texts": {"English": "x"}}, "texts.English"),
        ({"currency": "EUR", "texts": {"en": ""}}, "texts.en"),
        ({"currency": "EUR", "texts": {"en": "a\nb"}}, "texts.en"),
        ({"currency": "EUR", "price": 1}, "price"),
    ],
)
def test_refusals_name_their_field(body: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_tariff(body)
    assert refused.value.field == field


def test_minor_units_follow_the_currency() -> None:
    assert (minor_unit("EUR"), minor_unit("JPY"), minor_unit("BHD")) == (
        Decimal("0.01"),
        Decimal(1),
        Decimal("0.001"),
    )


def test_an_example_session() -> None:
    tariff = Tariff("EUR", Decimal("0.30"), Decimal("1.20"), Decimal("0.50"))
    # 5 kWh and 30 minutes: 0.50 + 1.50 + 0.60
    assert cost(tariff, 5000, 1800) == Decimal("2.60")
    assert cost(Tariff("EUR", Decimal("0.333")), 1000, 0) == Decimal("0.33")
    assert cost(Tariff("EUR", Decimal("0.335")), 1000, 0) == Decimal("0.34")  # half up


@given(tariffs, energies, energies, durations)
def test_cost_never_falls_as_energy_grows(tariff: Tariff, a: float, b: float, seconds: float) -> None:
    low, high = sorted((a, b))
    assert cost(tariff, low, seconds) <= cost(tariff, high, seconds)


@given(tariffs, energies, durations, durations)
def test_cost_never_falls_as_time_grows(tariff: Tariff, wh: float, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert cost(tariff, wh, low) <= cost(tariff, wh, high)


@given(tariffs, energies, durations)
def test_the_fee_is_in_it_once(tariff: Tariff, wh: float, seconds: float) -> None:
    free = Tariff(tariff.currency, tariff.energy_price_per_kwh, tariff.time_price_per_hour)
    assert exact_cost(tariff, wh, seconds) - exact_cost(free, wh, seconds) == tariff.session_fee
    assert exact_cost(tariff, 0, 0) == tariff.session_fee
    assert cost(tariff, wh, seconds) >= cost(tariff, 0, 0)


@given(tariffs, energies, durations)
def test_rounded_once_half_up_to_the_minor_unit(tariff: Tariff, wh: float, seconds: float) -> None:
    unit = minor_unit(tariff.currency)
    rounded, exact = cost(tariff, wh, seconds), exact_cost(tariff, wh, seconds)
    assert rounded % unit == 0
    assert -unit / 2 < rounded - exact <= unit / 2


@given(tariffs, st.floats(min_value=-1e6, max_value=0, allow_nan=False), durations)
def test_negative_energy_counts_as_none(tariff: Tariff, wh: float, seconds: float) -> None:
    assert cost(tariff, wh, seconds) == cost(tariff, 0, seconds)
