"""`--event-loop asyncio|uvloop` (↔ EVHARNESS_EVENT_LOOP) on `evharness backend` and `evharness sim`."""

from __future__ import annotations

import asyncio
import inspect
import sys
from pathlib import Path

import pytest
import uvloop

from evharness import eventloop
from evharness.backend_process import BackendProcess
from tests.test_commands import SIM_FAST, evharness, output, read_report, seed, sqlite_url


async def running_loop_type() -> type[asyncio.AbstractEventLoop]:
    return type(asyncio.get_running_loop())


def test_run_uses_the_named_event_loop() -> None:
    assert eventloop.run(running_loop_type(), "uvloop") is uvloop.Loop
    assert not issubclass(eventloop.run(running_loop_type(), "asyncio"), uvloop.Loop)
    assert not issubclass(eventloop.run(running_loop_type()), uvloop.Loop)


def test_a_missing_uvloop_is_a_clear_error_and_the_coroutine_is_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # `import uvloop` now fails
    coroutine = running_loop_type()
    with pytest.raises(eventloop.EventLoopUnavailable, match=r"pip install 'evharness\[uvloop\]'"):
        eventloop.run(coroutine, "uvloop")
    assert inspect.getcoroutinestate(coroutine) == "CORO_CLOSED"  # never awaited: no RuntimeWarning


def test_an_unknown_event_loop_is_refused() -> None:
    with pytest.raises(eventloop.EventLoopUnavailable, match="unknown event loop 'trio'"):
        eventloop.loop_factory("trio")
    result = evharness("backend", "--event-loop", "trio")
    assert result.returncode == 2, output(result)
    assert "invalid choice: 'trio'" in result.stderr


def loaded_libraries(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_backend_and_sim_run_on_uvloop_and_pass_the_session_mix(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "backend.sqlite3")
    seed(url)
    backend = BackendProcess(url, environment={"EVHARNESS_EVENT_LOOP": "uvloop"}).start()
    try:
        assert backend.pid is not None
        assert "uvloop" in loaded_libraries(backend.pid)  # the variable chose the loop
        report = tmp_path / "report.json"
        args = ("--csms-url", backend.ocpp_url, *SIM_FAST, "--event-loop", "uvloop", "--report", str(report))
        result = evharness("sim", *args, timeout=60)
        assert result.returncode == 0, output(result)
        summary = read_report(report)
        assert (summary["ok"], summary["sessions_completed"]) == (True, 2), summary["failures"]
    finally:
        code = backend.stop()
    assert code == 0, "\n".join(backend.output)


def test_the_backend_runs_on_asyncio_by_default(tmp_path: Path) -> None:
    with BackendProcess(sqlite_url(tmp_path / "backend.sqlite3")) as backend:
        assert backend.pid is not None
        assert "uvloop" not in loaded_libraries(backend.pid)
