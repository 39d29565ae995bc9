"""Offline transaction messages survive a simulator restart: journaled to disk, replayed in order."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.events import TransactionEnded
from evharness.simulator.core.model import Own, PresentedToken, StationConfig, Use
from evharness.simulator.core.station import Station
from evharness.simulator.journal_file import JournalFile
from evharness.simulator.protocol import adapter_for
from tests.certificates import SigningCa
from tests.simulator.csms_calls import sent
from tests.simulator.pair import Pair

CARD = PresentedToken(IdType.RFID, "04A2B3C4D50001")


def restarted(pair: Pair, store: Store, journal: JournalFile) -> Pair:
    """A new simulator process: a fresh station that only has the journal, and a new connection."""
    identity, version = pair.station.identity, pair.station.adapter.version
    station = Station(
        identity,
        adapter_for(version),
        StationConfig(serial_number=identity),
        pair.clock.now(),
        validate_outgoing=True,
    )
    assert journal.restore(station) > 0
    fresh = Pair(station, CsmsConnection(identity, version, store, validate_outgoing=True), pair.clock)
    station.connection_made(pair.clock.now())
    fresh.pump()
    assert fresh.frames == []  # nothing before BootNotification is accepted (B02.FR.02)
    station.boot(pair.clock.now())
    fresh.pump()
    return fresh


def charge_offline(pair: Pair) -> None:
    """Boot, then 30 minutes at 11 kW offline, authorized from the cache: 5.5 kWh metered."""
    pair.station.boot(pair.clock.now())
    pair.pump()
    pair.station.present_token(1, CARD, pair.clock.now())  # accepted online: now in the cache
    pair.pump()
    pair.advance(61)  # that authorization lapses (EVConnectionTimeOut): the plug-in starts nothing
    pair.disconnect()
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, CARD, pair.clock.now())  # authorized offline from the cache
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(1800)
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    pair.station.unplug(1, 1, pair.clock.now())


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_the_metered_end_is_reported_once_across_a_restart(
    store: Store, tmp_path: Path, version: OcppVersion
) -> None:
    """A 1.6 station reports a transaction ended once StopTransaction is answered (its id is the
    CSMS's); when that answer comes to the restarted process, the journal still knows the energy."""
    pair = Pair.open("SIM-0001", version, store)
    journal = JournalFile(tmp_path, "SIM-0001")
    charge_offline(pair)
    journal.sync(pair.station, pair.clock.now())
    after = restarted(pair, store, journal)
    events = pair.station.events + after.station.events
    ended = [e for e in events if isinstance(e, TransactionEnded)]
    assert [e.energy_wh for e in ended] == [pytest.approx(5_500.0, abs=1.0)]
    (recorded,) = store.transactions("SIM-0001")
    if version is OcppVersion.V16:
        assert ended[0].transaction_id == str(recorded.id)


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_transaction_made_offline_reaches_the_csms_after_a_restart(
    store: Store, tmp_path: Path, version: OcppVersion
) -> None:
    pair = Pair.open("SIM-0001", version, store)
    journal = JournalFile(tmp_path, "SIM-0001")
    charge_offline(pair)
    journal.sync(pair.station, pair.clock.now())
    assert journal.pending() >= 3
    assert store.transactions("SIM-0001") == []  # nothing reached the CSMS yet

    after = restarted(pair, store, journal)
    assert after.station.idle
    journal.sync(after.station, after.clock.now())
    assert journal.pending() == 0
    (recorded,) = store.transactions("SIM-0001")
    assert not recorded.running
    assert recorded.energy_wh == pytest.approx(5_500.0, abs=1.0)
    if version is OcppVersion.V16:
        (start,) = sent(after, "StartTransaction")
        (stop,) = sent(after, "StopTransaction")
        answers = [orjson.loads(t) for d, t in after.frames if d == "in"]
        given = next(a[2]["transactionId"] for a in answers if a[0] == 3 and "transactionId" in a[2])
        assert stop["transactionId"] == given  # patched in after the restored StartTransaction's answer
        assert start["meterStart"] == 0
    else:
        events = sent(after, "TransactionEvent")
        assert [e["seqNo"] for e in events] == list(range(len(events)))  # gap-free across the restart
        assert all(e.get("offline") is True for e in events)  # E04.FR.03
        assert events[0]["eventType"] == "Started"
        assert events[-1]["eventType"] == "Ended"


def test_the_local_list_survives_a_restart(store: Store, tmp_path: Path) -> None:
    from evharness.simulator.core.local_auth import ListUpdate, TokenInfo

    pair = Pair.open("SIM-0001", OcppVersion.V16, store)
    assert (
        pair.station.local_list.apply("Full", 7, [ListUpdate("0A0B0C0D", TokenInfo("Accepted", 2e9))])
        == "Accepted"
    )
    journal = JournalFile(tmp_path, "SIM-0001")
    journal.sync(pair.station, pair.clock.now())
    station = Station("SIM-0001", adapter_for(OcppVersion.V16), StationConfig(), pair.clock.now())
    assert journal.restore(station) == 0
    assert station.local_list.version == 7
    assert station.local_list.lookup("0A0B0C0D", pair.clock.now()) == "Accepted"


def test_certificates_and_a_pending_key_survive_a_restart(store: Store, tmp_path: Path) -> None:
    """What a real station keeps in non-volatile memory: its store, its own certificate and the key
    of a request still waiting for its CertificateSigned."""
    pair = Pair.open("SIM-0001", OcppVersion.V201, store)
    ca = SigningCa(pair.clock.now())
    pair.station.install_certificate(Use.CSMS_ROOT, ca.pem, pair.clock.now())
    csr = pair.station.certificates.ask(Own.STATION, pair.clock.now(), 60)
    assert csr is not None
    journal = JournalFile(tmp_path, "SIM-0001")
    journal.sync(pair.station, pair.clock.now())
    station = Station("SIM-0001", adapter_for(OcppVersion.V201), StationConfig(), pair.clock.now())
    journal.restore(station)
    assert station.certificates.ids(None) == pair.station.certificates.ids(None)
    assert station.certificate_signed(Own.STATION, ca.sign(csr), pair.clock.now()).status == "Accepted"


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_crash_mid_session_ends_the_transaction_as_a_power_loss(
    store: Store, tmp_path: Path, version: OcppVersion
) -> None:
    """Issue 13: the journal holds the open transaction, its seqNo and the meter register; the
    restarted station ends it once booted (1.6 StopTransaction / 2.0.1 TransactionEvent Ended,
    reason PowerLoss), so the CSMS keeps no transaction open."""
    pair = Pair.open("SIM-0001", version, store)
    journal = JournalFile(tmp_path, "SIM-0001")
    pair.station.boot(pair.clock.now())
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, CARD, pair.clock.now())
    pair.pump()
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(1200)
    journal.sync(pair.station, pair.clock.now())  # what the driver writes at every turn
    register = pair.station.evses[1].meter.energy_wh
    running = pair.station.evses[1].transaction
    assert running is not None
    before = [p.get("seqNo") for p in sent(pair, "TransactionEvent")]
    # kill -9: nothing else is written or sent; a new process starts from the journal alone
    station = Station(
        "SIM-0001", adapter_for(version), StationConfig(serial_number="SIM-0001"), pair.clock.advance(300)
    )
    journal.restore(station)
    fresh = Pair(station, CsmsConnection("SIM-0001", version, store, validate_outgoing=True), pair.clock)
    station.connection_made(pair.clock.now())
    station.boot(pair.clock.now())
    fresh.pump()

    if version is OcppVersion.V16:
        (stop,) = sent(fresh, "StopTransaction")
        assert stop["reason"] == "PowerLoss"
        assert abs(stop["meterStop"] - register) < 1  # the register it had when power was lost
        assert stop["transactionId"] == running.csms_id
    else:
        (ended,) = sent(fresh, "TransactionEvent")
        assert ended["eventType"] == "Ended"
        assert ended["transactionInfo"]["stoppedReason"] == "PowerLoss"
        assert ended["transactionInfo"]["transactionId"] == running.local_id
        assert ended["seqNo"] == max(n for n in before if n is not None) + 1  # gap-free across the crash
    assert [t.running for t in store.transactions("SIM-0001")] == [False]
    assert station.evses[1].transaction is None
