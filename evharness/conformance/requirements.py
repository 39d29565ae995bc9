"""What a CSMS must know before the packaged suites run against it: one list, read by `evharness
provision` (which creates it in the reference backend's database) and printed for any other CSMS
(`evharness provision --print`).

The conformance suite needs the target file's stations (one per OCPP version, with its Basic-auth
password) and tokens, each held as its role says; the charging suite needs the stations
`--id-prefix`-0001 … and the bundled charging scenarios' tokens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from evharness import scenarios
from evharness.conformance.config import TargetConfig
from evharness.identities import station_identity
from evharness.scenarios.model import Provision

CHARGING_SCENARIOS = ("pin_charging", "rfid_charging")  # what evharness/suites/charging presents
CHARGING_STATIONS = 40  # stations PREFIX-0001 … PREFIX-0040

# token role in the target file → how the CSMS holds it (absent roles: the CSMS must not know the code)
ROLE_PROVISION: dict[str, Provision] = {
    "valid": Provision.ACTIVE,
    "valid_pin": Provision.ACTIVE,
    "blocked": Provision.BLOCKED,
    "expired": Provision.EXPIRED,
    "master": Provision.ACTIVE,
    "invalid": Provision.ABSENT,
    "invalid_pin": Provision.ABSENT,
}
# token role → the target file's feature naming its group (C09 groupIdToken, C16 master pass)
GROUP_OF: dict[str, str] = {"valid": "group_id", "master": "master_pass"}


@dataclass(frozen=True)
class StationNeed:
    identity: str
    suite: str
    version: str = "any"
    password: str | None = None


@dataclass(frozen=True)
class TokenNeed:
    code: str
    type: str  # the target file's IdTokenEnumType, or the scenario's pin / rfid
    provision: Provision
    suite: str
    stations: str  # which stations must hold it
    group: str | None = None


@dataclass(frozen=True)
class Needs:
    stations: tuple[StationNeed, ...]
    tokens: tuple[TokenNeed, ...]


def needs(
    config: TargetConfig,
    id_prefix: str,
    charging_stations: int = CHARGING_STATIONS,
    charging_scenarios: Iterable[str] = CHARGING_SCENARIOS,
) -> Needs:
    conformance = "conformance"
    stations = [
        StationNeed(entry.identity, conformance, version.value, entry.password)
        for version, entry in config.stations.items()
    ]
    stations += [
        StationNeed(f"{id_prefix}-{number:04d}", "charging") for number in range(1, charging_stations + 1)
    ]
    conformance_ids = ", ".join(entry.identity for entry in config.stations.values())
    tokens = [
        TokenNeed(
            token.id_token,
            token.type,
            ROLE_PROVISION.get(role, Provision.ABSENT),
            f"{conformance} ({role})",
            conformance_ids,
            str(config.features.get(GROUP_OF.get(role, "")) or "") or None,
        )
        for role, token in config.tokens.items()
    ]
    charging_ids = f"{id_prefix}-0001 … {id_prefix}-{charging_stations:04d}"
    identities = [station_identity(id_prefix, number) for number in range(1, charging_stations + 1)]
    for name in charging_scenarios:
        scenario = scenarios.load(name)
        for index, token in enumerate(scenario.tokens):
            # a `{n}` code is one code per station (each station presents its own)
            held = (
                [(s.tokens[index].code, i) for i in identities for s in [scenario.for_station(i)]]
                if token.template
                else [(token.code, charging_ids)]
            )
            tokens.extend(
                TokenNeed(code, token.type.value, token.provisioning, f"charging ({name}: {token.id})", at)
                for code, at in held
            )
    return Needs(tuple(stations), tuple(tokens))


def render(wanted: Needs) -> str:
    """The list as plain text, for a person provisioning their CSMS by hand."""
    lines = ["Stations the CSMS must accept (BootNotification Accepted):"]
    shown = [s for s in wanted.stations if s.suite != "charging"]
    charging = [s for s in wanted.stations if s.suite == "charging"]
    for station in shown:
        password = f", HTTP Basic password {station.password!r}" if station.password else ""
        lines.append(f"  {station.identity:<16} OCPP {station.version}  ({station.suite}{password})")
    if charging:
        lines.append(f"  {charging[0].identity} … {charging[-1].identity}  any OCPP version  (charging)")
    lines += [
        "",
        "Tokens (provision as: active, blocked, expired, inactive; absent = the CSMS must not know it):",
    ]
    for token in wanted.tokens:
        group = f", group {token.group}" if token.group else ""
        lines.append(
            f"  {token.code:<16} {token.type:<9} {token.provision.value:<9} at {token.stations}  "
            f"[{token.suite}{group}]"
        )
    return "\n".join(lines) + "\n"
