"""Reservations as their tables say (H01–H04, 1.6 §5.13 / §5.1): each target and its answer, each
end and what the CSMS is told, and the gate a reserved EVSE puts on a start."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.idtokens import IdType
from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.meter import Meter
from evharness.simulator.core.model import Connector, ConnectorState, Evse, PresentedToken, Transaction
from evharness.simulator.core.reservations import ENDS, RESERVE, End, Reservation, Reservations, Target

OWNER = PresentedToken(IdType.RFID, "OWNER1")
OTHER = PresentedToken(IdType.RFID, "OTHER2")
TYPE = "cType2"


def evses(count: int = 2) -> dict[int, Evse]:
    return {i: Evse(i, {1: Connector(1)}, 11_000.0, Meter()) for i in range(1, count + 1)}


def make(target: Target, evse: Evse, device: DeviceModel) -> None:
    match target:
        case Target.OCCUPIED:
            evse.connectors[1].plugged = True
        case Target.FAULTED:
            evse.connectors[1].state = ConnectorState.FAULTED
        case Target.UNAVAILABLE:
            evse.operative = False
        case Target.REFUSED:
            device.put("ReservationCtrlr.Enabled", "false")


@pytest.mark.parametrize("target", list(RESERVE), ids=lambda t: t.value)
def test_each_target_gets_its_answer(target: Target) -> None:
    device, places, held = DeviceModel(), evses(1), Reservations()
    make(target, places[1], device)
    reservation = Reservation(1, 100.0, OWNER, evse_id=1)
    assert held.target(reservation, places, device, TYPE) is target
    status = held.reserve(reservation, places, device, TYPE)
    assert status == RESERVE[target]
    assert (1 in held.held) is (status == "Accepted")


def test_an_evse_reserved_by_another_id_is_occupied_and_the_same_id_replaces() -> None:
    device, places, held = DeviceModel(), evses(1), Reservations()
    assert held.reserve(Reservation(1, 100.0, OWNER, evse_id=1), places, device, TYPE) == "Accepted"
    assert held.reserve(Reservation(2, 100.0, OTHER, evse_id=1), places, device, TYPE) == "Occupied"
    assert held.reserve(Reservation(1, 200.0, OTHER, evse_id=1), places, device, TYPE) == "Accepted"
    assert held.held[1].expires_at == 200.0


def test_unknown_evse_other_connector_type_and_no_evse_without_support_are_rejected() -> None:
    device, places, held = DeviceModel(), evses(1), Reservations()
    assert held.reserve(Reservation(1, 100.0, OWNER, evse_id=9), places, device, TYPE) == "Rejected"
    assert (
        held.reserve(Reservation(2, 100.0, OWNER, connector_type="cCCS2"), places, device, TYPE) == "Rejected"
    )
    device.put("ReservationCtrlr.NonEvseSpecific", "false")
    assert held.reserve(Reservation(3, 100.0, OWNER), places, device, TYPE) == "Rejected"


@pytest.mark.parametrize("end", list(End), ids=lambda e: e.value)
def test_each_end_says_what_the_csms_is_told(end: End) -> None:
    places, held = evses(1), Reservations()
    held.reserve(Reservation(7, 100.0, OWNER, evse_id=1), places, DeviceModel(), TYPE)
    match end:
        case End.USED:
            assert held.claim(1, OWNER, lambda code: None, places) == (
                True,
                Reservation(7, 100.0, OWNER, evse_id=1),
            )
        case End.EXPIRED:
            assert [r.id for r in held.expire(100.0)] == [7]
        case End.CANCELLED:
            assert held.cancel(7)
            assert not held.cancel(7)  # Rejected the second time
        case End.FAULTED:
            assert [r.id for r in held.evse_faulted(1)] == [7]
    assert held.held == {}
    assert held.ended == [(7, end)]
    assert ENDS[end] == {End.EXPIRED: "Expired", End.FAULTED: "Removed"}.get(end)


def test_a_reserved_evse_takes_only_its_token_or_group() -> None:
    places, held = evses(2), Reservations()
    held.reserve(Reservation(1, 100.0, OWNER, group="FLEET", evse_id=1), places, DeviceModel(), TYPE)
    assert held.claim(1, OTHER, lambda code: None, places) == (False, held.held[1])
    assert held.claim(2, OTHER, lambda code: None, places) == (True, None)  # another EVSE is free
    allowed, used = held.claim(1, OTHER, lambda code: "FLEET", places)  # same group (H03.FR.03)
    assert allowed
    assert used is not None
    assert used.id == 1


def test_reservations_of_any_evse_hold_the_free_ones_and_show_them_reserved() -> None:
    device, places, held = DeviceModel(), evses(2), Reservations()
    assert held.reserve(Reservation(1, 100.0, OWNER), places, device, TYPE) == "Accepted"
    assert held.reserved_evses(places) == set()  # one free EVSE is left for anyone
    assert held.claim(1, OTHER, lambda code: None, places) == (True, None)
    assert held.reserve(Reservation(2, 100.0, OWNER), places, device, TYPE) == "Accepted"
    assert held.reserved_evses(places) == {1, 2}  # TC_H_14: as many reservations as free EVSEs
    assert held.reserve(Reservation(3, 100.0, OWNER), places, device, TYPE) == "Occupied"
    assert held.claim(2, OTHER, lambda code: None, places) == (False, None)
    allowed, used = held.claim(2, OWNER, lambda code: None, places)
    assert allowed
    assert used is not None


def test_a_plugged_in_driver_cannot_take_the_evse_reservations_of_any_evse_need() -> None:
    device, places, held = DeviceModel(), evses(1), Reservations()
    assert held.reserve(Reservation(1, 100.0, OWNER), places, device, TYPE) == "Accepted"
    places[1].connectors[1].plugged = True  # the cable went in first (1.6 Preparing)
    assert held.claim(1, OTHER, lambda code: None, places) == (False, None)
    allowed, used = held.claim(1, OWNER, lambda code: None, places)
    assert allowed
    assert used is not None


@given(st.lists(st.sampled_from([None, 1, 2, 3]), max_size=6), st.sets(st.sampled_from([1, 2, 3])))
def test_never_more_reservations_than_places_for_them(wanted: list[int | None], busy: set[int]) -> None:
    """However reservations arrive, each accepted one has an EVSE of its own that is free."""
    device, places, held = DeviceModel(), evses(3), Reservations()
    for busy_id in busy:
        places[busy_id].transaction = Transaction("t", 0.0, 0.0)
    for number, evse_id in enumerate(wanted, start=1):
        held.reserve(Reservation(number, 100.0, OWNER, evse_id=evse_id), places, device, TYPE)
    named = [r.evse_id for r in held.held.values() if r.evse_id is not None]
    assert len(named) == len(set(named))
    assert not set(named) & busy
    free = 3 - len(busy)
    assert len(held.held) <= free
