"""Group commit (`persistence.group_commit`): what the store accepted is in its records at once, in the
database once its group is committed, and a failed commit is reported to exactly those who wait for it."""

from __future__ import annotations

import asyncio
import functools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from evharness.reference_backend.domain.metering import (
    MeterChange,
    Sample,
    meter_change,
    registers,
    samples_v16,
)
from evharness.reference_backend.persistence import BootInfo, Store
from evharness.reference_backend.persistence.group_commit import CommitFailed, GroupCommitter

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def register(minutes: int, wh: float) -> dict[str, object]:
    at = (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"timestamp": at, "sampledValue": [{"value": str(wh)}]}


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'behind.sqlite3'}"


def moved(store: Store, station: int, tx: int, samples: list[Sample]) -> MeterChange:
    record = store.transaction(station, tx)
    assert record is not None
    return meter_change(record.meter_start_wh, record.last_register, registers(samples))


def test_accepted_samples_are_in_the_records_at_once_and_in_the_database_after_the_commit(url: str) -> None:
    writer, reader = Store.from_url(url), Store.from_url(url)
    try:
        writer.create_schema()
        station = writer.register_boot("CP-1", "1.6", BootInfo("V", "M"), T0)
        tx = writer.start_transaction(station, started_at=T0, evse_id=1, connector_id=1, meter_start_wh=100.0)
        samples = list(samples_v16([register(1, 400.0), register(2, 900.0)]))
        writer.add_meter_samples(station, samples, tx, 1, moved(writer, station, tx, samples))
        # the writer's own records include what is accepted …
        record = writer.transaction(station, tx)
        assert record is not None
        assert record.meter_last_wh == 900.0
        # … another process's reader sees it once committed
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
        samples = list(samples_v16([register(30, 5500.0)]))
        store.add_meter_samples(station, samples, tx, 1, moved(store, station, tx, samples))
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


@dataclass
class Box:
    """A batch: the numbers added to it."""

    numbers: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.numbers)


def _append(box: Box, number: int) -> None:
    box.numbers.append(number)


def test_what_arrives_during_a_commit_is_committed_together_next() -> None:
    committing, release = threading.Event(), threading.Event()
    written: list[list[int]] = []

    def write(box: Box) -> None:
        committing.set()
        release.wait(10)
        written.append(list(box.numbers))

    committer: GroupCommitter[Box] = GroupCommitter(Box, write)
    try:
        with committer.tracking() as first:
            committer.add(lambda box: box.numbers.append(0))
        assert committing.wait(10)  # the first commit runs and waits …
        spans = []
        for n in range(1, 6):  # … while five more arrive
            with committer.tracking() as tracked:
                committer.add(functools.partial(_append, number=n))
            spans.append(tracked.span)
        release.set()
        for span in [first.span, *spans]:
            committer.wait(span)
        assert written == [[0], [1, 2, 3, 4, 5]]  # two commits for six changes
        assert len({span.last for span in spans}) == 1
    finally:
        release.set()
        committer.close()


def test_a_failed_commit_fails_its_waiters_only_and_the_committer_goes_on() -> None:
    def write(box: Box) -> None:
        if -1 in box.numbers:
            raise RuntimeError("disk full")

    committer: GroupCommitter[Box] = GroupCommitter(Box, write)
    try:
        with committer.tracking() as bad:
            committer.add(lambda box: box.numbers.append(-1))
        with pytest.raises(CommitFailed, match="disk full"):
            committer.wait(bad.span)
        with committer.tracking() as good:
            committer.add(lambda box: box.numbers.append(1))
        committer.wait(good.span)  # no error: a later commit went through

        async def waits() -> None:
            await committer.settled(good.span)
            with pytest.raises(CommitFailed):
                await committer.settled(bad.span)

        asyncio.run(waits())
        assert committer.commits == 1
    finally:
        committer.close()


def test_what_is_in_flight_stays_readable_until_it_is_committed() -> None:
    committing, release = threading.Event(), threading.Event()

    def write(box: Box) -> None:
        committing.set()
        release.wait(10)

    committer: GroupCommitter[Box] = GroupCommitter(Box, write)
    try:
        committer.add(lambda box: box.numbers.append(7))
        assert committing.wait(10)
        assert committer.read(lambda boxes: [n for b in boxes for n in b.numbers]) == [7]
        release.set()
        committer.flush()
        assert committer.read(lambda boxes: [n for b in boxes for n in b.numbers]) == []
    finally:
        release.set()
        committer.close()
