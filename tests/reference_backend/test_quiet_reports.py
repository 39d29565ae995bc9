"""A Heartbeat, or a StatusNotification that repeats what is known, writes nothing (issue 17).

Counted with SQLAlchemy's statement events on the store's engines, group commit included.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.liveness import HEARTBEAT_WRITE_EVERY

from .counting import statements
from .helpers import NOW, T0, at, boot_16, boot_201, call

BOOTS = {OcppVersion.V16: boot_16, OcppVersion.V201: boot_201}
CHANGED = {OcppVersion.V16: "Preparing", OcppVersion.V201: "Occupied"}


def booted(store: Store, version: OcppVersion) -> CsmsConnection:
    session = CsmsConnection("CP-1", version, store, heartbeat_interval=60)
    call(session, "BootNotification", BOOTS[version]())
    return session


def status(version: OcppVersion, state: str, minutes: float) -> dict[str, object]:
    if version is OcppVersion.V16:
        return {"connectorId": 1, "status": state, "errorCode": "NoError", "timestamp": at(minutes)}
    return {"timestamp": at(minutes), "connectorStatus": state, "evseId": 1, "connectorId": 1}


@pytest.mark.parametrize("version", list(BOOTS))
def test_a_heartbeat_writes_nothing(store: Store, version: OcppVersion) -> None:
    session = booted(store, version)
    call(session, "Heartbeat", {}, "h1")
    store.flush()
    with statements(store) as seen:
        for n in range(1, 6):
            call(session, "Heartbeat", {}, f"h{n + 1}", now=NOW + 60 * n)
        store.flush()
    assert seen == []
    station = store.station("CP-1")
    assert station is not None
    assert station.last_heartbeat_at == T0 + timedelta(minutes=5)  # the latest, from memory


@pytest.mark.parametrize("version", list(BOOTS))
def test_a_repeated_status_writes_nothing_a_change_writes(store: Store, version: OcppVersion) -> None:
    session = booted(store, version)
    call(session, "StatusNotification", status(version, "Available", 1), "s1")
    store.flush()
    with statements(store) as repeated:
        call(session, "StatusNotification", status(version, "Available", 2), "s2")
        store.flush()
    with statements(store) as changed:
        call(session, "StatusNotification", status(version, CHANGED[version], 3), "s3")
        store.flush()
    assert repeated == []
    assert any(s.lstrip().upper().startswith("UPDATE CONNECTORS") for s in changed)


def test_heartbeats_are_written_once_per_interval_and_at_shutdown(database_url: str) -> None:
    store = Store.from_url(database_url)
    store.create_schema()
    session = booted(store, OcppVersion.V201)
    every = HEARTBEAT_WRITE_EVERY.total_seconds()
    with statements(store) as seen:
        for n in range(4):  # the first, one within the interval, one past it, one within again
            call(session, "Heartbeat", {}, f"h{n}", now=NOW + (0, every / 2, every + 1, every + 2)[n])
            store.flush()  # each in a group commit of its own
    assert sum("last_heartbeat_at" in s for s in seen) == 2
    store.dispose()
    reopened = Store.from_url(database_url)
    try:
        station = reopened.station("CP-1")
        assert station is not None
        assert station.last_heartbeat_at == T0 + timedelta(seconds=every + 2)  # written at shutdown
    finally:
        reopened.dispose()
