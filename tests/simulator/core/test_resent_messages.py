"""A transaction message whose answer is lost is sent again, and the backend stores it once.

The station core and the backend's session in memory (`Pair`); one CALLRESULT of the CSMS is dropped
on its way, so the station times out and resends the same message (E13, OCPP 1.6 §4.10). The backend
must answer it and keep what it had: the same meter samples, the same energy, the same stop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import orjson
import pytest

from evharness.idtokens import IdType
from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.events import TransactionEnded
from evharness.simulator.core.model import PresentedToken
from tests.simulator.pair import Pair

CARD = PresentedToken(IdType.RFID, "04A2B3C4D50001")  # active on SIM-000N (rfid_charging)
VERSIONS = [OcppVersion.V16, OcppVersion.V201]


@dataclass(frozen=True)
class Recorded:
    """What the backend holds of the station's one transaction."""

    samples: int
    energy_wh: float | None
    stopped_at: datetime | None
    state: str


def recorded(store: Store) -> Recorded:
    (transaction,) = store.transactions("SIM-0001")
    return Recorded(
        len(store.meter_values(transaction.id)),
        transaction.energy_wh,
        transaction.stopped_at,
        transaction.state,
    )


Wanted = Callable[[str, Payload], bool]  # (action, payload) → is this the CALL to wait for?


def step_until_sent(pair: Pair, wanted: Wanted, *, lose_answer: bool = False) -> Payload:
    """Let time run until the station sends the CALL `wanted`; the CSMS handles it, and its answer
    reaches the station unless `lose_answer`. Every other frame goes across as usual."""
    while True:
        for text in pair.station.data_to_send():
            pair.frames.append(("out", text))
            frame = orjson.loads(text)
            pair.csms.receive(text, pair.clock.now())
            found = frame[0] == 2 and wanted(frame[2], frame[3])
            for answer in pair.csms.data_to_send():
                if not (lose_answer and found and orjson.loads(answer)[:2] == [3, frame[1]]):
                    pair.frames.append(("in", answer))
                    pair.station.receive(answer, pair.clock.now())
            if found:
                payload: Payload = frame[3]
                return payload
        deadline = pair.station.next_deadline()
        assert deadline is not None, "the station will never send it"
        pair.clock.set(deadline)
        pair.station.tick(pair.clock.now())


def meter_values(action: str, payload: Payload) -> bool:
    return action == "MeterValues" or (action == "TransactionEvent" and "meterValue" in payload)


def the_stop(action: str, payload: Payload) -> bool:
    return action == "StopTransaction" or payload.get("eventType") == "Ended"


def sent_payloads(pair: Pair) -> list[Payload]:
    """The payloads of every CALL the station sent, in order."""
    frames = [orjson.loads(text) for direction, text in pair.frames if direction == "out"]
    return [f[3] for f in frames if f[0] == 2]


def charging(store: Store, version: OcppVersion) -> Pair:
    pair = Pair.open("SIM-0001", version, store)
    pair.station.boot(pair.clock.now())
    pair.pump()
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, CARD, pair.clock.now())
    pair.pump()
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(180)
    return pair


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_meter_values_resent_after_a_lost_answer_are_stored_once(store: Store, version: OcppVersion) -> None:
    pair = charging(store, version)

    first = step_until_sent(pair, meter_values, lose_answer=True)
    before = recorded(store)
    again = step_until_sent(pair, meter_values)  # the station timed out and sent it again

    assert again == first
    assert sent_payloads(pair).count(first) == 2
    assert recorded(store) == before
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    pair.pump()
    (ended,) = [e for e in pair.station.events if isinstance(e, TransactionEnded)]
    finished = recorded(store)
    assert finished.state == "ended"
    assert finished.energy_wh == pytest.approx(ended.energy_wh, abs=1.0)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_stop_resent_after_a_lost_answer_changes_nothing(store: Store, version: OcppVersion) -> None:
    pair = charging(store, version)
    pair.station.stop_transaction(1, "Local", pair.clock.now())

    first = step_until_sent(pair, the_stop, lose_answer=True)
    before = recorded(store)
    again = step_until_sent(pair, the_stop)  # the station timed out and sent it again

    assert again == first
    assert sent_payloads(pair).count(first) == 2
    assert before.state == "ended"
    assert recorded(store) == before
    (ended,) = [e for e in pair.station.events if isinstance(e, TransactionEnded)]
    assert before.energy_wh == pytest.approx(ended.energy_wh, abs=1.0)
