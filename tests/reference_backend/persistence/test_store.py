"""The store on real databases (SQLite file; PostgreSQL with the `postgres` mark)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from evharness.idtokens import IdType
from evharness.reference_backend.domain.metering import Register, meter_change, registers, samples_v16
from evharness.reference_backend.persistence import BootInfo, ProvisionedIdentification, Store, TokenUse

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def booted(store: Store, identity: str = "CP-1") -> int:
    return store.register_boot(identity, "1.6", BootInfo("Vendor", "Model", "SN-1", "1.0"), T0)


def register_sample(minutes: int, wh: float) -> dict[str, object]:
    at = (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "timestamp": at,
        "sampledValue": [
            {"value": str(wh)},
            {"value": "7200", "measurand": "Power.Active.Import", "unit": "W"},
        ],
    }


def test_boot_registers_once_and_updates_after(store: Store) -> None:
    first = booted(store)
    again = store.register_boot(
        "CP-1", "2.0.1", BootInfo("Vendor", "Model2", reason="PowerUp"), T0 + timedelta(hours=1)
    )
    assert first == again
    station = store.station("CP-1")
    assert station is not None
    assert (station.protocol, station.model, station.booted_at) == (
        "2.0.1",
        "Model2",
        T0 + timedelta(hours=1),
    )
    assert station.registered_at == T0
    assert station.enabled_types == frozenset(IdType)
    assert store.find_station_id("nobody") is None


def test_timestamps_come_back_as_utc(store: Store) -> None:
    station_id = booted(store)
    store.record_heartbeat(station_id, datetime(2025, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=2))))
    station = store.station("CP-1")
    assert station is not None
    assert station.last_heartbeat_at == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert station.last_heartbeat_at.tzinfo is UTC
    with pytest.raises((ValueError, sa.exc.StatementError), match="naive"):
        store.record_heartbeat(station_id, datetime(2025, 3, 1, 10, 0))


def test_connector_status_is_upserted(store: Store) -> None:
    station_id = booted(store)
    store.record_connector_status(station_id, 1, 1, "Available", None, T0)
    store.record_connector_status(station_id, 1, 1, "Charging", None, T0 + timedelta(minutes=1))
    store.record_connector_status(station_id, 2, 1, "Faulted", "GroundFailure", T0)
    assert store.connector_statuses(station_id) == {(1, 1): "Charging", (2, 1): "Faulted"}


def test_a_transaction_with_its_meter_values_and_energy(store: Store) -> None:
    station_id = booted(store)
    tx = store.start_transaction(
        station_id,
        started_at=T0,
        evse_id=1,
        connector_id=1,
        meter_start_wh=1000.0,
        token=TokenUse("#1234", "pin", "Accepted", None),
    )
    samples = list(samples_v16([register_sample(1, 1500), register_sample(2, 2200)]))
    change = meter_change(1000.0, Register(T0, 1000.0), registers(samples))
    store.add_meter_samples(station_id, samples, tx, 1, change)
    running = store.transaction(station_id, tx)
    assert running is not None
    assert running.running
    assert running.energy_wh == 1200.0
    assert store.running_transaction(station_id, 1) == running
    store.stop_transaction(tx, T0 + timedelta(minutes=3), "EVDisconnected", 3000.0)
    (record,) = store.transactions("CP-1")
    assert (record.state, record.stop_reason, record.meter_stop_wh) == ("ended", "EVDisconnected", 3000.0)
    assert record.energy_wh == 2000.0
    assert record.stopped_at == T0 + timedelta(minutes=3)
    assert store.running_transaction(station_id, 1) is None
    values = store.meter_values(tx)
    assert [(v.measurand, v.value) for v in values] == [
        ("Energy.Active.Import.Register", 1500.0),
        ("Power.Active.Import", 7200.0),
        ("Energy.Active.Import.Register", 2200.0),
        ("Power.Active.Import", 7200.0),
    ]
    assert values[0].timestamp == T0 + timedelta(minutes=1)


def test_a_repeated_16_start_is_the_same_transaction(store: Store) -> None:
    station_id = booted(store)
    token = TokenUse("ABCD1234", "rfid", "Accepted", None)
    first = store.start_transaction(station_id, started_at=T0, evse_id=1, meter_start_wh=0.0, token=token)
    again = store.start_transaction(station_id, started_at=T0, evse_id=1, meter_start_wh=0.0, token=token)
    later = store.start_transaction(
        station_id, started_at=T0 + timedelta(seconds=1), evse_id=1, meter_start_wh=0.0, token=token
    )
    assert first == again != later


def test_201_transactions_by_reference_tolerate_out_of_order_events(store: Store) -> None:
    station_id = booted(store)
    updated = store.open_transaction(station_id, "tx-a", T0 + timedelta(minutes=5)).record
    late = list(samples_v16([register_sample(5, 900)]))
    store.add_meter_samples(station_id, late, updated.id, None, meter_change(None, None, registers(late)))
    opened = store.open_transaction(station_id, "tx-a", T0, evse_id=1, connector_id=1)
    started = opened.record
    assert opened.placed  # its EVSE became known now
    assert updated.id == started.id
    assert (started.started_at, started.evse_id) == (T0, 1)
    assert started.meter_last_wh == 900.0  # accepted, maybe not committed yet: the record says it
    begin = list(samples_v16([register_sample(0, 100)]))
    change = meter_change(started.meter_start_wh, started.last_register, registers(begin), new_start_wh=100.0)
    store.add_meter_samples(station_id, begin, started.id, None, change)
    store.stop_transaction(started.id, T0 + timedelta(minutes=6), "Local")
    (record,) = store.transactions("CP-1")
    assert (record.meter_start_wh, record.meter_stop_wh, record.energy_wh) == (100.0, 900.0, 800.0)
    assert record.transaction_ref == "tx-a"


def provisioned(code: str, **changes: object) -> ProvisionedIdentification:
    id_type = IdType.PIN if code.startswith("#") else IdType.RFID
    return ProvisionedIdentification(id_type, code, "Ada", "Lovelace", **changes)  # type: ignore[arg-type]


def test_token_facts_come_from_one_lookup(store: Store) -> None:
    station_id = booted(store)
    expiry = T0 + timedelta(days=30)
    store.provision(
        station_id,
        [
            provisioned("#1234"),
            provisioned("04a2b3c4", blocked=True),
            provisioned("#5555", active=False, expires_at=expiry),
        ],
    )
    pin = store.lookup_token(station_id, IdType.PIN, "#1234")
    assert pin.identification is not None
    assert pin.identification_id is not None
    assert not pin.identification.user_blocked
    assert pin.enabled_types == frozenset(IdType)
    card = store.lookup_token(station_id, IdType.RFID, "04A2B3C4")  # idTokens are case-insensitive
    assert card.identification is not None
    assert card.identification.user_blocked
    inactive = store.lookup_token(station_id, IdType.PIN, "#5555").identification
    assert inactive is not None
    assert (inactive.active, inactive.expires_at) == (False, expiry)
    assert store.lookup_token(station_id, IdType.RFID, "#1234").identification is None  # wrong type
    assert store.lookup_token(station_id, IdType.PIN, "#0000").identification is None
    assert store.lookup_token(station_id, None, "#1234").identification is None
    store.set_identification_types(station_id, [IdType.RFID])
    assert store.lookup_token(station_id, IdType.PIN, "#1234").enabled_types == frozenset({IdType.RFID})


def test_a_running_transaction_makes_the_token_busy_for_others(store: Store) -> None:
    station_id = booted(store)
    store.provision(station_id, [provisioned("#1234")])
    ident = store.lookup_token(station_id, IdType.PIN, "#1234").identification_id
    tx = store.start_transaction(
        station_id, started_at=T0, evse_id=1, token=TokenUse("#1234", "pin", "Accepted", ident)
    )
    facts = store.lookup_token(station_id, IdType.PIN, "#1234")
    assert facts.identification is not None
    assert facts.identification.in_other_transaction
    itself = store.lookup_token(station_id, IdType.PIN, "#1234", exclude_transaction=tx).identification
    assert itself is not None
    assert not itself.in_other_transaction
    store.stop_transaction(tx, T0 + timedelta(minutes=1), "Local")
    after = store.lookup_token(station_id, IdType.PIN, "#1234").identification
    assert after is not None
    assert not after.in_other_transaction


def test_provisioning_is_idempotent_and_removes_what_must_be_absent(store: Store) -> None:
    station_id = booted(store)
    wanted = [provisioned("#1234"), provisioned("DEADBEEF")]
    first = store.provision(station_id, wanted)
    counts = store.row_counts()
    second = store.provision(station_id, wanted)
    assert (first.identifications_created, first.users_created) == (2, 2)
    assert (second.identifications_created, second.identifications_updated) == (0, 2)
    assert store.row_counts() == counts
    removed = store.provision(station_id, [provisioned("#1234")], remove=["deadbeef"])
    assert removed.identifications_removed == 1
    assert store.row_counts()["identifications"] == 1
    assert store.row_counts()["local_users"] == 1
