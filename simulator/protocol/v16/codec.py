"""The 1.6 codec the station holds: its rules, and where each translation lives."""

from __future__ import annotations

from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from simulator.core.codec import EndToken, Outgoing, StartPoint, StationView, VersionRules
from simulator.core.model import StopReason
from simulator.core.notes import Answer, Note
from simulator.protocol import common
from simulator.protocol.v16 import calls, messages

RULES = VersionRules(
    start_point=StartPoint.AUTHORIZED,
    csms_assigns_transaction_id=True,
    numbers_transaction_messages=False,
    ended_reported_on_answer=True,
    reports_station_connector=True,
    connector_is_evse=True,
    finishes_any_connector=True,
    end_token=EndToken.UNLESS_DEAUTHORIZED,
    default_reset_reason=StopReason.HARD_RESET,
)


class V16Codec:
    version = OcppVersion.V16
    rules = RULES

    def action_of(self, note: Note) -> Outgoing | None:
        return messages.action_of(note)

    def payload_of(self, note: Note, view: StationView) -> Payload:
        return messages.payload_of(note, view)

    def answer_of(self, action: str, payload: Payload) -> Answer:
        return messages.answer_of(action, payload)

    def answer_call(self, view: StationView, action: str, payload: Payload, now: float) -> Payload:
        return common.answer_call(calls.CALLS, view, action, payload, now)
