"""A scenario's `station:` block as station configuration — the one conversion every runner uses
(`evharness sim`, the features, the Locust users).

Each `local_auth` field names one OCPP 1.6 configuration key; the device model maps that key onto
its 2.0.1 variable (`simulator.core.device_model.KEYS_16`), so a 1.6 and a 2.0.1 station decide alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from evharness.scenarios.model import LocalAuth, Scenario
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.outcomes import FirmwareOutcome, LogOutcome, choose
from evharness.simulator.template import StationTemplate, ev_spec

V = TypeVar("V")

# `local_auth` field → OCPP 1.6 key (1.6 §9.1; 2.0.1 AuthCtrlr / AuthCacheCtrlr / LocalAuthListCtrlr)
LOCAL_AUTH_KEYS: dict[str, str] = {
    "local_authorize_offline": "LocalAuthorizeOffline",
    "local_pre_authorize": "LocalPreAuthorize",
    "authorization_cache_enabled": "AuthorizationCacheEnabled",
    "local_auth_list_enabled": "LocalAuthListEnabled",
    "allow_offline_tx_for_unknown_id": "AllowOfflineTxForUnknownId",
}


def local_auth_variables(local_auth: LocalAuth) -> tuple[tuple[str, str], ...]:
    """(1.6 key, "true"/"false") for each field the scenario sets; unset fields keep the defaults."""
    return tuple(
        (key, "true" if value else "false")
        for field, key in LOCAL_AUTH_KEYS.items()
        if (value := getattr(local_auth, field)) is not None
    )


def config_for(scenario: Scenario, identity: str, call_timeout_s: float) -> StationConfig:
    """The scenario's station: its hardware and how it decides tokens (`local_auth`)."""
    spec = scenario.station
    return StationConfig(
        vendor=spec.vendor,
        model=spec.model,
        serial_number=identity,
        evses=spec.evses,
        connectors_per_evse=spec.connectors_per_evse,
        max_power_w=spec.max_power_kw * 1000.0,
        meter_interval_s=spec.meter_interval,
        call_timeout_s=call_timeout_s,
        variables=local_auth_variables(spec.local_auth),
        ev=None if spec.ev is None else ev_spec(spec.ev),
        firmware=choose(FirmwareOutcome(), spec.firmware),
        logs=choose(LogOutcome(), spec.logs),
    )


def station_config(
    scenario: Scenario, template: StationTemplate | None, identity: str, call_timeout_s: float
) -> StationConfig:
    """The scenario's station, or the template's with the scenario's `local_auth` on top: the
    template shapes the hardware, the scenario says how its tokens are decided (its settings win)."""
    if template is None:
        return config_for(scenario, identity, call_timeout_s)
    config = template.config(identity, call_timeout_s)
    return replace(config, variables=config.variables + local_auth_variables(scenario.station.local_auth))


def config_for_all(scenarios: Sequence[Scenario], identity: str, call_timeout_s: float) -> StationConfig:
    """One station that runs each of `scenarios` in turn (a load user): the most EVSEs, connectors
    and power, the shortest meter interval, and every scenario's `local_auth`, `firmware` and `logs`
    settings — which must agree, or no one station could run them all (ValueError naming the setting)."""
    names = ", ".join(s.name for s in scenarios)
    specs = [scenario.station for scenario in scenarios]
    variables = _agreed(names, "local_auth", [dict(local_auth_variables(spec.local_auth)) for spec in specs])
    firmware = _agreed(names, "firmware", [spec.firmware for spec in specs])
    logs = _agreed(names, "logs", [spec.logs for spec in specs])
    return replace(
        config_for(scenarios[0], identity, call_timeout_s),
        evses=max(spec.evses for spec in specs),
        connectors_per_evse=max(spec.connectors_per_evse for spec in specs),
        max_power_w=max(spec.max_power_kw for spec in specs) * 1000.0,
        meter_interval_s=min(spec.meter_interval for spec in specs),
        variables=tuple(variables.items()),
        firmware=choose(FirmwareOutcome(), firmware),
        logs=choose(LogOutcome(), logs),
    )


def _agreed(names: str, block: str, settings: Sequence[Mapping[str, V]]) -> dict[str, V]:
    """The settings of every scenario's `block` together; ValueError where two set one differently."""
    merged: dict[str, V] = {}
    for each in settings:
        for key, value in each.items():
            if merged.setdefault(key, value) != value:
                raise ValueError(
                    f"scenarios {names} set {block} {key} differently: one station runs them all"
                )
    return merged
