"""Child processes of the benchmark, and what they cost: started here, stopped by their PID."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import psutil

from evharness.eventloop import EVENT_LOOP

CHILD = [sys.executable, "-m", "evharness.bench.children"]


def loop_environment(loop: str) -> dict[str, str]:
    """The environment of a child (the bench's children, the backend) running on the `loop` event loop."""
    return {**os.environ, EVENT_LOOP.env: loop}


@dataclass
class Finished:
    """A child that ran to its end: the JSON lines it printed and its exit status."""

    lines: list[dict[str, Any]]
    returncode: int
    output: str = ""

    @property
    def result(self) -> dict[str, Any]:
        if self.returncode != 0 or not self.lines:
            raise RuntimeError(f"a benchmark child failed (exit {self.returncode}):\n{self.output[-2000:]}")
        return self.lines[-1]


def json_lines(text: str) -> list[dict[str, Any]]:
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            found.append(json.loads(line))
    return found


def run_child(args: Sequence[str], timeout: float = 900, loop: str = "asyncio") -> Finished:
    """Run a client child to its end (bounded by `timeout`, then killed by its PID)."""
    process = subprocess.Popen(
        [*CHILD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=loop_environment(loop),
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return Finished(json_lines(output), process.returncode, output)


@dataclass
class Server:
    """A long-running child (echo server) whose CPU and memory are read with psutil."""

    process: subprocess.Popen[str]
    url: str = ""
    ps: psutil.Process = field(init=False)
    output: deque[str] = field(default_factory=lambda: deque(maxlen=200))  # its last lines

    def __post_init__(self) -> None:
        self.ps = psutil.Process(self.process.pid)

    @classmethod
    def start(
        cls, args: Sequence[str], ready_prefix: str, timeout: float = 30, loop: str = "asyncio"
    ) -> Server:
        process = subprocess.Popen(
            [*CHILD, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=loop_environment(loop),
        )
        server = cls(process)
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith(ready_prefix):
                server.url = line.split()[1]
                threading.Thread(target=server._drain, daemon=True).start()
                return server
        server.stop()
        raise RuntimeError(f"benchmark child {args[0]} did not start")

    def _drain(self) -> None:
        """Read what the server prints after it is ready (websockets' log of handshakes that failed):
        a full pipe would block the server mid-run."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def rss_bytes(pid: int) -> int:
    return int(psutil.Process(pid).memory_info().rss)


def read_json_line(stream: IO[str], timeout: float) -> dict[str, Any]:
    """The next JSON line a child prints (its other output is skipped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        if line.startswith("{"):
            parsed: dict[str, Any] = json.loads(line)
            return parsed
    raise RuntimeError("a benchmark child ended without its figures")


def load_average() -> float:
    return os.getloadavg()[0]
