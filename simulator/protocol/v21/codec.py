"""The 2.1 codec: the 2.0.1 one, with 2.1's version; its own CALL functions go into `CALLS`."""

from __future__ import annotations

from evharness.ocppj.versions import OcppVersion
from evharness.simulator.protocol.common import CallFunction
from evharness.simulator.protocol.v201 import calls as calls_201
from evharness.simulator.protocol.v201.codec import V201Codec

CALLS: dict[str, CallFunction] = {**calls_201.CALLS}  # | {"AdjustPeriodicEventStream": …} as 2.1 grows


class V21Codec(V201Codec):
    version = OcppVersion.V21
    calls = CALLS
