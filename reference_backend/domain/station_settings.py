"""A station's settings as data: what each one is, who may change it, how it goes over OCPP.

Each `Setting` names the matrix action that guards it, a parser that turns the API's value into the
text the station stores (or raises `InvalidInput` naming the field), and where it lives on the station:
a 1.6 configuration key (ChangeConfiguration) and a 2.0.1 component/variable (SetVariables). The keys
are this backend's own (vendor-specific) names; the simulator reads `MaxChargingCurrent` to cap its power.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.problems import InvalidInput
from evharness.reference_backend.domain.tariffs import parse_currency

Parser = Callable[[str, object], str]


def _integer(low: int, high: int) -> Parser:
    def parse(field: str, value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(field, f"must be a whole number from {low} to {high}")
        return str(value)

    return parse


def _one_of(*choices: int) -> Parser:
    def parse(field: str, value: object) -> str:
        if isinstance(value, bool) or value not in choices:
            raise InvalidInput(field, f"must be one of {', '.join(map(str, choices))}")
        return str(value)

    return parse


def _price(field: str, value: object) -> str:
    try:
        price = Decimal(str(value)) if isinstance(value, int | float | str) else None
    except InvalidOperation:
        price = None
    if isinstance(value, bool) or price is None or not price.is_finite() or not 0 <= price <= 100:
        raise InvalidInput(field, "must be a price per kWh from 0 to 100, e.g. 0.35")
    return f"{price.quantize(Decimal('0.0001')).normalize():f}"


def _text(limit: int) -> Parser:
    def parse(field: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > limit or not value.isprintable():
            raise InvalidInput(field, f"must be printable text of 1 to {limit} characters")
        return value.strip()

    return parse


_WINDOW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")


def _window(field: str, value: object) -> str:
    if not isinstance(value, str) or not _WINDOW.match(value):
        raise InvalidInput(field, "must be a daily window HH:MM-HH:MM, e.g. 22:00-06:00")
    return value


ID_TYPES = ("pin", "rfid")


def _id_types(field: str, value: object) -> str:
    if (
        not isinstance(value, list)
        or not all(isinstance(v, str) and v in ID_TYPES for v in value)
        or len(set(value)) != len(value)
    ):
        raise InvalidInput(field, f"must be a list of distinct types among {', '.join(ID_TYPES)}")
    return ",".join(t for t in ID_TYPES if t in value)


@dataclass(frozen=True)
class Setting:
    name: str
    action: Action
    parse: Parser
    key_16: str  # ChangeConfiguration key
    component: str  # SetVariables component.name
    variable: str  # SetVariables variable.name
    what: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("max_current", Action.SET_MAX_CURRENT, _integer(6, 80), "MaxChargingCurrent",
                "ChargingStation", "MaxChargingCurrent", "maximum charging current, A"),
        Setting("phases", Action.CONFIGURE, _one_of(1, 3), "ConnectionPhases",
                "ChargingStation", "ConnectionPhases", "phases connected: 1 or 3"),
        Setting("load_balancer_max_current", Action.CONFIGURE_ACCESSORIES, _integer(0, 1000),
                "LoadBalancerMaxCurrent", "LoadBalancer", "MaxCurrent",
                "load balancer: the main fuse it shares, A (0: off)"),
        Setting("price_per_kwh", Action.SET_PRICES, _price, "PricePerKWh",
                "TariffCtrlr", "PricePerKWh", "price per kWh"),
        Setting("tariff", Action.SET_PRICES, _text(50), "TariffName",
                "TariffCtrlr", "TariffName", "tariff name"),
        Setting("currency", Action.SET_PRICES, parse_currency, "Currency", "TariffCostCtrlr", "Currency",
                "currency of the costs the station is told (ISO 4217; set with the tariff)"),
        Setting("charging_times", Action.SET_CHARGING_TIMES, _window, "ChargingTimes",
                "ChargingStation", "ChargingTimes", "daily charging window HH:MM-HH:MM"),
        Setting("priority", Action.SET_PRIORITIES, _integer(0, 9), "ChargingPriority",
                "ChargingStation", "ChargingPriority", "priority among the installation's stations, 0-9"),
        Setting("identification_types", Action.SET_IDENTIFICATION_TYPES, _id_types, "AuthorizationTypes",
                "AuthCtrlr", "AuthorizationTypes", "supported identification types: pin, rfid"),
    )
}  # fmt: skip


def parse_changes(body: dict[str, object]) -> dict[str, str]:
    """The wanted settings as stored text, or `InvalidInput` naming the first bad field."""
    if not body:
        raise InvalidInput("settings", f"give at least one of {', '.join(SETTINGS)}")
    unknown = [name for name in body if name not in SETTINGS]
    if unknown:
        raise InvalidInput(unknown[0], f"no such setting; known: {', '.join(SETTINGS)}")
    return {name: SETTINGS[name].parse(name, value) for name, value in body.items()}


def actions_for(names: list[str]) -> list[Action]:
    """The matrix actions a change of these settings needs, in a stable order."""
    return sorted({SETTINGS[name].action for name in names if name in SETTINGS})
