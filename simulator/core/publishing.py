"""Publishing firmware to the charging stations behind this one (2.0.1 L05 PublishFirmware, L06
UnpublishFirmware): the station as a local controller, a small state machine.

Theory of operation: PublishFirmware names a file (`location`) and its MD5 `checksum`. The station
downloads it — a real HTTP(S) GET when the URL is reachable (`simulator.core.transfers`), simulated for
`download_s` otherwise — retrying `retries` times `retryInterval` apart, checks the checksum on the bytes
it got, and publishes the file for its local stations at a URI of its own. `TABLE` says, for each
`PublishState` and `Happening`, the next state, the PublishFirmwareStatusNotification statuses (in
order) and the `Effect`. One file is published at a time: a new PublishFirmware replaces it; one that
comes while a download runs is Rejected. UnpublishFirmware answers DownloadOngoing while a download
runs, NoFirmware for a checksum not published, else Unpublished.

What a tester chooses is the firmware's download outcome (`FirmwareOutcome.download`,
`failed_attempts`, `download_s`): the same download fails here as for an update.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from evharness.simulator.core.notes import Note, PublishStatusNote
from evharness.simulator.core.outcomes import FirmwareOutcome
from evharness.simulator.core.transfers import Direction, TransferResult, Transfers, is_real

PublishAnswer = Literal["Accepted", "Rejected"]
UnpublishAnswer = Literal["DownloadOngoing", "NoFirmware", "Unpublished"]


class PublishState(Enum):
    IDLE = "idle"
    DOWNLOADING = "downloading"
    PUBLISHED = "published"


class Happening(Enum):
    REQUEST = "request"
    RETRY = "retry"  # an attempt failed; another one after retryInterval
    FAILED = "failed"  # the last attempt failed
    CHECKSUM_OK = "checksum_ok"
    CHECKSUM_BAD = "checksum_bad"
    UNPUBLISH = "unpublish"


class Effect(Enum):
    NONE = "none"
    DOWNLOAD = "download"
    RETRY_LATER = "retry_later"
    PUBLISH = "publish"
    END = "end"


S, H = PublishState, Happening
TABLE: dict[PublishState, dict[Happening, tuple[PublishState, tuple[str, ...], Effect]]] = {
    S.IDLE: {H.REQUEST: (S.DOWNLOADING, ("Downloading",), Effect.DOWNLOAD)},
    S.DOWNLOADING: {
        H.RETRY: (S.DOWNLOADING, (), Effect.RETRY_LATER),
        H.FAILED: (S.IDLE, ("DownloadFailed",), Effect.END),
        H.CHECKSUM_OK: (S.PUBLISHED, ("Downloaded", "ChecksumVerified", "Published"), Effect.PUBLISH),
        H.CHECKSUM_BAD: (S.IDLE, ("Downloaded", "InvalidChecksum"), Effect.END),
    },
    S.PUBLISHED: {
        H.REQUEST: (S.DOWNLOADING, ("Downloading",), Effect.DOWNLOAD),
        H.UNPUBLISH: (S.IDLE, (), Effect.END),
    },
}


@dataclass(frozen=True, slots=True)
class PublishRequest:
    request_id: int
    location: str
    checksum: str  # MD5, hex
    retries: int = 0
    retry_interval_s: float = 60.0


@dataclass
class Publisher:
    """The station's local-controller function: `send` queues a note, `after_answer` runs a step once
    the answer to the CSMS's CALL is on its way, `identity` names the URI it publishes at."""

    identity: str
    send: Callable[[Note, float], None]
    after_answer: Callable[[Callable[[], None]], None]
    transfers: Transfers
    outcome: FirmwareOutcome
    state: PublishState = PublishState.IDLE
    request: PublishRequest | None = None
    attempts: int = 0
    due_at: float | None = None  # a simulated download ends, or a retry starts
    retrying: bool = False
    transfer_id: int | None = None

    def publish(self, request: PublishRequest, now: float) -> PublishAnswer:
        if self.state is PublishState.DOWNLOADING:
            return "Rejected"
        self.after_answer(lambda: self._start(request, now))
        return "Accepted"

    def unpublish(self, checksum: str) -> UnpublishAnswer:
        if self.state is PublishState.DOWNLOADING:
            return "DownloadOngoing"
        if self.request is None or self.request.checksum.lower() != checksum.lower():
            return "NoFirmware"
        self.handle(Happening.UNPUBLISH, None)
        return "Unpublished"

    @property
    def locations(self) -> tuple[str, ...]:
        """Where the local stations get the published file."""
        if self.state is not PublishState.PUBLISHED or self.request is None:
            return ()
        return (f"http://{self.identity}.local/firmware/{self.request.checksum.lower()}",)

    # -- time -------------------------------------------------------------------------------------

    def deadline(self) -> float | None:
        return self.due_at

    def tick(self, now: float) -> None:
        if self.due_at is None or now < self.due_at:
            return
        self.due_at = None
        if self.retrying:
            self.retrying = False
            self._download(now)
        else:  # a simulated download ended
            self._got(None, now)

    # -- the table ----------------------------------------------------------------------------------

    def handle(self, happening: Happening, now: float | None) -> None:
        row = TABLE[self.state].get(happening)
        if row is None:
            return
        self.state, statuses, effect = row
        request = self.request
        for status in statuses:
            if request is not None and now is not None:
                locations = self.locations if status == "Published" else ()
                self.send(PublishStatusNote(status, request.request_id, locations), now)
        match effect:
            case Effect.DOWNLOAD if now is not None:
                self.attempts = 0
                self._download(now)
            case Effect.RETRY_LATER if request is not None and now is not None:
                self.due_at = now + request.retry_interval_s
                self.retrying = True
            case Effect.END:
                self.transfers.forget(self.transfer_id)
                self.transfer_id = None
                self.request = None
                self.due_at = None

    def _start(self, request: PublishRequest, now: float) -> None:
        self.request = request
        self.handle(Happening.REQUEST, now)

    def _failing(self) -> bool:
        return self.outcome.download == "fail" or self.attempts <= self.outcome.failed_attempts

    def _download(self, now: float) -> None:
        assert self.request is not None
        self.attempts += 1
        if is_real(self.request.location) and not self._failing():
            self.transfer_id = self.transfers.request(Direction.DOWNLOAD, self.request.location, self._done)
        else:
            self.due_at = now + self.outcome.download_s

    def _done(self, result: TransferResult, now: float) -> None:
        if result.transfer_id != self.transfer_id:
            return
        self.transfer_id = None
        if result.ok:
            self._got(result.content, now)
        else:
            self._failed(now)

    def _got(self, content: bytes | None, now: float) -> None:
        """The download ended: failed as the tester chose, else the checksum decides."""
        assert self.request is not None
        if content is None and self._failing():
            self._failed(now)
            return
        good = content is None or hashlib.md5(content).hexdigest() == self.request.checksum.lower()
        self.handle(Happening.CHECKSUM_OK if good else Happening.CHECKSUM_BAD, now)

    def _failed(self, now: float) -> None:
        assert self.request is not None
        self.handle(Happening.RETRY if self.attempts <= self.request.retries else Happening.FAILED, now)
