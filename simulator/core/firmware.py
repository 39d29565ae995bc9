"""Firmware updates (2.0.1 L01 secure firmware update, 1.6 §5.19 UpdateFirmware and the security
extension's SignedUpdateFirmware): a small state machine.

Theory of operation: an update is a `Job` (where to get the file, when to retrieve and install it,
how often to retry, the signature). `TABLE` says, for each `FirmwareState` and `Happening`, the next
state, the statuses the station reports (FirmwareStatusNotification, in order) and the `Effect`.
The download is a real HTTP(S) GET of `location` (`simulator.core.transfers`; the transport carries
it out) or, for a URL no transport reaches, simulated for `download_s`. The signature (when the CSMS
sends one) is checked on the downloaded bytes with the signing certificate (L01.FR.03/04: an invalid
one is reported InvalidSignature with a SecurityEventNotification). Installation waits for
`installDateTime` (InstallScheduled) and for running transactions to end (L01.FR.06), lasts
`install_s`, then the station reboots (InstallRebooting) and reports Installed after its next accepted
BootNotification, with the new firmware version in it.

What a tester can choose (`FirmwareOutcome`, from the station config, the control API and scenario
steps): a download that fails (every attempt, or the first n — `retries`/`retryInterval` are honoured,
L01.FR.20), a signature or certificate judged invalid or revoked whatever its bytes, an installation
that fails or whose verification fails, an update that cannot be canceled (TC_L_11).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import urlsplit

from evharness.simulator.core import signatures
from evharness.simulator.core.notes import FirmwareStatus, FirmwareStatusNote, Note, SecurityEvent
from evharness.simulator.core.outcomes import FirmwareOutcome
from evharness.simulator.core.transfers import Direction, TransferResult, Transfers, is_real


class FirmwareState(Enum):
    IDLE = "idle"
    DOWNLOAD_SCHEDULED = "download_scheduled"  # waiting for retrieveDateTime
    DOWNLOADING = "downloading"  # a transfer (or its retry) under way
    DOWNLOADED = "downloaded"  # checked; deciding when to install
    INSTALL_SCHEDULED = "install_scheduled"  # waiting for installDateTime or for transactions to end
    INSTALLING = "installing"
    REBOOTING = "rebooting"  # installed; Installed once the reboot's BootNotification is accepted


class Happening(Enum):
    REQUEST_NOW = "request_now"
    REQUEST_LATER = "request_later"  # retrieveDateTime in the future
    RETRIEVE_DUE = "retrieve_due"
    DOWNLOAD_RETRY = "download_retry"  # an attempt failed; another one after retryInterval
    DOWNLOAD_FAILED = "download_failed"  # the last attempt failed
    RETRY_DUE = "retry_due"
    DOWNLOADED = "downloaded"  # no signature to check
    SIGNATURE_OK = "signature_ok"
    SIGNATURE_BAD = "signature_bad"
    INSTALL_NOW = "install_now"
    INSTALL_LATER = "install_later"  # installDateTime ahead, or transactions running
    INSTALL_OK = "install_ok"
    INSTALL_FAILED = "install_failed"
    VERIFICATION_FAILED = "verification_failed"
    BOOTED = "booted"
    CANCEL = "cancel"  # a new update replaces this one (AcceptedCanceled)


class Effect(Enum):
    NONE = "none"
    WAIT = "wait"  # until the job's next moment (retrieve, retry, install)
    DOWNLOAD = "download"
    RETRY_LATER = "retry_later"
    DECIDE_INSTALL = "decide_install"
    INSTALL = "install"
    REBOOT = "reboot"  # the new version is the station's; BootNotification FirmwareUpdate
    SECURITY_EVENT = "security_event"  # InvalidFirmwareSignature, then the job ends
    END = "end"


S = FirmwareState
H = Happening
F = FirmwareStatus
CANCELABLE = (S.DOWNLOAD_SCHEDULED, S.DOWNLOADING, S.DOWNLOADED, S.INSTALL_SCHEDULED)

# state → happening → (next state, statuses reported in order, effect)
TABLE: dict[FirmwareState, dict[Happening, tuple[FirmwareState, tuple[FirmwareStatus, ...], Effect]]] = {
    S.IDLE: {
        H.REQUEST_NOW: (S.DOWNLOADING, (F.DOWNLOADING,), Effect.DOWNLOAD),
        H.REQUEST_LATER: (S.DOWNLOAD_SCHEDULED, (F.DOWNLOAD_SCHEDULED,), Effect.WAIT),
    },
    S.DOWNLOAD_SCHEDULED: {
        H.RETRIEVE_DUE: (S.DOWNLOADING, (F.DOWNLOADING,), Effect.DOWNLOAD),
        H.CANCEL: (S.IDLE, (), Effect.END),
    },
    S.DOWNLOADING: {
        H.DOWNLOAD_RETRY: (S.DOWNLOADING, (), Effect.RETRY_LATER),
        H.RETRY_DUE: (S.DOWNLOADING, (), Effect.DOWNLOAD),
        H.DOWNLOAD_FAILED: (S.IDLE, (F.DOWNLOAD_FAILED,), Effect.END),
        H.DOWNLOADED: (S.DOWNLOADED, (F.DOWNLOADED,), Effect.DECIDE_INSTALL),
        H.SIGNATURE_OK: (S.DOWNLOADED, (F.DOWNLOADED, F.SIGNATURE_VERIFIED), Effect.DECIDE_INSTALL),
        H.SIGNATURE_BAD: (S.IDLE, (F.DOWNLOADED, F.INVALID_SIGNATURE), Effect.SECURITY_EVENT),
        H.CANCEL: (S.IDLE, (), Effect.END),
    },
    S.DOWNLOADED: {
        H.INSTALL_NOW: (S.INSTALLING, (F.INSTALLING,), Effect.INSTALL),
        H.INSTALL_LATER: (S.INSTALL_SCHEDULED, (F.INSTALL_SCHEDULED,), Effect.WAIT),
        H.CANCEL: (S.IDLE, (), Effect.END),
    },
    S.INSTALL_SCHEDULED: {
        H.INSTALL_NOW: (S.INSTALLING, (F.INSTALLING,), Effect.INSTALL),
        H.INSTALL_LATER: (S.INSTALL_SCHEDULED, (), Effect.WAIT),
        H.CANCEL: (S.IDLE, (), Effect.END),
    },
    S.INSTALLING: {
        H.INSTALL_OK: (S.REBOOTING, (F.INSTALL_REBOOTING,), Effect.REBOOT),
        H.INSTALL_FAILED: (S.IDLE, (F.INSTALLATION_FAILED,), Effect.END),
        H.VERIFICATION_FAILED: (S.IDLE, (F.INSTALL_VERIFICATION_FAILED,), Effect.END),
    },
    S.REBOOTING: {
        H.BOOTED: (S.IDLE, (F.INSTALLED,), Effect.END),
    },
}

UpdateStatus = Literal["Accepted", "Rejected", "AcceptedCanceled", "InvalidCertificate", "RevokedCertificate"]


@dataclass(frozen=True, slots=True)
class UpdateRequest:
    """UpdateFirmware (any version) in neutral words."""

    location: str
    retrieve_at: float
    request_id: int | None = None
    install_at: float | None = None
    retries: int = 0
    retry_interval_s: float = 60.0
    signing_certificate: str | None = None
    signature: str | None = None
    secure: bool = False  # 1.6 SignedUpdateFirmware: statuses go as SignedFirmwareStatusNotification


@dataclass
class Job:
    request: UpdateRequest
    attempts: int = 0
    due_at: float | None = None  # the next moment this job acts by itself
    transfer_id: int | None = None
    retrying: bool = False  # `due_at` is the next attempt's, not a simulated download's end


@dataclass(frozen=True, slots=True)
class FirmwareHost:
    """What the firmware function needs from the station (the station builds it of its own methods)."""

    send: Callable[[Note, float], None]
    after_answer: Callable[[Callable[[], None]], None]  # run once the answer to the CSMS is on its way
    security_event: Callable[[SecurityEvent, float], None]
    reboot: Callable[[float], None]
    installed: Callable[[str], None]  # the new firmware version, before the reboot
    transactions_running: Callable[[], bool]
    hold_new_sessions: Callable[[float], None]  # AllowNewSessionsPendingFirmwareUpdate false (L01.FR.07)


@dataclass
class FirmwareUpdater:
    """The station's firmware function; `host` is the few things it needs from the station."""

    host: FirmwareHost
    transfers: Transfers
    outcome: FirmwareOutcome = field(default_factory=FirmwareOutcome)
    state: FirmwareState = FirmwareState.IDLE
    job: Job | None = None
    last_status: FirmwareStatus = FirmwareStatus.IDLE
    last_request_id: int | None = None
    last_secure: bool = False

    # -- what the CSMS asks ---------------------------------------------------------------------

    def update(self, request: UpdateRequest, now: float) -> UpdateStatus:
        """L01: AcceptedCanceled when it replaces an update under way (L01.FR.24), Rejected when
        the running one cannot be canceled (installing, or the tester said so), Invalid/Revoked
        Certificate for a signing certificate that cannot be used (L01.FR.02)."""
        replacing = self.state is not FirmwareState.IDLE
        if replacing and (self.state not in CANCELABLE or not self.outcome.cancelable):
            return "Rejected"
        if request.signing_certificate is not None:
            refusal = self._certificate_refusal(request.signing_certificate, now)
            if refusal is not None:
                self.host.security_event(SecurityEvent.INVALID_FIRMWARE_SIGNING_CERTIFICATE, now)
                return refusal
        if replacing:
            self.handle(Happening.CANCEL, now)
        self.job = Job(request)
        later = request.retrieve_at > now
        self.job.due_at = request.retrieve_at if later else None
        self.host.after_answer(
            lambda: self.handle(Happening.REQUEST_LATER if later else Happening.REQUEST_NOW, now)
        )
        return "AcceptedCanceled" if replacing else "Accepted"

    def status_report(self) -> tuple[FirmwareStatus, int | None, bool]:
        """What a triggered FirmwareStatusNotification says (F06.FR.?? / L01.FR.25): the last status of
        an update under way, Idle once none runs."""
        if self.state is FirmwareState.IDLE:
            return FirmwareStatus.IDLE, None, self.last_secure
        return self.last_status, self.last_request_id, self.last_secure

    # -- time and the station's happenings ------------------------------------------------------

    def deadline(self) -> float | None:
        return None if self.job is None else self.job.due_at

    def tick(self, now: float) -> None:
        job = self.job
        if job is None or job.due_at is None or now < job.due_at:
            return
        job.due_at = None
        match self.state:
            case FirmwareState.DOWNLOAD_SCHEDULED:
                self.handle(Happening.RETRIEVE_DUE, now)
            case FirmwareState.DOWNLOADING if job.retrying:
                job.retrying = False
                self.handle(Happening.RETRY_DUE, now)
            case FirmwareState.DOWNLOADING:
                self._simulated_download_done(now)
            case FirmwareState.INSTALL_SCHEDULED:
                self._decide_install(now)
            case FirmwareState.INSTALLING:
                self.handle(_INSTALL_ENDINGS[self.outcome.install], now)

    def transactions_ended(self, now: float) -> None:
        """L01.FR.06: an installation waiting for transactions may start now."""
        if self.state is FirmwareState.INSTALL_SCHEDULED and (self.job is None or self.job.due_at is None):
            self._decide_install(now)

    def booted(self, now: float) -> None:
        """The reboot's BootNotification was accepted: report Installed."""
        if self.state is FirmwareState.REBOOTING:
            self.handle(Happening.BOOTED, now)

    @property
    def rebooting(self) -> bool:
        return self.state is FirmwareState.REBOOTING

    # -- the table ------------------------------------------------------------------------------

    def handle(self, happening: Happening, now: float) -> None:
        row = TABLE[self.state].get(happening)
        if row is None:
            return  # this happening means nothing in this state
        next_state, statuses, effect = row
        job = self.job
        self.state = next_state
        for status in statuses:
            self._report(status, job, now)
        self._apply(effect, job, now)

    def _apply(self, effect: Effect, job: Job | None, now: float) -> None:
        match effect:
            case Effect.DOWNLOAD if job is not None:
                self._download(job, now)
            case Effect.RETRY_LATER if job is not None:
                job.due_at = now + job.request.retry_interval_s
                job.retrying = True
            case Effect.DECIDE_INSTALL:
                self._decide_install(now)
            case Effect.INSTALL if job is not None:
                job.due_at = now + self.outcome.install_s
            case Effect.REBOOT if job is not None:  # the reboot's BootNotification has the new version
                self.host.installed(self.outcome.version or version_of(job.request.location))
                self.host.reboot(now)
            case Effect.SECURITY_EVENT:
                self.host.security_event(SecurityEvent.INVALID_FIRMWARE_SIGNATURE, now)
                self._end()
            case Effect.END:
                self._end()

    def _report(self, status: FirmwareStatus, job: Job | None, now: float) -> None:
        request = job.request if job is not None else None
        self.last_status = status
        self.last_request_id = request.request_id if request else None
        self.last_secure = request.secure if request else False
        self.host.send(FirmwareStatusNote(status, self.last_request_id, self.last_secure), now)

    def _end(self) -> None:
        if self.job is not None:
            self.transfers.forget(self.job.transfer_id)
        self.job = None
        self.state = FirmwareState.IDLE

    # -- the steps ------------------------------------------------------------------------------

    def _download(self, job: Job, now: float) -> None:
        job.attempts += 1
        forced_failure = self.outcome.download == "fail" or job.attempts <= self.outcome.failed_attempts
        if is_real(job.request.location) and not forced_failure:
            job.transfer_id = self.transfers.request(
                Direction.DOWNLOAD, job.request.location, self._transfer_done
            )
            return
        job.due_at = now + self.outcome.download_s

    def _simulated_download_done(self, now: float) -> None:
        job = self.job
        assert job is not None
        forced_failure = self.outcome.download == "fail" or job.attempts <= self.outcome.failed_attempts
        if forced_failure:
            self._download_failed(job, now)
        else:
            self._downloaded(job, None, now)

    def _transfer_done(self, result: TransferResult, now: float) -> None:
        job = self.job
        if job is None or job.transfer_id != result.transfer_id:
            return
        job.transfer_id = None
        if result.ok:
            self._downloaded(job, result.content, now)
        else:
            self._download_failed(job, now)

    def _download_failed(self, job: Job, now: float) -> None:
        retry = job.attempts <= job.request.retries
        self.handle(Happening.DOWNLOAD_RETRY if retry else Happening.DOWNLOAD_FAILED, now)

    def _downloaded(self, job: Job, content: bytes | None, now: float) -> None:
        request = job.request
        if request.signature is None:
            self.handle(Happening.DOWNLOADED, now)
            return
        judged = self.outcome.signature
        if judged == "check":
            valid = content is None or (
                request.signing_certificate is not None
                and signatures.signature_valid(request.signing_certificate, request.signature, content)
            )
        else:
            valid = judged == "valid"
        self.handle(Happening.SIGNATURE_OK if valid else Happening.SIGNATURE_BAD, now)

    def _decide_install(self, now: float) -> None:
        job = self.job
        if job is None:
            return
        install_at = job.request.install_at
        if install_at is not None and install_at > now:
            job.due_at = install_at
            self.handle(Happening.INSTALL_LATER, now)
        elif self.host.transactions_running():
            self.host.hold_new_sessions(now)
            self.handle(Happening.INSTALL_LATER, now)
        else:
            self.handle(Happening.INSTALL_NOW, now)

    def _certificate_refusal(self, pem: str, now: float) -> UpdateStatus | None:
        match self.outcome.certificate:
            case "invalid":
                return "InvalidCertificate"
            case "revoked":
                return "RevokedCertificate"
        return None if signatures.certificate_problem(pem, now) is None else "InvalidCertificate"


_INSTALL_ENDINGS = {
    "ok": Happening.INSTALL_OK,
    "fail": Happening.INSTALL_FAILED,
    "verification_fail": Happening.VERIFICATION_FAILED,
}


def version_of(location: str) -> str:
    """The version a firmware file brings: its file name without the extension (…/sim-2.1.0.bin →
    sim-2.1.0)."""
    name = PurePosixPath(urlsplit(location).path).name
    return (name.rsplit(".", 1)[0] if "." in name else name) or "updated"
