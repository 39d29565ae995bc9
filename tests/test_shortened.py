"""Frames shortened for people stay JSON: values are elided, the frame is never cut."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from evharness.shortened import ELLIPSIS, shorten_json

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=60),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=30,
)


@given(st.lists(JSON, min_size=1, max_size=4), st.integers(min_value=20, max_value=200))
def test_a_shortened_frame_always_parses(frame: list[object], width: int) -> None:
    text = json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
    shown = shorten_json(text, width)
    json.loads(shown)
    if len(text) <= width:
        assert shown == text


def test_the_frame_keeps_its_shape_and_the_values_their_head_and_tail() -> None:
    frame = [2, "0f3a9c1e-5b7d-4e2a-9c3b-7a6d5e4f3a21", "BootNotification",
             {"chargingStation": {"model": "SimStation-" + "X" * 80, "vendorName": "evharness"},
              "reason": "PowerUp"}]  # fmt: skip
    text = json.dumps(frame, separators=(",", ":"))
    shown = shorten_json(text, 120)
    assert len(shown) <= 120
    parsed = json.loads(shown)
    assert parsed[0] == 2
    assert parsed[2] == "BootNotification"
    model = parsed[3]["chargingStation"]["model"]
    assert model.startswith("Sim")
    assert model.endswith("X")
    assert ELLIPSIS in model


def test_text_that_is_not_json_is_cut_with_an_ellipsis() -> None:
    assert shorten_json("x" * 50, 10) == "x" * 9 + ELLIPSIS


def test_a_payload_gives_up_every_member_before_the_frame_is_too_wide() -> None:
    """The frame's own id and action stay whole; the payload shrinks to `{"…":"…"}` if it must."""
    frame = [2, "8a3e221b24de-4", "SecurityEventNotification",
             {"type": "StartupOfTheDevice", "timestamp": "2026-12-05T13:00:00Z"}]  # fmt: skip
    shown = shorten_json(json.dumps(frame, separators=(",", ":")), 72)
    assert len(shown) <= 72, shown
    assert json.loads(shown)[:3] == frame[:3]
