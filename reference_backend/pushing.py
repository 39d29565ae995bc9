"""Pushing a station's desired settings over OCPP, now if it is online, else when it next registers.

Every setting whose reported value differs from the desired one (or whose last push did not succeed)
is sent: one ChangeConfiguration per key on 1.6, one SetVariables for all of them on 2.0.1 and 2.1.
Each outcome is recorded on the setting (`push_status`, `push_detail`) and in the audit trail; then the
values are read back (GetConfiguration / GetVariables) and what the station reports is the `reported`
value (an accepted value stands in for it if the station cannot be asked). The CALLs go over the
station's `operations.Link`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status
from evharness.reference_backend.domain.station_settings import SETTINGS
from evharness.reference_backend.operations import Link, Outcome
from evharness.reference_backend.persistence.station_access import StationStore
from evharness.reference_backend.persistence.station_records import SettingRecord


@dataclass(frozen=True)
class Pushed:
    name: str
    value: str
    status: str
    detail: str | None


def due(settings: list[SettingRecord]) -> list[SettingRecord]:
    return [s for s in settings if s.reported != s.desired or s.push_status != Status.ACCEPTED]


async def push_settings(link: Link, store: StationStore, now: Callable[[], datetime]) -> list[Pushed]:
    version = link.version
    with store.begin() as tx:
        station = tx.station(link.identity)
        pending = due(tx.settings(station.id)) if station is not None else []
    if station is None or not pending:
        return []
    if version is OcppVersion.V16:
        results = [await _change_configuration(link, s) for s in pending]
    else:
        results = await _set_variables(link, pending)
    with store.begin() as tx:
        for r in results:
            tx.record_push(station.id, r.name, r.value, r.status, r.detail, now())
            tx.audit(station.id, None, "push", r.name, None, r.value, f"{r.status}: {r.detail or ''}", now())
    names = [s.name for s in pending]
    read = await (_get_configuration if version is OcppVersion.V16 else _get_variables)(link, names)
    with store.begin() as tx:
        for name, value in read.items():
            tx.set_reported(station.id, name, value)
    return results


async def _get_configuration(link: Link, names: list[str]) -> dict[str, str]:
    by_key = {SETTINGS[n].key_16: n for n in names}
    outcome = await link.call(Action.GetConfiguration, {"key": sorted(by_key)})
    entries: list[Payload] = (outcome.payload or {}).get("configurationKey", [])
    return {by_key[e["key"]]: e["value"] for e in entries if e["key"] in by_key and "value" in e}


async def _get_variables(link: Link, names: list[str]) -> dict[str, str]:
    by_place = {(SETTINGS[n].component, SETTINGS[n].variable): n for n in names}
    data = [{"component": {"name": c}, "variable": {"name": v}} for c, v in by_place]
    outcome = await link.call(Action.GetVariables, {"getVariableData": data})
    results: list[Payload] = (outcome.payload or {}).get("getVariableResult", [])
    return {
        by_place[place]: r["attributeValue"]
        for r in results
        if (place := (r["component"]["name"], r["variable"]["name"])) in by_place
        and r.get("attributeStatus") == Status.ACCEPTED
        and "attributeValue" in r
    }


async def _change_configuration(link: Link, setting: SettingRecord) -> Pushed:
    key = SETTINGS[setting.name].key_16
    outcome = await link.call(Action.ChangeConfiguration, {"key": key, "value": setting.desired})
    return Pushed(setting.name, setting.desired, outcome.status, outcome.detail)


async def _set_variables(link: Link, pending: list[SettingRecord]) -> list[Pushed]:
    data = [
        {
            "attributeValue": s.desired,
            "component": {"name": SETTINGS[s.name].component},
            "variable": {"name": SETTINGS[s.name].variable},
        }
        for s in pending
    ]
    outcome = await link.call(Action.SetVariables, {"setVariableData": data})
    return [
        Pushed(
            s.name,
            s.desired,
            *_variable_status(outcome, SETTINGS[s.name].component, SETTINGS[s.name].variable),
        )
        for s in pending
    ]


def _variable_status(outcome: Outcome, component: str, variable: str) -> tuple[str, str | None]:
    if outcome.payload is None:
        return outcome.status, outcome.detail
    results: list[Payload] = outcome.payload.get("setVariableResult", [])
    for result in results:
        if result["component"]["name"] == component and result["variable"]["name"] == variable:
            info = result.get("attributeStatusInfo") or {}
            return str(result["attributeStatus"]), info.get("reasonCode")
    return "CallError", "the station's answer did not mention this variable"
