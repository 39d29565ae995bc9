"""One control API for a fleet spread over worker processes: the parent's, in front of the workers'.

Each worker serves the control API of its own stations on a free port of 127.0.0.1
(`simulator.asyncio.control`); this server answers on `--control-host`/`--control-port` as if the
fleet were one process:

    GET /ui, /ui/…              the pages and their files, served here
    GET /stations               every worker's list, in station order
    GET /stations/{identity}    from the worker that holds the station
    GET /metrics                every worker's metrics, summed per metric and labels
    WS  /control                a command goes to the station's worker, its reply comes back with the
                                client's id; a station view is the worker's; the fleet view is put
                                together here from each worker's slice of the table (`GET /fleet`)

A worker that is not running answers nothing: its stations are left out of the lists, and a command
to one of them is refused with the worker's exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import itertools
import json
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from evharness.simulator.asyncio.control import ControlPort, json_response
from evharness.simulator.asyncio.web import follow
from evharness.simulator.asyncio.web.metrics import CONTENT_TYPE
from evharness.simulator.asyncio.web.rows import CONDITION_NAMES, FleetQuery, page_of

FETCH_TIMEOUT_S = 30.0
INTERNAL = object()  # the id of a message the proxy sent on its own: its reply is not passed on


@dataclass
class Upstream:
    """A worker's control API as the proxy sees it; `down` says why it no longer answers."""

    number: int
    port: int | None = None
    down: str | None = None

    @property
    def reachable(self) -> bool:
        return self.port is not None and self.down is None


class WorkerError(RuntimeError):
    """A worker process that is not running, or that answered the parent's request with an error."""


