"""Provision the reference backend for a run: the target file's stations and tokens, and the
charging features' stations. Only used when the plugin starts the reference backend itself."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import scenarios
from evharness.conformance.config import TargetConfig
from evharness.idtokens import WIRE_TYPE_TO_ID_TYPE, IdType
from reference_backend.domain.credentials import hash_password
from reference_backend.persistence import ProvisionedIdentification, Store
from reference_backend.persistence.station_security import SecurityRecords
from reference_backend.seed import EXPIRED_ON, seed

# token role in the target file → (blocked, active, expired); absent roles are unknown to the CSMS
HELD_AS: dict[str, tuple[bool, bool, bool]] = {
    "valid": (False, True, False),
    "valid_pin": (False, True, False),
    "blocked": (True, True, False),
    "expired": (False, True, True),
    "master": (False, True, False),
}
# token role → the target file's feature naming its group (C09 groupIdToken, C16 master pass)
GROUP_OF: dict[str, str] = {"valid": "group_id", "master": "master_pass"}


def provision_reference_backend(
    database_url: str,
    config: TargetConfig,
    charging_scenarios: Iterable[str],
    charging_stations: int,
    id_prefix: str,
) -> None:
    for name in charging_scenarios:
        seed(database_url, scenarios.load(name), charging_stations, id_prefix)
    store = Store.from_url(database_url)
    try:
        store.create_schema()
        now = datetime.now(UTC)
        for version, entry in config.stations.items():
            station_id, _ = store.ensure_station(entry.identity, now, version.value)
            store.set_basic_auth_hash(station_id, hash_password(entry.password) if entry.password else None)
            # the OCTT's stations may connect on profile 0: their lists keep the PINs (docs/security.md)
            SecurityRecords(store.engine).save(entry.identity, pins_on_profile_0=True)
            wanted = []
            for role, (blocked, active, expired) in HELD_AS.items():
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
                        blocked=blocked,
                        active=active,
                        expires_at=EXPIRED_ON if expired else None,
                        group_id=str(group) if group else None,
                    )
                )
            unknown = [config.token(role).id_token for role in config.tokens if role not in HELD_AS]
            store.provision(station_id, wanted, remove=unknown)
    finally:
        store.dispose()
