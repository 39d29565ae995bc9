"""Which asyncio event loop a command runs on: the standard one, or uvloop (the `uvloop` extra).

`--event-loop asyncio|uvloop` ↔ `EVHARNESS_EVENT_LOOP` on `evharness backend` and `evharness sim`;
`evharness bench` measures both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from evharness.settings import Option

T = TypeVar("T")

EVENT_LOOPS = ("asyncio", "uvloop")

EVENT_LOOP = Option(
    "--event-loop",
    "the asyncio event loop: asyncio, or uvloop (pip install 'evharness[uvloop]')",
    "asyncio",
    choices=EVENT_LOOPS,
)


class EventLoopUnavailable(RuntimeError):
    """The event loop asked for is not installed."""


def loop_factory(name: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The factory of the named loop (None: asyncio's default); a clear error for one not installed."""
    if name == "asyncio":
        return None
    if name == "uvloop":
        try:
            import uvloop
        except ImportError:
            raise EventLoopUnavailable(
                "--event-loop uvloop needs uvloop: pip install 'evharness[uvloop]'"
            ) from None
        return uvloop.new_event_loop
    raise EventLoopUnavailable(f"unknown event loop {name!r} (choose from {', '.join(EVENT_LOOPS)})")


def run(main: Coroutine[Any, Any, T], name: str = "asyncio") -> T:
    """`asyncio.run(main)` on the named event loop."""
    try:
        factory = loop_factory(name)
    except EventLoopUnavailable:
        main.close()  # never awaited: say so quietly instead of a RuntimeWarning
        raise
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(main)
