"""`GET /metrics` of the reference CSMS (on the API port): Prometheus text format, for Grafana.

The metrics are `METRICS` (rendered into docs/metrics.md). The OCPP server shows every frame to
`FrameMetrics` (`received`, `sent`, `closed`), which pairs each CALL with its answer by message id and
reads only the head of a frame (type, message id, action or error code), never the payload. Commits
are timed at the engine's dialect, where every transaction of the backend ends."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CollectorRegistry, generate_latest

from evharness.prometheus import Metric

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# [type, "message id", "action" or "error code" …]: what is read of a frame
_HEAD = re.compile(r'\s*\[\s*(\d)\s*,\s*"([^"\\]{0,128})"\s*(?:,\s*"([A-Za-z0-9]{1,64})")?')
FROM_STATION, TO_STATION = "from_station", "to_station"
CALL, RESULT, ERROR, RESULT_ERROR = 2, 3, 4, 5


CONNECTED = Metric("evharness_csms_connected_stations", "gauge", "Stations connected now")
MESSAGES = Metric(
    "evharness_csms_messages",
    "counter",
    "OCPP CALLs by action, direction and outcome (`result`, the CALLERROR code, `unanswered`, `malformed`)",
    ("action", "direction", "outcome"),
)
LATENCY = Metric(
    "evharness_csms_message_seconds",
    "histogram",
    "Seconds from a CALL to its answer (`from_station`: our time to answer, the commit included)",
    ("action", "direction"),
)
COMMITS = Metric("evharness_csms_db_commit_seconds", "histogram", "Seconds per database COMMIT")
METRICS = [CONNECTED, MESSAGES, LATENCY, COMMITS]


class CsmsMetrics:
    """The backend's metrics in their own registry (several backends may share a process: tests)."""

    def __init__(self, count_connected: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        CONNECTED.gauge(self.registry).set_function(lambda: float(count_connected()))
        self.messages = MESSAGES.counter(self.registry)
        self.latency = LATENCY.histogram(self.registry)
        self.commits = COMMITS.histogram(self.registry)
        self.frames = FrameMetrics(self)

    def time_commits(self, engine: sa.Engine) -> None:
        """Observe every COMMIT of `engine` (all of the backend's transactions go through its dialect)."""
        dialect = engine.dialect
        if getattr(dialect, "_evharness_timed", False):
            return
        commit = dialect.do_commit
        observe = self.commits.observe

        def timed_commit(dbapi_connection: Any) -> None:
            started = time.perf_counter()
            try:
                commit(dbapi_connection)
            finally:
                observe(time.perf_counter() - started)

        dialect.do_commit = timed_commit  # type: ignore[method-assign]
        dialect._evharness_timed = True  # type: ignore[attr-defined]

    def render(self) -> bytes:
        return generate_latest(self.registry)


class FrameMetrics:
    """Pairs each CALL with its answer by message id, per station connection."""

    def __init__(self, metrics: CsmsMetrics) -> None:
        self.metrics = metrics
        self._waiting: dict[str, dict[str, tuple[str, str, float]]] = {}  # identity → id → (action, dir, t)

    def received(self, identity: str, text: str | bytes) -> None:
        self._frame(identity, text, FROM_STATION)

    def sent(self, identity: str, text: str | bytes) -> None:
        self._frame(identity, text, TO_STATION)

    def closed(self, identity: str) -> None:
        """The connection ended: what was not answered is counted as such."""
        for action, direction, _ in self._waiting.pop(identity, {}).values():
            self.metrics.messages.labels(action, direction, "unanswered").inc()

    def _frame(self, identity: str, text: str | bytes, travelling: str) -> None:
        head = text[:256].decode("utf-8", "replace") if isinstance(text, bytes) else text[:256]
        found = _HEAD.match(head)
        if found is None:
            if travelling == FROM_STATION:
                self.metrics.messages.labels("(unreadable)", FROM_STATION, "malformed").inc()
            return
        kind, message_id, name = int(found.group(1)), found.group(2), found.group(3)
        waiting = self._waiting.setdefault(identity, {})
        if kind == CALL and name is not None:
            waiting[message_id] = (name, travelling, time.perf_counter())
            return
        if kind not in (RESULT, ERROR, RESULT_ERROR):
            return
        call = waiting.pop(message_id, None)
        if call is None or call[1] == travelling:  # not an answer to a CALL going the other way
            return
        action, direction, started = call
        outcome = "result" if kind == RESULT else (name or "CALLERROR")
        self.metrics.messages.labels(action, direction, outcome).inc()
        self.metrics.latency.labels(action, direction).observe(time.perf_counter() - started)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Prometheus scrapes this; it needs no session (it tells counts and timings, no data)."""
    found: CsmsMetrics = request.app.state.metrics
    return Response(found.render(), media_type=CONTENT_TYPE)


def mount(app: FastAPI, found: CsmsMetrics) -> None:
    app.state.metrics = found
    app.include_router(router)
