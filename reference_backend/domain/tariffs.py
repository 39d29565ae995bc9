"""A station's tariff and the cost of a charging session under it (2.0.1 block I; issue 16).

Theory of operation. A tariff has three parts, each optional and never negative: an energy price per
kWh, a time price per hour of the session, and a session fee charged once; all in one ISO 4217
currency. It may carry the text a driver reads per language (`texts`, e.g. {"en": "0.30 EUR/kWh"}).
`parse_tariff` turns the console's body into a `Tariff` or raises `InvalidInput` naming the first bad
field, before anything is stored.

`cost` is the one rule for the money, used for the running cost (CostUpdated, 1.6 RunningCost) and
the final one (TransactionEventResponse.totalCost, 1.6 FinalCost):

    cost = session_fee + energy_price × kWh + time_price × hours

computed exactly in decimal from the meter's Wh and the seconds since the start, then rounded once,
half up, to the currency's minor unit (EUR 0.01, JPY 1, BHD 0.001; from the CLDR data of `babel`).
Negative energy or time (a register that went backwards, a clock that did) count as zero. So the cost
never falls as energy or time grow, and the fee is in it exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from babel.numbers import get_currency_precision, list_currencies

from evharness.reference_backend.domain.problems import InvalidInput

PRICE_LIMIT = Decimal(10_000)  # per kWh, per hour or per session: a typo guard, not a market rule
PRICE_PLACES = 6  # a price has at most this many decimals
TEXT_LIMIT = 512  # characters of one language's text (a DisplayMessage's content is 512 in 2.0.1)
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # RFC 5646, the simple forms: en, nl-BE
CURRENCIES: frozenset[str] = frozenset(code for code in list_currencies() if len(code) == 3)
PRICES = ("energy_price_per_kwh", "time_price_per_hour", "session_fee")
ZERO = Decimal(0)
WH_PER_KWH, SECONDS_PER_HOUR = Decimal(1000), Decimal(3600)


@dataclass(frozen=True, slots=True)
class Tariff:
    currency: str  # ISO 4217, e.g. EUR
    energy_price_per_kwh: Decimal = ZERO
    time_price_per_hour: Decimal = ZERO
    session_fee: Decimal = ZERO
    texts: Mapping[str, str] = field(default_factory=dict)  # language → what the driver reads

    def as_dict(self) -> dict[str, object]:
        """The tariff as the console API shows it (prices as decimal text, never binary floats)."""
        return {
            "currency": self.currency,
            **{name: _text(getattr(self, name)) for name in PRICES},
            "texts": dict(self.texts),
        }


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _price(name: str, value: object) -> Decimal:
    try:
        price = Decimal(str(value)) if isinstance(value, int | float | str) else None
    except InvalidOperation:
        price = None
    if isinstance(value, bool) or price is None or not price.is_finite():
        raise InvalidInput(name, "must be a decimal number, e.g. 0.35")
    if price < 0:
        raise InvalidInput(name, "must not be negative")
    if price > PRICE_LIMIT:
        raise InvalidInput(name, f"must be at most {PRICE_LIMIT}")
    if -price.as_tuple().exponent > PRICE_PLACES:  # type: ignore[operator]  # finite: an int exponent
        raise InvalidInput(name, f"must have at most {PRICE_PLACES} decimals")
    return price


def parse_currency(field: str, value: object) -> str:
    if not isinstance(value, str) or value not in CURRENCIES:
        raise InvalidInput(field, "must be an ISO 4217 currency code in capitals, e.g. EUR")
    return value


def _texts(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput("texts", 'must be an object of language → text, e.g. {"en": "0.35 EUR/kWh"}')
    for language, text in value.items():
        if not isinstance(language, str) or not LANGUAGE.match(language):
            raise InvalidInput(f"texts.{language}", "the key must be a language code (RFC 5646), e.g. en")
        if not isinstance(text, str) or not text.strip() or len(text) > TEXT_LIMIT or not text.isprintable():
            raise InvalidInput(f"texts.{language}", f"must be printable text of 1 to {TEXT_LIMIT} characters")
    return {language: text.strip() for language, text in value.items()}


def parse_tariff(body: Mapping[str, object]) -> Tariff:
    """The console's tariff body as a `Tariff`, or `InvalidInput` naming the first bad field."""
    unknown = [name for name in body if name not in (*PRICES, "currency", "texts")]
    if unknown:
        raise InvalidInput(unknown[0], f"no such field; known: currency, {', '.join(PRICES)}, texts")
    if "currency" not in body:
        raise InvalidInput("currency", "is required (ISO 4217, e.g. EUR)")
    prices = {name: _price(name, body[name]) for name in PRICES if name in body}
    return Tariff(parse_currency("currency", body["currency"]), texts=_texts(body.get("texts")), **prices)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 for EUR, 1 for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def exact_cost(tariff: Tariff, energy_wh: float, seconds: float) -> Decimal:
    """The cost before rounding (negative energy or time count as zero)."""
    with localcontext(Context(prec=60)):
        kwh = max(Decimal(energy_wh), ZERO) / WH_PER_KWH
        hours = max(Decimal(seconds), ZERO) / SECONDS_PER_HOUR
        return tariff.session_fee + tariff.energy_price_per_kwh * kwh + tariff.time_price_per_hour * hours


def cost(tariff: Tariff, energy_wh: float, seconds: float) -> Decimal:
    """The session's cost after `energy_wh` and `seconds`, rounded half up to the minor unit."""
    with localcontext(Context(prec=60)):
        return exact_cost(tariff, energy_wh, seconds).quantize(minor_unit(tariff.currency), ROUND_HALF_UP)
