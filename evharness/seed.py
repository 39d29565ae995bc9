"""`evharness seed`: put into the database what a scenario expects of the CSMS.

For each station `{prefix}-0001` …: the identification types the scenario's station enables (if
it names them), and for each scenario token one local user with one identification, held as the
token's `provisioning` says; plus a few faker users with their own active RFID cards, as noise.
Faker is seeded per station, so a second run writes the same names and codes again and the row
counts stay as they are (upsert by station and code).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from faker import Faker

from evharness import scenarios
from evharness.identities import station_identity
from evharness.idtokens import IdType, normalize
from evharness.reference_backend.persistence import ProvisionedIdentification, Store
from evharness.reference_backend.persistence.station_security import SecurityRecords
from evharness.scenarios import ScenarioError
from evharness.scenarios.model import Provision, Scenario, Token

EXTRA_USERS_PER_STATION = 3
EXTRA_CARD_BYTES = 7  # ISO 14443 double-size UID
# Always in the past, and the same on every run, so seeding twice changes nothing.
EXPIRED_ON = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SeedReport:
    stations_created: int = 0
    stations_existing: int = 0
    users_created: int = 0
    identifications_created: int = 0
    identifications_updated: int = 0
    identifications_removed: int = 0

    def summary(self) -> str:
        return (
            f"stations: {self.stations_created} created, {self.stations_existing} already there; "
            f"local users: {self.users_created} created; "
            f"identifications: {self.identifications_created} created, "
            f"{self.identifications_updated} updated, {self.identifications_removed} removed"
        )


def provisioned(token: Token, fake: Faker) -> ProvisionedIdentification | None:
    """How a scenario token is held on a station; None for a token the CSMS must not know."""
    state = token.provisioning
    if state is Provision.ABSENT:
        return None
    return ProvisionedIdentification(
        type=token.type,
        code=token.code,
        first_name=token.first_name or fake.first_name(),
        last_name=token.last_name or fake.last_name(),
        blocked=state is Provision.BLOCKED,
        active=state is not Provision.INACTIVE,
        expires_at=EXPIRED_ON if state is Provision.EXPIRED else None,
    )


def extra_cards(fake: Faker, taken: set[str]) -> Iterator[ProvisionedIdentification]:
    """Faker users with active RFID cards whose codes differ from every code in `taken`."""
    made = 0
    while made < EXTRA_USERS_PER_STATION:
        code = normalize(IdType.RFID, fake.hexify("^" * (2 * EXTRA_CARD_BYTES), upper=True))
        if code in taken:
            continue
        taken.add(code)
        made += 1
        yield ProvisionedIdentification(IdType.RFID, code, fake.first_name(), fake.last_name())


def seed(
    database_url: str,
    scenario: Scenario | str | Path,
    stations: int,
    id_prefix: str = "SIM",
    protocol: str | None = None,
    pins_on_profile_0: bool = False,
) -> SeedReport:
    """Provision `stations` stations for `scenario` (a Scenario, a file or a bundled name).
    `pins_on_profile_0`: their local lists keep PINs though they connect without security (a lab's
    explicit choice, docs/security.md)."""
    plan = scenario if isinstance(scenario, Scenario) else scenarios.load(scenario)
    store = Store.from_url(database_url)
    try:
        store.create_schema()
        report = _seed_stations(store, plan, stations, id_prefix, protocol)
        if pins_on_profile_0:
            records = SecurityRecords(store.engine)
            for number in range(1, stations + 1):
                records.save(station_identity(id_prefix, number), pins_on_profile_0=True)
        return report
    finally:
        store.dispose()


def _seed_stations(
    store: Store, plan: Scenario, count: int, id_prefix: str, protocol: str | None
) -> SeedReport:
    fake = Faker()
    now = datetime.now(UTC)
    totals = dict.fromkeys(SeedReport.__dataclass_fields__, 0)
    for number in range(1, count + 1):
        identity = station_identity(id_prefix, number)
        try:
            tokens = plan.for_station(identity).tokens  # each station its own `{n}` codes
        except ValueError as exc:
            raise ScenarioError(str(exc)) from None
        absent = [token.code for token in tokens if token.provisioning is Provision.ABSENT]
        station_id, created = store.ensure_station(identity, now, protocol)
        totals["stations_created" if created else "stations_existing"] += 1
        if plan.station.identification_types is not None:  # else the station keeps what it has
            store.set_identification_types(station_id, plan.station.identification_types)
        # Two seeds: the noise users stay the same whichever scenario is seeded.
        fake.seed_instance(zlib.crc32(f"{identity}/tokens".encode()))
        wanted = [item for token in tokens if (item := provisioned(token, fake)) is not None]
        fake.seed_instance(zlib.crc32(f"{identity}/noise".encode()))
        wanted.extend(extra_cards(fake, taken={token.code.upper() for token in tokens}))
        counts = store.provision(station_id, wanted, remove=absent)
        totals["users_created"] += counts.users_created
        totals["identifications_created"] += counts.identifications_created
        totals["identifications_updated"] += counts.identifications_updated
        totals["identifications_removed"] += counts.identifications_removed
    return SeedReport(**totals)
