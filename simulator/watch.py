"""What a person sees while `evharness sim` runs, before the summary.

Connection failures are printed as they happen, one line per kind of failure (the same refusal of
500 stations is one line, with the first station that met it), so a wrong URL shows at once instead
of after the run timeout. Off a terminal (CI logs, `| tee`) where no progress bar is drawn, a
progress line every `interval` real seconds says how far the fleet got.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape

from evharness.simulator.asyncio.fleet import StationRun
from evharness.simulator.core.events import TransactionStarted

POLL_S = 0.2  # how often the links' last errors are looked at (real seconds)


def failure_kind(run: StationRun, error: str) -> str:
    """The error without what names the station, so every station's same refusal is one kind."""
    return error.replace(run.link.url, "URL").replace(run.identity, "IDENTITY")


def progress_line(runs: Sequence[StationRun], elapsed_s: float) -> str:
    finished = [run for run in runs if run.finished]
    failed = sum(not run.ok for run in finished)
    connected = sum(run.station.connected for run in runs)
    sessions = sum(isinstance(e, TransactionStarted) for run in runs for e in run.events)
    return (
        f"progress {elapsed_s:.0f} s: {len(finished)}/{len(runs)} stations done ({failed} failed), "
        f"{connected} connected, {sessions} sessions started"
    )


@dataclass
class Watch:
    """Prints to `console`; `interval` 0 or a terminal: no progress lines (the bar shows progress)."""

    console: Console
    interval: float
    label: str = ""  # what each line starts with ("worker 2: " in a worker of --processes)
    seen: set[str] = field(default_factory=set)
    _task: asyncio.Task[None] | None = None

    def start(self, runs: Sequence[StationRun]) -> Callable[[], None]:
        """Watch `runs` until the returned function is called."""
        self._task = asyncio.create_task(self._watch(runs))
        return self.stop

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def look(self, runs: Sequence[StationRun]) -> None:
        """Print each connection failure not printed yet (by kind)."""
        for run in runs:
            error = run.link.last_error or run.error
            if error is None:
                continue
            kind = failure_kind(run, error)
            if kind in self.seen:
                continue
            self.seen.add(kind)
            others = "" if len(runs) == 1 else " (printed once for all stations)"
            station = escape(self.label + run.identity)
            self.console.print(
                f"[yellow]{station}: connection error: {escape(error)}[/]{others}",
                overflow="fold",
            )

    async def _watch(self, runs: Sequence[StationRun]) -> None:
        started = last = time.monotonic()
        progress = self.interval > 0 and not self.console.is_terminal
        while True:
            await asyncio.sleep(POLL_S)
            self.look(runs)
            now = time.monotonic()
            if progress and now - last >= self.interval:
                last = now
                self.console.print(self.label + progress_line(runs, now - started), markup=False)
