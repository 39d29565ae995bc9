"""What crossed the wire between one simulated station and the backend, as CALL/answer pairs.

The features assert on what the station was told (the idTagInfo / idTokenInfo of an answer, the
SendLocalList the backend sent), not only on what the simulator made of it. `FrameLog` is the
`LiveStation` frame hook: it keeps every OCPP-J frame and pairs each CALL with its CALLRESULT by id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

CALL, CALLRESULT = 2, 3
FROM = {"station": "out", "csms": "in"}  # who sends the CALL → the direction of its frame


@dataclass(frozen=True, slots=True)
class Exchange:
    action: str
    request: dict[str, Any]
    response: dict[str, Any] | None  # None: no CALLRESULT (yet, or a CALLERROR)

    def token_status(self) -> str | None:
        """The authorization status in the answer: 1.6 idTagInfo, 2.0.1 idTokenInfo."""
        info = (self.response or {}).get("idTagInfo") or (self.response or {}).get("idTokenInfo")
        return None if info is None else str(info["status"])


class FrameLog:
    def __init__(self) -> None:
        self.frames: list[tuple[str, list[Any]]] = []

    def __call__(self, direction: str, text: str, at: float) -> None:
        try:
            frame = json.loads(text)
        except ValueError:
            return  # a malformed frame (fault injection) pairs with nothing
        if isinstance(frame, list) and len(frame) >= 3:
            self.frames.append((direction, frame))

    def exchanges(self, sender: str, action: str | None = None) -> list[Exchange]:
        """The CALLs `sender` ("station" or "csms") made, oldest first, each with its answer."""
        outgoing = FROM[sender]
        answers = {
            frame[1]: frame[2]
            for direction, frame in list(self.frames)
            if direction != outgoing and frame[0] == CALLRESULT
        }
        return [
            Exchange(frame[2], frame[3], answers.get(frame[1]))
            for direction, frame in list(self.frames)
            if direction == outgoing and frame[0] == CALL and action in (None, frame[2])
        ]

    def last_token_status(self, action: str) -> str | None:
        """The status in the last answer to `action` that carried one."""
        statuses = [s for e in self.exchanges("station", action) if (s := e.token_status()) is not None]
        return statuses[-1] if statuses else None
