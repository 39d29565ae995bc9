"""The control API of a running fleet, for CI: drive stations from outside, read their state.

    GET  http://HOST:PORT/stations             every station's state (JSON)
    GET  http://HOST:PORT/stations/{identity}  one station's state
    GET  http://HOST:PORT/ui                   the fleet page (`simulator.asyncio.web`); /metrics: Prometheus
    WS   ws://HOST:PORT/control                commands, one JSON object per message:
         {"id": 1, "station": "SIM-0001", "command": "plug_in", "evse": 1, "connector": 1}
         → {"id": 1, "ok": true, "result": {...state...}}  or  {"id": 1, "ok": false, "error": "..."}

Commands: plug_in, unplug, present_token (type pin|rfid, code, evse), charge (evse, power_kw,
energy_kwh), stop (evse, reason), go_offline (seconds), reconnect, fault (kind, seconds), state,
data_transfer (vendor, message, data), vendors (entries), connector_fault (evse, connector, faulted),
ems_limit (evse, limit_kw | limit_a, source, grid_critical, seconds), ems_release (evse, source),
ev_needs (evse, energy_kwh, departure_s),
and the certificate commands below.
`subscribe` / `unsubscribe` follow a live view (`simulator.asyncio.web.follow`).
`ControlClient` is the same from Python. Each command acts on the I/O-free station and wakes its
link, so the frames it causes go out at once.
"""

from __future__ import annotations

import base64
import dataclasses
import http
import json
import os
import time
from collections.abc import Awaitable, Callable, Collection
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from evharness.idtokens import IdType
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.asyncio.web import follow, pages
from evharness.simulator.asyncio.web.metrics import CONTENT_TYPE, FleetMetrics
from evharness.simulator.asyncio.web.rows import FleetQuery, fleet_slice
from evharness.simulator.core import external_limits
from evharness.simulator.core.certificates import Choices
from evharness.simulator.core.data_transfer import parse_entry
from evharness.simulator.core.faults import FaultKind
from evharness.simulator.core.model import Own, PresentedToken
from evharness.simulator.core.notes import SecurityEvent
from evharness.simulator.core.outcomes import choose
from evharness.simulator.core.station import Station
from evharness.simulator.state import station_state

Command = Callable[[StationLink, dict[str, Any], float], None]


def _plug_in(link: StationLink, args: dict[str, Any], now: float) -> None:
    """An EV cable is plugged in: {"evse": 1, "connector": 1}."""
    link.station.plug_in(int(args.get("evse", 1)), int(args.get("connector", 1)), now)


