"""Display messages (O01–O06): each refusal in its order, replacement, selection and what is shown."""

from __future__ import annotations

import pytest

from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.display_messages import REFUSALS, DisplayMessage, DisplayMessages, Refusal


def refused_by(refusal: Refusal, device: DeviceModel, messages: DisplayMessages) -> DisplayMessage:
    message = DisplayMessage(1, "NormalCycle", "hello", "UTF8")
    match refusal:
        case Refusal.DISABLED:
            device.put("DisplayMessageCtrlr.Enabled", "false")
        case Refusal.FORMAT:
            device.put("DisplayMessageCtrlr.SupportedFormats", "ASCII")
        case Refusal.PRIORITY:
            device.put("DisplayMessageCtrlr.SupportedPriorities", "InFront")
        case Refusal.STATE:
            device.put("DisplayMessageCtrlr.SupportedStates", "Idle")
            return DisplayMessage(1, "NormalCycle", "hello", state="Charging")
        case Refusal.TRANSACTION:
            return DisplayMessage(1, "NormalCycle", "hello", transaction_id="gone")
        case Refusal.FULL:
            device.max_limits["DisplayMessageCtrlr.DisplayMessages"] = 1
            messages.put(DisplayMessage(9, "NormalCycle", "first"), lambda t: True)
    return message


@pytest.mark.parametrize("refusal", list(REFUSALS), ids=lambda r: r.value)
def test_each_refusal_has_its_status_and_changes_nothing(refusal: Refusal) -> None:
    device = DeviceModel()
    messages = DisplayMessages(device)
    message = refused_by(refusal, device, messages)
    before = dict(messages.held)
    assert messages.put(message, lambda transaction: False) == REFUSALS[refusal]
    assert messages.held == before


def test_the_same_id_replaces_and_clear_removes() -> None:
    device = DeviceModel()
    messages = DisplayMessages(device)
    assert messages.put(DisplayMessage(1, "NormalCycle", "old"), lambda t: True) == "Accepted"
    assert messages.put(DisplayMessage(1, "InFront", "new"), lambda t: True) == "Accepted"  # O06
    assert messages.held[1].content == "new"
    assert device.values["DisplayMessageCtrlr.DisplayMessages"] == "1"
    assert messages.clear(1)
    assert not messages.clear(1)  # Unknown
    assert device.values["DisplayMessageCtrlr.DisplayMessages"] == "0"


def test_selection_by_id_priority_and_state_and_what_a_driver_sees() -> None:
    messages = DisplayMessages(DeviceModel())
    for message in (
        DisplayMessage(1, "NormalCycle", "always"),
        DisplayMessage(2, "AlwaysFront", "charging", state="Charging"),
        DisplayMessage(3, "InFront", "later", starts_at=100.0, ends_at=200.0),
        DisplayMessage(4, "InFront", "in the session", transaction_id="tx-1"),
    ):
        assert messages.put(message, lambda t: True) == "Accepted"
    assert [m.id for m in messages.select([2, 3], None, None, 0.0)] == [2, 3]
    assert [m.id for m in messages.select(None, "InFront", None, 0.0)] == [3, 4]
    assert [m.id for m in messages.select(None, None, "Charging", 0.0)] == [2]
    assert [m.id for m in messages.shown(0.0, "Idle", set())] == [1]
    assert [m.id for m in messages.shown(150.0, "Charging", {"tx-1"})] == [2, 3, 4, 1]
    messages.drop_expired(200.0)  # O01.FR.13
    assert 3 not in messages.held
    messages.transaction_ended("tx-1")  # O02.FR.02
    assert sorted(messages.held) == [1, 2]
