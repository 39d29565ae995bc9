"""Provision the reference backend for the packaged suites: what `requirements.needs` lists.

Used by the plugin when it starts the reference backend itself, and by `evharness provision
--database-url URL` for a reference backend you run (`evharness backend`). Idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from evharness.conformance.config import TargetConfig
from evharness.conformance.requirements import CHARGING_SCENARIOS, CHARGING_STATIONS, GROUP_OF, ROLE_PROVISION
from evharness.idtokens import WIRE_TYPE_TO_ID_TYPE, IdType
from evharness.reference_backend.domain.credentials import hash_password
from evharness.reference_backend.persistence import ProvisionedIdentification, Store
from evharness.reference_backend.persistence.station_security import SecurityRecords
from evharness.scenarios.model import Provision
from evharness.seed import EXPIRED_ON, seed


def provision_reference_backend(
    database_url: str,
    config: TargetConfig,
    id_prefix: str,
    charging_stations: int = CHARGING_STATIONS,
    charging_scenarios: Iterable[str] = CHARGING_SCENARIOS,
) -> None:
    for name in charging_scenarios:
        seed(database_url, name, charging_stations, id_prefix)
    store = Store.from_url(database_url)
    try:
        store.create_schema()
        now = datetime.now(UTC)
        held = {role: how for role, how in ROLE_PROVISION.items() if how is not Provision.ABSENT}
        for version, entry in config.stations.items():
            station_id, _ = store.ensure_station(entry.identity, now, version.value)
            store.set_basic_auth_hash(station_id, hash_password(entry.password) if entry.password else None)
            # the OCTT's stations may connect on profile 0: their lists keep the PINs (docs/security.md)
            SecurityRecords(store.engine).save(entry.identity, pins_on_profile_0=True)
            wanted = []
            for role, how in held.items():
                if role not in config.tokens:
                    continue  # optional roles (master)
                token = config.token(role)
                group = config.features.get(GROUP_OF.get(role, ""))
                wanted.append(
                    ProvisionedIdentification(
                        type=WIRE_TYPE_TO_ID_TYPE.get(token.type, IdType.RFID),
                        code=token.id_token,
                        first_name="OCTT",
                        last_name=role,
                        blocked=how is Provision.BLOCKED,
                        active=how is not Provision.INACTIVE,
                        expires_at=EXPIRED_ON if how is Provision.EXPIRED else None,
                        group_id=str(group) if group else None,
                    )
                )
            unknown = [config.token(role).id_token for role in config.tokens if role not in held]
            store.provision(station_id, wanted, remove=unknown)
    finally:
        store.dispose()
