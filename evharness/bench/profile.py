"""A py-spy profile of a process while the bench loads it (the `profile` extra): where its CPU goes.

py-spy samples the process's Python stacks (idle threads left out) into its raw format, one line per
distinct stack, `frame;frame;…;frame COUNT`; `summarize` turns that into the top functions by own time
(the leaf frame) and by time including callees, and the own time grouped by package.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from evharness.bench.cpu import Say, warm_backend
from evharness.bench.figures import Figures
from evharness.bench.measure import run_child

if TYPE_CHECKING:
    from evharness.bench.plan import BenchPlan

_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*)\)$")


def py_spy_path() -> str | None:
    """py-spy beside this Python (a virtual environment's bin/, not always on PATH), else on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.is_file() else shutil.which("py-spy")


class PySpy:
    """`with PySpy(pid, out):` samples `pid` for the duration of the block (stopped with SIGINT, by PID)."""

    def __init__(self, pid: int, out: Path, rate: int = 250) -> None:
        command = py_spy_path()
        if command is None:
            raise RuntimeError("py-spy is not installed: pip install 'evharness[profile]'")
        self.command = [command, "record", "--pid", str(pid), "--format", "raw", "--nolineno"]
        self.command += ["--rate", str(rate), "--output", str(out)]
        self.out = out
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PySpy:
        self.log = self.out.with_suffix(".log").open("wb")
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # py-spy writes its output when interrupted
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _frame(text: str) -> tuple[str, str]:
    match = _FRAME.match(text.strip())
    if match is None:
        return text.strip(), ""
    return match["function"], match["file"]


def _package(file: str) -> str:
    """The top-level package of a py-spy file name (`sqlalchemy/orm/session.py` → sqlalchemy)."""
    if not file:
        return "?"
    head = file.split("/", 1)[0]
    return head.removesuffix(".py") if "/" not in file else head


def summarize(raw: str, top: int = 15) -> dict[str, Any]:
    """Own time and time with callees per function, and own time per package, as % of the samples
    (frames under every sample, the loop's scaffolding, are left out of the time with callees)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [_frame(part) for part in stack.split(";")]
        function, file = frames[-1]
        own[f"{function} ({file})"] += count
        packages[_package(file)] += count
        for name in {f"{function} ({file})" for function, file in frames}:
            inclusive[name] += count

    def share(counter: Counter[str]) -> list[list[Any]]:
        return [[name, round(100 * count / total, 1)] for name, count in counter.most_common(top)]

    for name in [name for name, count in inclusive.items() if count == total]:
        del inclusive[name]  # the scaffolding every sample runs under (the event loop, main) says nothing

    if total == 0:
        return {"samples": 0, "own": [], "inclusive": [], "packages": []}
    return {"samples": total, "own": share(own), "inclusive": share(inclusive), "packages": share(packages)}


def backend_profile(plan: BenchPlan, figures: Figures, say: Say) -> None:
    """The `profile` part: the reference backend under the session mix (asyncio), sampled by py-spy.

    A run of its own, after a warm-up, so that sampling never touches the CPU figures.
    """
    out = plan.workdir / "backend-profile.txt"
    say(f"profile: py-spy on the reference backend, {plan.session_stations} stations, the session mix …")
    with warm_backend(plan, "profile.sqlite3") as (pid, client), PySpy(pid, out):
        run_child(client)
    summary = summarize(out.read_text(encoding="utf-8") if out.exists() else "")
    summary["raw"] = str(out)
    figures.values["backend_profile"] = summary
    say(f"  {summary['samples']} samples (raw stacks in {out}); own time by package:")
    for name, percent in summary["packages"][:8]:
        say(f"    {percent:5.1f} %  {name}")
