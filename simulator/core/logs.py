"""Log uploads (2.0.1 N01 GetLog, 1.6 §5.9 GetDiagnostics and the security extension's GetLog): a small
state machine.

Theory of operation: a request names where to upload (`remoteLocation` / `location`), how often to
retry and, on 2.0.1 and the 1.6 extension, a request id. The station answers Accepted with the file's
name (Rejected when the tester says so; AcceptedCanceled when it replaces an upload under way, N01.FR.12),
reports Uploading, then uploads a real file — its recent frames and its state (`host.log_content`) — by
HTTP PUT (`simulator.core.transfers`; a URL no transport reaches is simulated for `upload_s`), and
reports Uploaded, or UploadFailure once the retries are spent (1.6 DiagnosticsStatus: UploadFailed).
`TABLE` says, per state and happening, the next state, the statuses reported and the effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from evharness.simulator.core.notes import LogStatus, LogStatusNote, Note
from evharness.simulator.core.outcomes import LogOutcome
from evharness.simulator.core.transfers import Direction, TransferResult, Transfers, is_real


class LogState(Enum):
    IDLE = "idle"
    UPLOADING = "uploading"  # a transfer, a simulated one, or the wait before a retry


class Happening(Enum):
    REQUEST = "request"
    UPLOADED = "uploaded"
    ATTEMPT_FAILED = "attempt_failed"  # retries left
    FAILED = "failed"  # the last attempt failed
    RETRY_DUE = "retry_due"
    CANCEL = "cancel"


class Effect(Enum):
    UPLOAD = "upload"
    RETRY_LATER = "retry_later"
    END = "end"


S, H, L = LogState, Happening, LogStatus

# state → happening → (next state, statuses reported in order, effect)
TABLE: dict[LogState, dict[Happening, tuple[LogState, tuple[LogStatus, ...], Effect]]] = {
    S.IDLE: {
        H.REQUEST: (S.UPLOADING, (L.UPLOADING,), Effect.UPLOAD),
    },
    S.UPLOADING: {
        H.UPLOADED: (S.IDLE, (L.UPLOADED,), Effect.END),
        H.ATTEMPT_FAILED: (S.UPLOADING, (), Effect.RETRY_LATER),
        H.RETRY_DUE: (S.UPLOADING, (), Effect.UPLOAD),
        H.FAILED: (S.IDLE, (L.UPLOAD_FAILURE,), Effect.END),
        H.CANCEL: (S.IDLE, (), Effect.END),
    },
}

LogAnswer = Literal["Accepted", "Rejected", "AcceptedCanceled"]


@dataclass(frozen=True, slots=True)
class LogRequest:
    """GetLog / GetDiagnostics in neutral words."""

    location: str
    log_type: str = "DiagnosticsLog"  # DiagnosticsLog | SecurityLog
    request_id: int | None = None
    retries: int = 0
    retry_interval_s: float = 60.0
    diagnostics: bool = False  # 1.6 GetDiagnostics: reported with DiagnosticsStatusNotification


@dataclass(frozen=True, slots=True)
class LogHost:
    """What the log function needs from the station (built of its own methods)."""

    identity: str
    send: Callable[[Note, float], None]
    after_answer: Callable[[Callable[[], None]], None]
    log_content: Callable[[str], bytes]  # the file of that log type, made now


@dataclass
class Upload:
    request: LogRequest
    filename: str
    attempts: int = 0
    due_at: float | None = None  # a simulated upload's end, or the next attempt
    retrying: bool = False
    transfer_id: int | None = None


@dataclass
class LogUploader:
    host: LogHost
    transfers: Transfers
    outcome: LogOutcome = field(default_factory=LogOutcome)
    state: LogState = LogState.IDLE
    upload: Upload | None = None

    def request(self, request: LogRequest, now: float) -> tuple[LogAnswer, str | None]:
        """N01.FR.01/12: the answer and the file's name (None when Rejected)."""
        replacing = self.state is not LogState.IDLE
        if not self.outcome.accept or (replacing and not self.outcome.cancelable):
            return "Rejected", None
        if replacing:
            self.handle(Happening.CANCEL, now)
        kind = "diagnostics" if request.log_type == "DiagnosticsLog" else "security"
        number = f"-{request.request_id}" if request.request_id is not None else ""
        filename = f"{self.host.identity}-{kind}{number}.log"
        self.upload = Upload(request, filename)
        self.host.after_answer(lambda: self.handle(Happening.REQUEST, now))
        return ("AcceptedCanceled" if replacing else "Accepted"), filename

    def status_report(self) -> tuple[LogStatus, int | None]:
        """A triggered LogStatusNotification: Uploading while an upload runs, else Idle (F06.FR.17)."""
        if self.upload is None or self.state is LogState.IDLE:
            return LogStatus.IDLE, None
        return LogStatus.UPLOADING, self.upload.request.request_id

    @property
    def diagnostics(self) -> bool:
        return self.upload is not None and self.upload.request.diagnostics

    def deadline(self) -> float | None:
        return None if self.upload is None else self.upload.due_at

    def tick(self, now: float) -> None:
        upload = self.upload
        if upload is None or upload.due_at is None or now < upload.due_at:
            return
        upload.due_at = None
        if upload.retrying:
            upload.retrying = False
            self.handle(Happening.RETRY_DUE, now)
        else:
            self._attempt_ended(upload, self._forced_failure(upload), now)

    def handle(self, happening: Happening, now: float) -> None:
        row = TABLE[self.state].get(happening)
        if row is None:
            return
        next_state, statuses, effect = row
        upload = self.upload
        self.state = next_state
        for status in statuses:
            request = upload.request if upload is not None else None
            note = LogStatusNote(
                status, request.request_id if request else None, bool(request and request.diagnostics)
            )
            self.host.send(note, now)
        match effect:
            case Effect.UPLOAD if upload is not None:
                self._start(upload, now)
            case Effect.RETRY_LATER if upload is not None:
                upload.due_at = now + upload.request.retry_interval_s
                upload.retrying = True
            case Effect.END:
                if upload is not None:
                    self.transfers.forget(upload.transfer_id)
                self.upload = None

    def _forced_failure(self, upload: Upload) -> bool:
        return self.outcome.upload == "fail" or upload.attempts <= self.outcome.failed_attempts

    def _start(self, upload: Upload, now: float) -> None:
        upload.attempts += 1
        if is_real(upload.request.location) and not self._forced_failure(upload):
            content = self.host.log_content(upload.request.log_type)
            upload.transfer_id = self.transfers.request(
                Direction.UPLOAD, upload.request.location, self._transfer_done, content, upload.filename
            )
            return
        upload.due_at = now + self.outcome.upload_s

    def _transfer_done(self, result: TransferResult, now: float) -> None:
        upload = self.upload
        if upload is None or upload.transfer_id != result.transfer_id:
            return
        upload.transfer_id = None
        self._attempt_ended(upload, not result.ok, now)

    def _attempt_ended(self, upload: Upload, failed: bool, now: float) -> None:
        if not failed:
            self.handle(Happening.UPLOADED, now)
        elif upload.attempts <= upload.request.retries:
            self.handle(Happening.ATTEMPT_FAILED, now)
        else:
            self.handle(Happening.FAILED, now)
