"""Ask a paired station something as the CSMS would, and read its answer from the wire."""

from __future__ import annotations

import orjson

from evharness.ocppj.frames import Payload
from tests.simulator.pair import Pair


def ask(pair: Pair, action: str, payload: Payload) -> Payload:
    """Send a CSMS CALL through the backend session's endpoint; the station's CALLRESULT payload."""
    call = pair.csms.rpc.send_call(action, payload, pair.clock.now())
    pair.pump()
    for direction, text in reversed(pair.frames):
        frame = orjson.loads(text)
        if direction == "out" and frame[0] in (3, 4) and frame[1] == call.message_id:
            if frame[0] == 4:
                raise AssertionError(f"{action} answered with CALLERROR {frame[2]}: {frame[3]}")
            answer: Payload = frame[2]
            return answer
    raise AssertionError(f"the station did not answer {action}")


def sent(pair: Pair, action: str) -> list[Payload]:
    frames = [orjson.loads(text) for direction, text in pair.frames if direction == "out"]
    return [f[3] for f in frames if f[0] == 2 and f[2] == action]
