"""The firmware update table (`simulator.core.firmware`), row by row, without a station or I/O: a
simulated download (an ftp:// URL no transport reaches), or a transfer result handed in by hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest

from evharness.simulator.core.firmware import (
    TABLE,
    FirmwareHost,
    FirmwareState,
    FirmwareUpdater,
    Happening,
    UpdateRequest,
    version_of,
)
from evharness.simulator.core.notes import FirmwareStatus, FirmwareStatusNote, Note
from evharness.simulator.core.outcomes import FirmwareOutcome
from evharness.simulator.core.transfers import TransferResult, Transfers
from tests.files import firmware_signer

F = FirmwareStatus
T0 = 1_767_225_600.0
SIMULATED = "ftp://files.example/sim-2.0.0.bin"
REAL = "http://127.0.0.1:9/sim-2.0.0.bin"


@dataclass
class Host:
    notes: list[Note] = field(default_factory=list)
    follow_ups: list[Callable[[], None]] = field(default_factory=list)
    security: list[str] = field(default_factory=list)
    reboots: list[float] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    busy: bool = False
    held: int = 0

    def build(self) -> FirmwareHost:
        return FirmwareHost(
            send=lambda note, now: self.notes.append(note),
            after_answer=lambda follow_up: self.follow_ups.append(follow_up),
            security_event=lambda kind, now: self.security.append(kind),
            reboot=self.reboots.append,
            installed=self.versions.append,
            transactions_running=lambda: self.busy,
            hold_new_sessions=lambda now: setattr(self, "held", self.held + 1),
        )

    def answered(self) -> None:
        follow_ups, self.follow_ups = self.follow_ups, []
        for follow_up in follow_ups:
            follow_up()

    @property
    def statuses(self) -> list[FirmwareStatus]:
        return [n.status for n in self.notes if isinstance(n, FirmwareStatusNote)]


def updater(outcome: FirmwareOutcome | None = None) -> tuple[FirmwareUpdater, Host]:
    host = Host()
    return FirmwareUpdater(host.build(), Transfers(), outcome or FirmwareOutcome()), host


def run(firmware: FirmwareUpdater, until: float) -> None:
    """Let simulated time pass, stopping at each of the updater's deadlines."""
    while (due := firmware.deadline()) is not None and due <= until:
        firmware.tick(due)


def request(**changes: object) -> UpdateRequest:
    return replace(UpdateRequest(SIMULATED, T0, request_id=7), **changes)  # type: ignore[arg-type]


def test_a_whole_update_reports_each_status_then_reboots_and_reports_installed() -> None:
    firmware, host = updater()
    assert firmware.update(request(), T0) == "Accepted"
    assert host.statuses == []  # nothing before the answer is on its way
    host.answered()
    run(firmware, T0 + 60)
    assert host.statuses == [F.DOWNLOADING, F.DOWNLOADED, F.INSTALLING, F.INSTALL_REBOOTING]
    assert host.versions == ["sim-2.0.0"]
    assert len(host.reboots) == 1
    firmware.booted(T0 + 61)
    assert host.statuses[-1] is F.INSTALLED
    assert firmware.state is FirmwareState.IDLE
    assert all(n.request_id == 7 for n in host.notes if isinstance(n, FirmwareStatusNote))


def test_retrieve_and_install_date_times_are_waited_for() -> None:
    firmware, host = updater()
    firmware.update(request(retrieve_at=T0 + 100, install_at=T0 + 1000), T0)
    host.answered()
    assert host.statuses == [F.DOWNLOAD_SCHEDULED]
    run(firmware, T0 + 500)
    assert host.statuses == [F.DOWNLOAD_SCHEDULED, F.DOWNLOADING, F.DOWNLOADED, F.INSTALL_SCHEDULED]
    run(firmware, T0 + 2000)
    assert host.statuses[-2:] == [F.INSTALLING, F.INSTALL_REBOOTING]


def test_retries_are_honoured_before_download_failed() -> None:
    firmware, host = updater(FirmwareOutcome(download="fail"))
    firmware.update(request(retries=2, retry_interval_s=30), T0)
    host.answered()
    run(firmware, T0 + 10_000)
    assert host.statuses == [F.DOWNLOADING, F.DOWNLOAD_FAILED]
    assert firmware.job is None


def test_the_first_failed_attempts_are_retried_into_a_success() -> None:
    firmware, host = updater(FirmwareOutcome(failed_attempts=2))
    firmware.update(request(retries=2, retry_interval_s=30), T0)
    host.answered()
    run(firmware, T0 + 10_000)
    assert host.statuses[:2] == [F.DOWNLOADING, F.DOWNLOADED]


@pytest.mark.parametrize(
    ("install", "final"),
    [("fail", F.INSTALLATION_FAILED), ("verification_fail", F.INSTALL_VERIFICATION_FAILED)],
)
def test_a_failed_installation_is_reported_and_nothing_reboots(install: str, final: FirmwareStatus) -> None:
    firmware, host = updater(FirmwareOutcome(install=install))  # type: ignore[arg-type]
    firmware.update(request(), T0)
    host.answered()
    run(firmware, T0 + 100)
    assert host.statuses == [F.DOWNLOADING, F.DOWNLOADED, F.INSTALLING, final]
    assert host.reboots == []


