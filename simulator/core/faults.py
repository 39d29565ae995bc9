"""Faults a station can be told to commit, to see how a CSMS copes: all state, no I/O.

`drop_connection` and `go_offline` are requests the transport carries out (it closes the socket and
stays away until `offline_until`); the others change what the station itself sends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FaultKind(StrEnum):
    DROP_CONNECTION = "drop_connection"  # close the socket now; reconnect with back-off
    GO_OFFLINE = "go_offline"  # close the socket and stay away for `duration`
    DELAY_RESPONSES = "delay_responses"  # answer the CSMS's CALLs `duration` late
    STOP_ANSWERING = "stop_answering"  # never answer the CSMS's CALLs (for `duration`, or until cleared)
    MALFORMED_FRAME = "malformed_frame"  # send text that is not an OCPP-J frame
    OUT_OF_ORDER_FRAME = "out_of_order_frame"  # send a CALLRESULT for a CALL the CSMS never made
    CLEAR = "clear"  # back to normal


MALFORMED_FRAME = '[2, "evharness-malformed", "Heartbeat", {'
OUT_OF_ORDER_FRAME = '[3, "evharness-never-sent", {}]'


@dataclass
class Faults:
    drop_requested: bool = False
    offline_until: float | None = None
    delay_responses_s: float = 0.0
    delay_until: float | None = None
    silent_until: float | None = None  # float("inf"): until cleared
    injected: list[tuple[str, float]] = field(default_factory=list)  # (kind, at), for the summary

    def silent(self, now: float) -> bool:
        return self.silent_until is not None and now < self.silent_until

    def delay(self, now: float) -> float:
        if self.delay_until is not None and now >= self.delay_until:
            self.delay_responses_s, self.delay_until = 0.0, None
        return self.delay_responses_s

    def offline(self, now: float) -> bool:
        return self.offline_until is not None and now < self.offline_until

    def inject(self, kind: FaultKind, now: float, duration_s: float | None = None) -> str | None:
        """Take the fault on; the text to put on the wire at once, if the fault is a frame."""
        self.injected.append((kind.value, now))
        until = float("inf") if duration_s is None else now + duration_s
        match kind:
            case FaultKind.DROP_CONNECTION:
                self.drop_requested = True
            case FaultKind.GO_OFFLINE:
                self.drop_requested = True
                self.offline_until = until
            case FaultKind.DELAY_RESPONSES:
                self.delay_responses_s = duration_s if duration_s is not None else 5.0
                self.delay_until = None
            case FaultKind.STOP_ANSWERING:
                self.silent_until = until
            case FaultKind.MALFORMED_FRAME:
                return MALFORMED_FRAME
            case FaultKind.OUT_OF_ORDER_FRAME:
                return OUT_OF_ORDER_FRAME
            case FaultKind.CLEAR:
                self.clear()
        return None

    def clear(self) -> None:
        self.drop_requested = False
        self.offline_until = self.delay_until = self.silent_until = None
        self.delay_responses_s = 0.0
