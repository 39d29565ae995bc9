"""What the fleet page (`simulator.asyncio.web`) and the console pages (`reference_backend.web`) share: the
stylesheet, package data served by each as `…/static/style.css`, so the two look alike."""

from __future__ import annotations

from importlib import resources


def stylesheet() -> bytes:
    return (resources.files("evharness.pages") / "style.css").read_bytes()