def test_installation_waits_for_running_transactions() -> None:
    """L01.FR.06/07: InstallScheduled while a transaction runs; new sessions held; installs at its end."""
    firmware, host = updater()
    host.busy = True
    firmware.update(request(), T0)
    host.answered()
    run(firmware, T0 + 100)
    assert host.statuses == [F.DOWNLOADING, F.DOWNLOADED, F.INSTALL_SCHEDULED]
    assert host.held == 1
    host.busy = False
    firmware.transactions_ended(T0 + 200)
    assert host.statuses[-1] is F.INSTALLING


def test_a_valid_signature_is_verified_on_the_downloaded_bytes() -> None:
    signer = firmware_signer()
    content = b"firmware image 2.0.0"
    firmware, host = updater()
    signed = request(
        location=REAL, signing_certificate=signer.certificate_pem, signature=signer.sign(content)
    )
    assert firmware.update(signed, T0) == "Accepted"
    host.answered()
    (transfer,) = firmware.transfers.take()
    firmware.transfers.finished(TransferResult(transfer.id, True, content), T0 + 1)
    assert host.statuses[:3] == [F.DOWNLOADING, F.DOWNLOADED, F.SIGNATURE_VERIFIED]


def test_an_invalid_signature_ends_the_update_with_a_security_event() -> None:
    signer = firmware_signer()
    firmware, host = updater()
    signed = request(
        location=REAL, signing_certificate=signer.certificate_pem, signature=signer.sign(b"other")
    )
    firmware.update(signed, T0)
    host.answered()
    (transfer,) = firmware.transfers.take()
    firmware.transfers.finished(TransferResult(transfer.id, True, b"firmware"), T0 + 1)
    assert host.statuses == [F.DOWNLOADING, F.DOWNLOADED, F.INVALID_SIGNATURE]
    assert host.security == ["InvalidFirmwareSignature"]
    assert firmware.state is FirmwareState.IDLE


@pytest.mark.parametrize(
    ("outcome", "pem", "answer"),
    [
        (FirmwareOutcome(), "not a certificate", "InvalidCertificate"),
        (FirmwareOutcome(certificate="invalid"), None, "InvalidCertificate"),
        (FirmwareOutcome(certificate="revoked"), None, "RevokedCertificate"),
    ],
)
def test_an_unusable_signing_certificate_is_refused(
    outcome: FirmwareOutcome, pem: str | None, answer: str
) -> None:
    firmware, host = updater(outcome)
    certificate = pem or firmware_signer().certificate_pem
    assert firmware.update(request(signing_certificate=certificate, signature="AAAA"), T0) == answer
    assert host.security == ["InvalidFirmwareSigningCertificate"]
    assert firmware.state is FirmwareState.IDLE


def test_a_new_update_cancels_one_under_way() -> None:
    """L01.FR.24: AcceptedCanceled; the old transfer's result changes nothing."""
    firmware, host = updater()
    firmware.update(request(location=REAL), T0)
    host.answered()
    (old,) = firmware.transfers.take()
    assert firmware.update(request(request_id=8), T0 + 1) == "AcceptedCanceled"
    firmware.transfers.finished(TransferResult(old.id, True, b"x"), T0 + 2)
    host.answered()
    assert host.statuses == [F.DOWNLOADING, F.DOWNLOADING]
    assert host.notes[-1] == FirmwareStatusNote(F.DOWNLOADING, 8)


def test_an_update_that_cannot_be_canceled_refuses_the_next() -> None:
    firmware, host = updater(FirmwareOutcome(cancelable=False))
    firmware.update(request(), T0)
    host.answered()
    assert firmware.update(request(request_id=8), T0 + 1) == "Rejected"
    firmware.state = FirmwareState.INSTALLING
    firmware.outcome = FirmwareOutcome()
    assert firmware.update(request(request_id=9), T0 + 1) == "Rejected"  # installing: never


def test_a_triggered_status_is_the_last_one_or_idle() -> None:
    firmware, host = updater()
    assert firmware.status_report() == (F.IDLE, None, False)
    firmware.update(request(), T0)
    host.answered()
    assert firmware.status_report() == (F.DOWNLOADING, 7, False)


def test_every_row_of_the_table_names_a_reachable_state() -> None:
    for state, row in TABLE.items():
        for happening, (next_state, _, _) in row.items():
            assert isinstance(happening, Happening)
            assert next_state in TABLE, f"{state} --{happening}--> {next_state} has no row"


@pytest.mark.parametrize(
    ("location", "version"),
    [("http://h/fw/sim-2.1.0.bin", "sim-2.1.0"), ("ftp://h/a/b/image", "image"), ("http://h/", "updated")],
)
def test_the_installed_version_is_the_file_name(location: str, version: str) -> None:
    assert version_of(location) == version
