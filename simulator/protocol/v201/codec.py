"""The 2.0.1 codec the station holds: its rules, and where each translation lives."""

from __future__ import annotations

from collections.abc import Mapping

from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from simulator.core.codec import EndToken, Outgoing, StartPoint, StationView, VersionRules
from simulator.core.model import StopReason
from simulator.core.notes import Answer, Note
from simulator.protocol import common
from simulator.protocol.common import CallFunction
from simulator.protocol.v201 import calls, messages

RULES = VersionRules(
    start_point=StartPoint.EV_CONNECTED,
    csms_assigns_transaction_id=False,
    numbers_transaction_messages=True,
    ended_reported_on_answer=False,
    reports_station_connector=False,
    connector_is_evse=False,
    finishes_any_connector=False,
    end_token=EndToken.DRIVER_STOP_ONLY,
    default_reset_reason=StopReason.IMMEDIATE_RESET,
)


class V201Codec:
    version = OcppVersion.V201
    rules = RULES
    calls: Mapping[str, CallFunction] = calls.CALLS

    def action_of(self, note: Note) -> Outgoing | None:
        return messages.action_of(note)

    def payload_of(self, note: Note, view: StationView) -> Payload:
        return messages.payload_of(note, view)

    def answer_of(self, action: str, payload: Payload) -> Answer:
        return messages.answer_of(action, payload)

    def answer_call(self, view: StationView, action: str, payload: Payload, now: float) -> Payload:
        return common.answer_call(self.calls, view, action, payload, now)
