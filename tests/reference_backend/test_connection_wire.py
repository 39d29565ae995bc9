"""The CSMS session on the OCPP-J edge cases: a 2.1 SEND is taken and never answered, and a broken answer
to the CSMS's own CALL fails that CALL without a CALLERROR (a CALLERROR answers only a CALL)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from evharness.ocppj.rpc import CallTimedOut, ErrorReceived, ResultReceived
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import Store

from .helpers import NOW, boot_16, boot_201, call

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21
BOOTS = {V16: boot_16, V201: boot_201, V21: boot_201}
STREAM: dict[str, Any] = {
    "id": 1,
    "pending": 0,
    "basetime": "2025-01-01T00:00:00.000Z",
    "data": [{"t": 0.5, "v": "#4821"}],  # a PIN-like value: it must not reach the log
}

Answered = ResultReceived | ErrorReceived | CallTimedOut


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """SQLite only: these tests are about frames; the store is just what a session needs."""
    opened = Store.from_url(f"sqlite:///{tmp_path / 'backend.sqlite3'}")
    opened.create_schema()
    yield opened
    opened.dispose()


def booted(store: Store, version: OcppVersion) -> CsmsConnection:
    session = CsmsConnection("CP-1", version, store, validate_outgoing=True)
    assert call(session, "BootNotification", BOOTS[version]())["status"] == "Accepted"
    return session


def send_frame(payload: dict[str, Any]) -> bytes:
    return orjson.dumps([6, "s-1", "NotifyPeriodicEventStream", payload])


def test_a_send_on_21_is_taken_logged_masked_and_never_answered(
    sqlite_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="evharness.reference_backend.connection")
    session = booted(sqlite_store, V21)

    session.receive(send_frame(STREAM), NOW)

    assert session.data_to_send() == []
    assert "SEND NotifyPeriodicEventStream" in caplog.text
    assert "4821" not in caplog.text
    assert "currentTime" in call(session, "Heartbeat", {}, "m2")  # the session goes on


def test_a_send_breaking_its_schema_is_logged_and_never_answered(
    sqlite_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    session = booted(sqlite_store, V21)
    session.receive(send_frame({**STREAM, "data": []}), NOW)
    assert session.data_to_send() == []
    assert "data" in caplog.text
    assert "not answered" in caplog.text


@pytest.mark.parametrize(("version", "answer"), [(V16, None), (V201, "MessageTypeNotSupported")])
def test_a_send_before_21_is_an_unknown_message_type(
    sqlite_store: Store, version: OcppVersion, answer: str | None
) -> None:
    session = booted(sqlite_store, version)
    session.receive(send_frame(STREAM), NOW)
    sent = [orjson.loads(text) for text in session.data_to_send()]
    assert sent == ([] if answer is None else [[4, "s-1", answer, sent[0][3], {}]])


@pytest.mark.parametrize("version", list(OcppVersion))
@pytest.mark.parametrize("broken", ['[3, "{id}", []]', '[4, "{id}", "GenericError", "", null]'])
def test_a_broken_answer_to_a_csms_call_fails_it_without_a_callerror(
    sqlite_store: Store, caplog: pytest.LogCaptureFixture, version: OcppVersion, broken: str
) -> None:
    session = booted(sqlite_store, version)
    outcomes: list[Answered] = []
    session.on_answer = outcomes.append
    outgoing = session.send_call("GetLocalListVersion", {}, NOW)
    session.data_to_send()

    session.receive(broken.replace("{id}", outgoing.message_id), NOW + 1)

    sent = [orjson.loads(text) for text in session.data_to_send()]
    if version is V21 and broken.startswith("[3"):
        assert sent == [[5, outgoing.message_id, "ProtocolError", sent[0][3], {}]]  # CALLRESULTERROR
    else:
        assert sent == []
    (outcome,) = outcomes
    assert isinstance(outcome, ErrorReceived)
    assert outcome.call is outgoing
    assert not outcome.from_peer
    assert "malformed" in caplog.text
    assert "currentTime" in call(session, "Heartbeat", {}, "m2")
