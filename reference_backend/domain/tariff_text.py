"""The tariff as a driver reads it on the station's display, per language (O01; issue 16).

`TEXTS` holds one template per language (`{price}`: the station's `price_per_kwh` setting, `{name}`:
its `tariff` setting, or nothing); the console's `tariff-message` operation sends the text in the
language asked for as a SetDisplayMessage (one message per language, each with its own id).
"""

from __future__ import annotations

from evharness.reference_backend.domain.problems import InvalidInput

TEXTS: dict[str, str] = {
    "en": "Price: {price} per kWh{name}",
    "nl": "Prijs: {price} per kWh{name}",
    "de": "Preis: {price} pro kWh{name}",
    "fr": "Prix : {price} par kWh{name}",
}


def tariff_text(language: str | None, price: str | None, name: str | None) -> str:
    template = TEXTS.get(language or "")
    if template is None:
        raise InvalidInput("language", f"must be one of {', '.join(TEXTS)}")
    if not price:
        raise InvalidInput("price_per_kwh", "is not set for this station (PATCH its settings first)")
    return template.format(price=price, name=f" ({name})" if name else "")
