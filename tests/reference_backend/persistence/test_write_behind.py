"""Meter samples are written behind (`Store.flush`): readers never see less than before, only later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reference_backend.domain.metering import samples_v16
from reference_backend.persistence import BootInfo, Store

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def register(minutes: int, wh: float) -> dict[str, object]:
    at = (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"timestamp": at, "sampledValue": [{"value": str(wh)}]}


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'behind.sqlite3'}"


def test_buffered_samples_are_in_the_records_at_once_and_in_the_database_after_a_flush(url: str) -> None:
    writer, reader = Store.from_url(url), Store.from_url(url)
    try:
        writer.create_schema()
        station = writer.register_boot("CP-1", "1.6", BootInfo("V", "M"), T0)
        tx = writer.start_transaction(station, started_at=T0, evse_id=1, connector_id=1, meter_start_wh=100.0)
        writer.add_meter_samples(station, list(samples_v16([register(1, 400.0), register(2, 900.0)])), tx, 1)
        # the writer's own records include what is buffered …
        record = writer.transaction(station, tx)
        assert record is not None
        assert record.meter_last_wh == 900.0
        # … another process's reader sees it once flushed
        assert reader.meter_values(tx) == []
        writer.flush()
        assert [m.value for m in reader.meter_values(tx)] == [400.0, 900.0]
        seen = reader.transaction(station, tx)
        assert seen is not None
        assert seen.meter_last_wh == 900.0
    finally:
        writer.dispose()
        reader.dispose()


def test_stopping_a_transaction_writes_its_samples_first_and_takes_the_last_reading(url: str) -> None:
    store = Store.from_url(url)
    try:
        store.create_schema()
        station = store.register_boot("CP-1", "1.6", BootInfo("V", "M"), T0)
        tx = store.start_transaction(station, started_at=T0, evse_id=1, connector_id=1, meter_start_wh=0.0)
        store.add_meter_samples(station, list(samples_v16([register(30, 5500.0)])), tx, 1)
        store.stop_transaction(tx, T0 + timedelta(minutes=31), "Local")  # no meter stop: the last reading
    finally:
        store.dispose()
    reopened = Store.from_url(url)
    try:
        (record,) = reopened.transactions("CP-1")
        assert record.meter_stop_wh == 5500.0
        assert record.energy_wh == 5500.0
    finally:
        reopened.dispose()


def test_dispose_writes_what_is_buffered(url: str) -> None:
    store = Store.from_url(url)
    store.create_schema()
    station = store.register_boot("CP-1", "1.6", BootInfo("V", "M"), T0)
    store.add_meter_samples(station, list(samples_v16([register(1, 10.0)])))
    store.dispose()
    reopened = Store.from_url(url)
    try:
        assert reopened.row_counts()["meter_values"] == 1
    finally:
        reopened.dispose()


def test_a_naive_sample_timestamp_is_refused_when_added_not_at_the_flush(url: str) -> None:
    from reference_backend.domain.metering import Sample

    store = Store.from_url(url)
    try:
        store.create_schema()
        station = store.register_boot("CP-1", "1.6", BootInfo("V", "M"), T0)
        with pytest.raises(ValueError, match="naive"):
            store.add_meter_samples(
                station, [Sample(datetime(2025, 3, 1), "Energy.Active.Import.Register", 1.0, "Wh")]
            )
        store.flush()
        assert store.row_counts()["meter_values"] == 0
    finally:
        store.dispose()
