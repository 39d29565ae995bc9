"""A station CALL the backend refuses is logged at INFO once per station and action (issue 20), so an
operator sees what their chargers send that goes unanswered, without a line per message."""

from __future__ import annotations

import logging

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.notices import Notices
from evharness.reference_backend.persistence import Store

from .helpers import boot_16, call, exchange, frame


def refusals(caplog: pytest.LogCaptureFixture, identity: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.INFO
        and r.name == "evharness.reference_backend.connection"
        and identity in r.getMessage()
    ]


def test_a_refused_action_is_logged_once_per_station_and_action(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    notices = Notices()  # one per server: shared by a station's connections
    first = CsmsConnection("RF-1", OcppVersion.V16, store, notices=notices)
    with caplog.at_level(logging.INFO, logger="evharness.reference_backend.connection"):
        # not booted yet: SecurityError, twice → one line
        for n in range(2):
            answer = exchange(first, frame(f"h{n}", "Heartbeat", {}))
            assert answer[2] == "SecurityError"
        call(first, "BootNotification", boot_16(), message_id="boot")
        # an action 1.6 has and this CSMS does not handle (one the CSMS sends, not a station): NotSupported,
        # on two connections → one line
        again = CsmsConnection("RF-1", OcppVersion.V16, store, notices=notices)
        for session in (first, again, first):
            answer = exchange(session, frame("d", "ClearCache", {}))
            assert answer[2] == "NotSupported"
        other = CsmsConnection("RF-2", OcppVersion.V16, store, notices=notices)
        exchange(other, frame("d", "ClearCache", {}))
    lines = refusals(caplog, "RF-1")
    assert len(lines) == 2, lines
    assert any("Heartbeat refused with SecurityError" in line for line in lines)
    assert any("ClearCache refused with NotSupported" in line for line in lines)
    assert len(refusals(caplog, "RF-2")) == 1  # another station is another notice


@pytest.mark.parametrize(
    ("version", "code"), [(OcppVersion.V16, "NotImplemented"), (OcppVersion.V201, "NotImplemented")]
)
def test_an_action_the_version_does_not_have_is_logged_once_too(
    store: Store, caplog: pytest.LogCaptureFixture, version: OcppVersion, code: str
) -> None:
    """The RPC layer answers an unknown action itself (a vendor's own message): the operator sees it
    once per station and action, like the handlers' refusals."""
    notices = Notices()
    with caplog.at_level(logging.INFO, logger="evharness.reference_backend.connection"):
        for n in range(3):  # two connections of one station, the second one twice
            connection = CsmsConnection("RF-9", version, store, notices=notices)
            answer = exchange(connection, frame(f"v{n}", "VendorPing", {}))
            assert (answer[0], answer[2]) == (4, code)
            answer = exchange(connection, frame(f"w{n}", "VendorPing", {}))
            assert answer[2] == code
    (line,) = refusals(caplog, "RF-9")
    assert f"VendorPing refused with {code}" in line