async def fetch(port: int, target: str) -> tuple[int, bytes]:
    """GET `target` from a worker's control port on 127.0.0.1: the status and the body."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), FETCH_TIMEOUT_S)
    try:
        request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), FETCH_TIMEOUT_S)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{key}="{_escape(value)}"' for key, value in labels.items()) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value) if not math.isnan(value) else "NaN"


def merge_metrics(texts: Sequence[str]) -> str:
    """Prometheus text of several processes as one: each sample summed over them (`_created`: the
    earliest)."""
    families: dict[str, tuple[str, str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]] = {}
    for text in texts:
        for family in text_string_to_metric_families(text):
            _, _, samples = families.setdefault(family.name, (family.type, family.documentation, {}))
            for sample in family.samples:
                key = (sample.name, tuple(sample.labels.items()))
                if sample.name.endswith("_created"):
                    samples[key] = min(samples.get(key, sample.value), sample.value)
                else:
                    samples[key] = samples.get(key, 0.0) + sample.value
    lines = []
    for name, (kind, documentation, samples) in families.items():
        shown = f"{name}_total" if kind == "counter" else name
        lines += [f"# HELP {shown} {documentation}", f"# TYPE {shown} {kind}"]
        lines += [
            f"{sample}{_labels(dict(labels))} {_number(value)}" for (sample, labels), value in samples.items()
        ]
    return "\n".join(lines) + "\n"


class ControlProxy(ControlPort):
    """The control API of the fleet, on `host`:`port`, routing to the workers' (`owner`: station →
    index in `workers`)."""

    def __init__(self, workers: Sequence[Upstream], owner: Mapping[str, int], host: str, port: int) -> None:
        super().__init__(host, port)
        self.workers = workers
        self.owner = owner

    async def start(self) -> int:
        return await self.listen(self._serve, self._http)

    def worker_of(self, identity: str) -> Upstream:
        """The worker holding `identity`; KeyError if none does, WorkerError if it is not running."""
        worker = self.workers[self.owner[identity]]
        if not worker.reachable:
            raise WorkerError(
                f"{identity} is on worker process {worker.number}, which {worker.down or 'is not up'}"
            )
        return worker

    async def get_json(self, worker: Upstream, target: str) -> Any:
        assert worker.port is not None
        status, body = await fetch(worker.port, target)
        if status != http.HTTPStatus.OK:
            raise WorkerError(f"worker process {worker.number}: {target} answered {status}: {body[:200]!r}")
        return json.loads(body)

    async def gather(self, target: str) -> list[Any]:
        """`target` of every reachable worker, in worker order (a worker that fails is left out)."""
        live = [worker for worker in self.workers if worker.reachable]
        answers = await asyncio.gather(*(self.get_json(w, target) for w in live), return_exceptions=True)
        return [answer for answer in answers if not isinstance(answer, BaseException)]

    async def fleet_page(self, query: FleetQuery) -> dict[str, Any]:
        """The page of the fleet table `query` asks for, as one process would show it: each worker's
        counts first, then the rows from the workers whose stations fall on the page."""
        asked = {"condition": query.condition or "", "search": query.search, "size": query.size}
        live = [worker for worker in self.workers if worker.reachable]
        counted = await asyncio.gather(
            *(self.get_json(w, "/fleet?" + urlencode(asked | {"offset": 0, "limit": 0})) for w in live),
            return_exceptions=True,
        )
        parts = [(w, c) for w, c in zip(live, counted, strict=True) if not isinstance(c, BaseException)]
        counts = dict.fromkeys(CONDITION_NAMES, 0)
        for _, part in parts:
            for name, count in part["counts"].items():
                counts[name] = counts.get(name, 0) + count
        matching = sum(part["matching"] for _, part in parts)
        page, pages = page_of(matching, query)
        start, end = page * query.size, (page + 1) * query.size
        slices = []
        before = 0
        for worker, part in parts:
            low, high = max(start - before, 0), min(end - before, part["matching"])
            if low < high:
                target = "/fleet?" + urlencode(asked | {"offset": low, "limit": high - low})
                slices.append(self.get_json(worker, target))
            before += part["matching"]
        rows = [
            row
            for found in await asyncio.gather(*slices, return_exceptions=True)
            if isinstance(found, dict)
            for row in found["rows"]
        ]
        return {
            "total": sum(part["total"] for _, part in parts),
            "counts": counts,
            "matching": matching,
            "page": page,
            "pages": pages,
            "size": query.size,
            "rows": rows,
        }

    async def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?")[0].rstrip("/")
        answered, answer = self.front(path, request)
        if answered:
            return answer
        if path == "/metrics":
            texts = [text.decode() for text in await self._texts("/metrics")]
            return Response(
                200, "OK", Headers([("Content-Type", CONTENT_TYPE)]), merge_metrics(texts).encode()
            )
        if path == "/stations":
            return json_response(
                http.HTTPStatus.OK, [state for listed in await self.gather("/stations") for state in listed]
            )
        identity = path.removeprefix("/stations/")
        if path.startswith("/stations/") and identity in self.owner:
            try:
                worker = self.worker_of(identity)
                assert worker.port is not None
                status, body = await fetch(worker.port, request.path)
            except (TimeoutError, WorkerError, OSError) as exc:
                return json_response(http.HTTPStatus.BAD_GATEWAY, {"error": str(exc)})
            headers = Headers([("Content-Type", "application/json")])
            return Response(status, http.HTTPStatus(status).phrase, headers, body)
        return json_response(http.HTTPStatus.NOT_FOUND, {"error": f"no such resource: {path}"})

    async def _texts(self, target: str) -> list[bytes]:
        live = [worker for worker in self.workers if worker.reachable]
        answers = await asyncio.gather(*(fetch(w.port or 0, target) for w in live), return_exceptions=True)
        return [
            body
            for answer in answers
            if not isinstance(answer, BaseException)
            for status, body in [answer]
            if status == 200
        ]

    async def _serve(self, connection: ServerConnection) -> None:
        session = _Session(self, connection)
        try:
            async for text in connection:
                reply = await session.handle(text)
                if reply is not None:
                    await connection.send(json.dumps(reply))
        except ConnectionClosed:
            pass
        finally:
            await session.close()


class _Session:
    """One client of the control WebSocket: its connections to the workers, opened when first
    needed, and the view it follows."""

    def __init__(self, proxy: ControlProxy, client: ServerConnection) -> None:
        self.proxy = proxy
        self.client = client
        self.upstreams: dict[int, ClientConnection] = {}
        self.pumps: list[asyncio.Task[None]] = []
        self.pending: dict[int, tuple[int, Any]] = {}  # our id → (worker index, the client's id)
        self.ids = itertools.count(1)
        self.fleet: asyncio.Task[None] | None = None

    async def handle(self, text: str | bytes) -> dict[str, Any] | None:
        """Pass one message on; a reply to send now (None: the worker's reply will come)."""
        try:
            message = json.loads(text)
        except json.JSONDecodeError as exc:
            return {"ok": False, "error": f"not JSON: {exc}"}
        if not isinstance(message, dict):
            return {"ok": False, "error": "send a JSON object"}
        reply: dict[str, Any] = {"id": message.get("id")}
        command = message.get("command")
        try:
            if command in follow.COMMANDS:
                await self.stop_following()
                if command == "unsubscribe":
                    return reply | {"ok": True}
                if message.get("view") == "fleet":
                    self.fleet = asyncio.ensure_future(self._follow_fleet(FleetQuery.of(message)))
                    return reply | {"ok": True}
                if message.get("view") != "station":
                    raise ValueError("view must be fleet or station")
            identity = str(message["station"])
            index = self.proxy.owner[identity]
            self.proxy.worker_of(identity)
            await self._send(index, message)
            return None
        except KeyError as missing:
            return reply | {"ok": False, "error": f"unknown or missing {missing}"}
        except (ValueError, TypeError, WorkerError, OSError, ConnectionClosed) as exc:
            return reply | {"ok": False, "error": str(exc)}

    async def stop_following(self) -> None:
        if self.fleet is not None:
            self.fleet.cancel()
            self.fleet = None
        for index in list(self.upstreams):
            with contextlib.suppress(ConnectionClosed):
                await self._send(index, {"command": "unsubscribe"}, internal=True)

    async def close(self) -> None:
        if self.fleet is not None:
            self.fleet.cancel()
        for upstream in self.upstreams.values():
            await upstream.close()
        for pump in self.pumps:
            pump.cancel()

    async def _send(self, index: int, message: dict[str, Any], internal: bool = False) -> None:
        upstream = self.upstreams.get(index)
        if upstream is None:
            worker = self.proxy.workers[index]
            upstream = await connect(f"ws://127.0.0.1:{worker.port}/control", proxy=None, max_size=None)
            self.upstreams[index] = upstream
            self.pumps.append(asyncio.ensure_future(self._pump(index, upstream)))
        own = next(self.ids)
        self.pending[own] = (index, INTERNAL if internal else message.get("id"))
        await upstream.send(json.dumps(message | {"id": own}))

    async def _pump(self, index: int, upstream: ClientConnection) -> None:
        """A worker's replies and view events, back to the client (replies with the client's id)."""
        try:
            async for text in upstream:
                message = json.loads(text)
                if "id" in message:
                    _, client_id = self.pending.pop(message["id"], (index, INTERNAL))
                    if client_id is INTERNAL:
                        continue
                    message["id"] = client_id
                await self.client.send(json.dumps(message))
        except ConnectionClosed:
            pass
        self.upstreams.pop(index, None)
        worker = self.proxy.workers[index]
        for own, (where, client_id) in list(self.pending.items()):
            if where == index:
                del self.pending[own]
                if client_id is not INTERNAL:
                    error = f"worker process {worker.number} went away ({worker.down or 'connection closed'})"
                    with contextlib.suppress(ConnectionClosed):
                        await self.client.send(json.dumps({"id": client_id, "ok": False, "error": error}))

    async def _follow_fleet(self, query: FleetQuery) -> None:
        last = None
        with contextlib.suppress(ConnectionClosed):
            while True:
                started = time.monotonic()
                text = json.dumps({"event": "fleet"} | await self.proxy.fleet_page(query))
                if text != last:
                    await self.client.send(text)
                    last = text
                await asyncio.sleep(max(follow.FLEET_EVERY_S, 2 * (time.monotonic() - started)))
