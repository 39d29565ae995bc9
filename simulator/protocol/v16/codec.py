"""The 1.6 codec the station holds: its rules and its tables."""

from __future__ import annotations

from evharness.ocppj.versions import OcppVersion
from evharness.simulator.core.codec import EndToken, StartPoint, Trait, VersionRules
from evharness.simulator.core.model import StopReason
from evharness.simulator.protocol.common import VersionCodec
from evharness.simulator.protocol.v16 import calls, messages

RULES = VersionRules(
    StartPoint.AUTHORIZED,
    EndToken.UNLESS_DEAUTHORIZED,
    StopReason.HARD_RESET,
    frozenset(
        {
            Trait.CSMS_ASSIGNS_TRANSACTION_ID,
            Trait.ENDED_REPORTED_ON_ANSWER,
            Trait.REPORTS_STATION_CONNECTOR,
            Trait.CONNECTOR_IS_EVSE,
            Trait.FINISHES_ANY_CONNECTOR,
        }
    ),
)


class V16Codec(VersionCodec):
    version = OcppVersion.V16
    rules = RULES
    messages = messages.MESSAGES
    calls = calls.CALLS
