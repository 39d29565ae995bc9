"""The 2.0.1 codec the station holds: its rules and its tables."""

from __future__ import annotations

from evharness.ocppj.versions import OcppVersion
from evharness.simulator.core.codec import EndToken, StartPoint, Trait, VersionRules
from evharness.simulator.core.model import StopReason
from evharness.simulator.protocol.common import VersionCodec
from evharness.simulator.protocol.v201 import calls, messages

RULES = VersionRules(
    StartPoint.EV_CONNECTED,
    EndToken.DRIVER_STOP_ONLY,
    StopReason.IMMEDIATE_RESET,
    frozenset({Trait.NUMBERS_TRANSACTION_MESSAGES}),
)


class V201Codec(VersionCodec):
    version = OcppVersion.V201
    rules = RULES
    messages = messages.MESSAGES
    calls = calls.CALLS
