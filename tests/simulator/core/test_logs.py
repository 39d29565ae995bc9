"""The log upload table (`simulator.core.logs`), row by row, without a station or I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from evharness.simulator.core.logs import TABLE, LogHost, LogRequest, LogState, LogUploader
from evharness.simulator.core.notes import LogStatus, LogStatusNote, Note
from evharness.simulator.core.outcomes import LogOutcome
from evharness.simulator.core.transfers import Direction, TransferResult, Transfers

U = LogStatus
T0 = 1_767_225_600.0
SIMULATED = LogRequest("ftp://logs.example/", request_id=3, retries=2, retry_interval_s=30)
REAL = LogRequest("http://127.0.0.1:9/logs/", request_id=4)


@dataclass
class Host:
    notes: list[Note] = field(default_factory=list)
    follow_ups: list[Callable[[], None]] = field(default_factory=list)

    def build(self) -> LogHost:
        return LogHost(
            "CP-1",
            lambda note, now: self.notes.append(note),
            lambda follow_up: self.follow_ups.append(follow_up),
            lambda log_type: f"{log_type} of CP-1".encode(),
        )

    def answered(self) -> None:
        follow_ups, self.follow_ups = self.follow_ups, []
        for follow_up in follow_ups:
            follow_up()

    @property
    def statuses(self) -> list[LogStatus]:
        return [n.status for n in self.notes if isinstance(n, LogStatusNote)]


def uploader(outcome: LogOutcome | None = None) -> tuple[LogUploader, Host]:
    host = Host()
    return LogUploader(host.build(), Transfers(), outcome or LogOutcome()), host


def run(logs: LogUploader, until: float) -> None:
    while (due := logs.deadline()) is not None and due <= until:
        logs.tick(due)


def test_an_upload_reports_uploading_then_uploaded_with_the_request_id() -> None:
    logs, host = uploader()
    assert logs.request(SIMULATED, T0) == ("Accepted", "CP-1-diagnostics-3.log")
    host.answered()
    run(logs, T0 + 60)
    assert host.notes == [LogStatusNote(U.UPLOADING, 3), LogStatusNote(U.UPLOADED, 3)]


def test_a_real_upload_sends_the_file_to_the_location() -> None:
    logs, host = uploader()
    logs.request(REAL, T0)
    host.answered()
    (transfer,) = logs.transfers.take()
    assert (transfer.direction, transfer.url, transfer.filename) == (
        Direction.UPLOAD,
        REAL.location,
        "CP-1-diagnostics-4.log",
    )
    assert transfer.body == b"DiagnosticsLog of CP-1"
    logs.transfers.finished(TransferResult(transfer.id, False, detail="HTTP 500"), T0 + 1)
    assert host.statuses == [U.UPLOADING, U.UPLOAD_FAILURE]  # no retries asked


@pytest.mark.parametrize(("failed_attempts", "final"), [(2, U.UPLOADED), (3, U.UPLOAD_FAILURE)])
def test_retries_are_honoured(failed_attempts: int, final: LogStatus) -> None:
    logs, host = uploader(LogOutcome(failed_attempts=failed_attempts))
    logs.request(SIMULATED, T0)
    host.answered()
    run(logs, T0 + 1000)
    assert host.statuses == [U.UPLOADING, final]


def test_a_refusing_station_rejects_and_a_second_request_cancels_the_first() -> None:
    logs, _ = uploader(LogOutcome(accept=False))
    assert logs.request(SIMULATED, T0) == ("Rejected", None)
    logs, host = uploader()
    logs.request(SIMULATED, T0)
    host.answered()
    assert logs.status_report() == (U.UPLOADING, 3)
    assert logs.request(REAL, T0 + 1)[0] == "AcceptedCanceled"
    host.answered()
    assert logs.upload is not None
    assert logs.upload.request is REAL


def test_an_upload_that_cannot_be_canceled_rejects_the_next() -> None:
    logs, host = uploader(LogOutcome(cancelable=False))
    logs.request(SIMULATED, T0)
    host.answered()
    assert logs.request(REAL, T0 + 1) == ("Rejected", None)


def test_idle_when_nothing_uploads() -> None:
    logs, _ = uploader()
    assert logs.status_report() == (U.IDLE, None)
    assert logs.state is LogState.IDLE


def test_every_row_leads_to_a_state_with_a_row() -> None:
    assert all(next_state in TABLE for row in TABLE.values() for next_state, _, _ in row.values())