def _unplug(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The cable is unplugged: {"evse": 1, "connector": 1}."""
    link.station.unplug(int(args.get("evse", 1)), int(args.get("connector", 1)), now)


def _present_token(link: StationLink, args: dict[str, Any], now: float) -> None:
    """A driver presents a token: {"type": "pin" | "rfid", "code": "#4821", "evse": 1}."""
    token = PresentedToken(IdType(args.get("type", "rfid")), str(args["code"]))
    link.station.present_token(int(args.get("evse", 1)), token, now)


def _charge(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The EV charges: {"evse": 1, "power_kw": 11, "energy_kwh": 5} (power: the EVSE's maximum by default)."""
    station: Station = link.station
    evse = int(args.get("evse", 1))
    power_w = float(args.get("power_kw", station.evses[evse].max_power_w / 1000.0)) * 1000.0
    limit = None
    if "energy_kwh" in args:
        station.evses[evse].meter.advance(now)
        limit = station.evses[evse].meter.energy_wh + float(args["energy_kwh"]) * 1000.0
    station.ev_draw(evse, power_w, now, energy_limit_wh=limit)


def _stop(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The driver ends the transaction: {"evse": 1, "reason": "Local"}."""
    link.station.stop_transaction(int(args.get("evse", 1)), str(args.get("reason", "Local")), now)


def _go_offline(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The connection drops: {"seconds": 60} (none: until `reconnect`)."""
    seconds = args.get("seconds")
    link.station.inject_fault(FaultKind.GO_OFFLINE, now, None if seconds is None else float(seconds))


def _reconnect(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The station comes back online and replays what it queued."""
    link.station.faults.offline_until = None


def _fault(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The station misbehaves: {"kind": "delay_responses", "seconds": 20} (the fault kinds of `FaultKind`)."""
    seconds = args.get("seconds")
    link.station.inject_fault(FaultKind(args["kind"]), now, None if seconds is None else float(seconds))


def _certificates(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The tester's certificate outcomes: {"signed": "refuse", "install": "fail", "delete": "fail"}."""
    chosen = {f.name: str(args[f.name]) for f in dataclasses.fields(Choices) if f.name in args}
    link.station.choose_certificates(**chosen)


def _renew_certificate(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The station asks for a new certificate of its own (A03): {"which": "station" | "v2g"}."""
    link.station.request_certificate(Own(args.get("which", Own.STATION.value)), now)


def _security_event(link: StationLink, args: dict[str, Any], now: float) -> None:
    """A security event happens (e.g. {"type": "TamperDetectionActivated", "tech_info": "lid open"})."""
    link.station.security_event(SecurityEvent(args["type"]), now, args.get("tech_info"))


def _ev_certificate(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The EV asks for its contract certificate (M01/M02): {"action": "Install" | "Update",
    "exi": base64 EXI (made up when absent)}."""
    action = str(args.get("action", "Install"))
    if action not in ("Install", "Update"):
        raise ValueError(f"action {action!r}: Install or Update")
    exi = str(args.get("exi") or base64.b64encode(os.urandom(32)).decode())
    link.station.request_ev_certificate("Install" if action == "Install" else "Update", exi, now)


def _certificate_status(link: StationLink, args: dict[str, Any], now: float) -> None:
    """GetCertificateStatus of an own certificate that names its OCSP responder (M06): {"which": "v2g"}."""
    if not link.station.check_certificate_status(Own(args.get("which", Own.V2G.value)), now):
        raise ValueError("the station holds no such certificate naming an OCSP responder")


def _data_transfer(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The station sends DataTransfer: {"vendor": "com.acme", "message": "Hello", "data": "…"}."""
    link.station.send_data_transfer(str(args["vendor"]), args.get("message"), args.get("data"), now)


def _vendors(link: StationLink, args: dict[str, Any], now: float) -> None:
    """Register what the station answers a CSMS's DataTransfer with:
    {"entries": ["com.acme:Price=Accepted:42", "com.acme:Off=Rejected"]} (`core.data_transfer`)."""
    link.station.vendors.register([parse_entry(str(entry)) for entry in args["entries"]])


def _connector_fault(link: StationLink, args: dict[str, Any], now: float) -> None:
    """A connector faults or recovers: {"evse": 1, "connector": 1, "faulted": true}; a reservation of a
    faulted EVSE is removed (2.0.1 ReservationStatusUpdate Removed)."""
    evse, connector = int(args.get("evse", 1)), int(args.get("connector", 1))
    link.station.set_connector_fault(evse, connector, bool(args.get("faulted", True)), now)


def _firmware(link: StationLink, args: dict[str, Any], now: float) -> None:
    """How firmware updates go from now on (`core.outcomes.FirmwareOutcome`): {"download": "fail",
    "failed_attempts": 2, "signature": "invalid", "install": "verification_fail", "cancelable": false}."""
    link.station.firmware.outcome = choose(link.station.firmware.outcome, args)


def _logs(link: StationLink, args: dict[str, Any], now: float) -> None:
    """How log uploads go from now on (`core.outcomes.LogOutcome`): {"accept": false, "upload": "fail"}."""
    link.station.logs.outcome = choose(link.station.logs.outcome, args)


def _observe(link: StationLink, args: dict[str, Any], now: float) -> None:
    """A variable as the station measures it; its monitors may raise an event (N07):
    {"variable": "OCPPCommCtrlr.OfflineThreshold", "value": "90"}."""
    link.station.observe(str(args["variable"]), str(args["value"]), now)


def _ems_limit(link: StationLink, args: dict[str, Any], now: float) -> None:
    """An EMS or the grid operator limits the station (K12): {"evse": 0, "limit_kw": 7.4} or
    {"limit_a": 16}, with "source" (EMS, SO, Other), "grid_critical", "seconds" (how long)."""
    seconds = args.get("seconds")
    limit = external_limits.limit_of(
        int(args.get("evse", 0)),
        None if args.get("limit_kw") is None else float(args["limit_kw"]),
        None if args.get("limit_a") is None else float(args["limit_a"]),
        str(args.get("source", "EMS")),
        bool(args.get("grid_critical", False)),
        None if seconds is None else float(seconds),
    )
    link.station.ems_limit(limit, now)


def _ems_release(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The EMS releases its limit (K13): {"evse": 0, "source": "EMS"}."""
    link.station.ems_release(int(args.get("evse", 0)), str(args.get("source", "EMS")), now)


def _ev_needs(link: StationLink, args: dict[str, Any], now: float) -> None:
    """The ISO 15118 EV renegotiates (K17): {"evse": 1, "energy_kwh": 20, "departure_s": 7200}."""
    kwh, departure = args.get("energy_kwh"), args.get("departure_s")
    link.station.ev_renegotiate(
        int(args.get("evse", 1)),
        now,
        energy_kwh=None if kwh is None else float(kwh),
        departure_s=None if departure is None else float(departure),
    )


COMMANDS: dict[str, Command] = {
    "ev_needs": _ev_needs,
    "ems_limit": _ems_limit,
    "ems_release": _ems_release,
    "firmware": _firmware,
    "logs": _logs,
    "observe": _observe,
    "data_transfer": _data_transfer,
    "vendors": _vendors,
    "connector_fault": _connector_fault,
    "ev_certificate": _ev_certificate,
    "certificate_status": _certificate_status,
    "certificates": _certificates,
    "renew_certificate": _renew_certificate,
    "security_event": _security_event,
    "plug_in": _plug_in,
    "unplug": _unplug,
    "present_token": _present_token,
    "charge": _charge,
    "stop": _stop,
    "go_offline": _go_offline,
    "reconnect": _reconnect,
    "fault": _fault,
    "state": lambda link, args, now: None,
}


class ControlPort:
    """What a control port is besides its resources: its address, the pages, the origin check of the
    WebSocket (`ControlServer`; the parent of worker processes: `simulator.workers.proxy`)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.requested_port = port
        self._server: Server | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def page_url(self) -> str:
        return f"http://{self.host}:{self.port}/ui"

    async def listen(
        self, handler: Callable[[ServerConnection], Awaitable[None]], process_request: Any
    ) -> int:
        self._server = await serve(handler, self.host, self.requested_port, process_request=process_request)
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def front(self, path: str, request: Request) -> tuple[bool, Response | None]:
        """(answered, the answer) for the WebSocket's handshake and the pages; (False, None): the rest."""
        if path == "/control":
            refused = pages.foreign_origin(request, self.host)
            if refused is not None:
                return True, json_response(http.HTTPStatus.FORBIDDEN, {"error": refused})
            return True, None  # the WebSocket
        shown = pages.page(path, request)
        return shown is not None, shown


class ControlServer(ControlPort):
    def __init__(self, links: list[StationLink], host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.links = {link.station.identity: link for link in links}
        self.metrics = FleetMetrics()

    async def start(self) -> int:
        for link in self.links.values():
            if not link.interactive:
                link.make_interactive()
        return await self.listen(self._serve, self._http)

    def execute(self, message: dict[str, Any]) -> dict[str, Any]:
        """Run one command; the reply to send back (never raises)."""
        reply: dict[str, Any] = {"id": message.get("id")}
        try:
            link = self.links[str(message["station"])]
            command = COMMANDS[str(message["command"])]
            now = link.clock.now()
            command(link, message, now)
            link.kick()
            reply |= {"ok": True, "result": station_state(link.station, now)}
        except KeyError as missing:
            reply |= {"ok": False, "error": f"unknown or missing {missing}"}
        except (ValueError, TypeError) as exc:
            reply |= {"ok": False, "error": str(exc)}
        return reply

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?")[0].rstrip("/")
        answered, answer = self.front(path, request)
        if answered:
            return answer
        if path == "/metrics":
            text = self.metrics.render(self.links.values())
            return Response(200, "OK", Headers([("Content-Type", CONTENT_TYPE)]), text)
        if path == "/fleet":  # a slice of the fleet table, for the parent of worker processes
            try:
                body: Any = fleet_slice_of(self.links.values(), request.path)
            except ValueError as exc:
                return json_response(http.HTTPStatus.BAD_REQUEST, {"error": str(exc)})
        elif path == "/stations":
            body = [station_state(link.station, link.clock.now()) for link in self.links.values()]
        elif path.startswith("/stations/") and path.removeprefix("/stations/") in self.links:
            link = self.links[path.removeprefix("/stations/")]
            body = station_state(link.station, link.clock.now(), frames=50)
        else:
            return json_response(http.HTTPStatus.NOT_FOUND, {"error": f"no such resource: {path}"})
        return json_response(http.HTTPStatus.OK, body)

    async def _serve(self, connection: ServerConnection) -> None:
        follower = follow.Follower(self.links, connection.send)
        try:
            async for text in connection:
                try:
                    message = json.loads(text)
                    if not isinstance(message, dict):
                        reply: dict[str, Any] = {"ok": False, "error": "send a JSON object"}
                    elif message.get("command") in follow.COMMANDS:
                        reply = follower.handle(message)
                    else:
                        reply = self.execute(message)
                except json.JSONDecodeError as exc:
                    reply = {"ok": False, "error": f"not JSON: {exc}"}
                await connection.send(json.dumps(reply))
        except ConnectionClosed:
            pass
        finally:
            follower.close()


def fleet_slice_of(links: Collection[StationLink], target: str) -> dict[str, Any]:
    """`GET /fleet?page=…&size=…&condition=…&search=…&offset=…&limit=…` (`rows.fleet_slice`)."""
    asked = {key: values[-1] for key, values in parse_qs(urlsplit(target).query).items()}
    now = next(iter(links)).clock.now() if links else time.time()
    query = FleetQuery.of(asked)
    return fleet_slice(links, query, int(asked.get("offset", 0)), int(asked.get("limit", query.size)), now)


def json_response(status: http.HTTPStatus, body: Any) -> Response:
    headers = Headers([("Content-Type", "application/json")])
    return Response(status.value, status.phrase, headers, json.dumps(body).encode())


class ControlClient:
    """`async with ControlClient("ws://127.0.0.1:8765/control") as control: await control.plug_in(...)`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: ClientConnection | None = None
        self._ids = 0

    async def __aenter__(self) -> ControlClient:
        self._connection = await connect(self.url, proxy=None)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._connection is not None:
            await self._connection.close()

    async def command(self, station: str, command: str, **args: Any) -> dict[str, Any]:
        assert self._connection is not None, "use `async with`"
        self._ids += 1
        await self._connection.send(
            json.dumps({"id": self._ids, "station": station, "command": command, **args})
        )
        reply: dict[str, Any] = json.loads(await self._connection.recv())
        if not reply.get("ok"):
            raise RuntimeError(f"{command} on {station}: {reply.get('error')}")
        result: dict[str, Any] = reply["result"]
        return result

    async def plug_in(self, station: str, evse: int = 1) -> dict[str, Any]:
        return await self.command(station, "plug_in", evse=evse)

    async def present_token(self, station: str, kind: str, code: str, evse: int = 1) -> dict[str, Any]:
        return await self.command(station, "present_token", type=kind, code=code, evse=evse)

    async def charge(
        self,
        station: str,
        evse: int = 1,
        *,
        power_kw: float | None = None,
        energy_kwh: float | None = None,
    ) -> dict[str, Any]:
        """The EV draws `power_kw` (default: what the EVSE gives) until `energy_kwh` more is in, or on."""
        limits = {"power_kw": power_kw, "energy_kwh": energy_kwh}
        return await self.command(
            station, "charge", evse=evse, **{key: value for key, value in limits.items() if value is not None}
        )

    async def stop(self, station: str, evse: int = 1, reason: str = "Local") -> dict[str, Any]:
        """The driver (or `reason`: Local, Remote, EVDisconnected …) ends the transaction."""
        return await self.command(station, "stop", evse=evse, reason=reason)

    async def unplug(self, station: str, evse: int = 1) -> dict[str, Any]:
        return await self.command(station, "unplug", evse=evse)

    async def go_offline(self, station: str, seconds: float | None = None) -> dict[str, Any]:
        return await self.command(station, "go_offline", seconds=seconds)

    async def reconnect(self, station: str) -> dict[str, Any]:
        """End a `go_offline` early: the station connects again and replays what it queued."""
        return await self.command(station, "reconnect")

    async def fault(self, station: str, kind: str, seconds: float | None = None) -> dict[str, Any]:
        return await self.command(station, "fault", kind=kind, seconds=seconds)

    async def state(self, station: str) -> dict[str, Any]:
        return await self.command(station, "state")
