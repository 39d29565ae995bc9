"""HTTP answers of the control port besides the JSON API: the pages, their static files, /metrics,
and the check that keeps other web sites off the control WebSocket.

    GET /ui                      the fleet table          (static/fleet.html)
    GET /ui/station/{identity}   one station              (static/station.html)
    GET /ui/static/{file}        scripts and styles, package data

A browser lets any page open a WebSocket anywhere, so a page from another site could drive the
stations: `/control` refuses a handshake whose `Origin` is not the control port itself, and on a
loopback address a `Host` that is not a loopback name (DNS rebinding). Scripts without an Origin
(`ControlClient`, websocat) are not affected.
"""

from __future__ import annotations

import http
import mimetypes
from importlib import resources
from urllib.parse import urlsplit

from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from evharness.pages import stylesheet

STATIC = resources.files("evharness.simulator.asyncio.web") / "static"
PAGES = {"/ui": "fleet.html", "/ui/station": "station.html"}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


def security_headers(host: str) -> list[tuple[str, str]]:
    """What every page and file of the control port is sent with: only our own scripts, styles and
    WebSocket; never framed; no referrer."""
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' ws://{host}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return [
        ("Content-Security-Policy", policy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]


def _file(name: str, host: str) -> Response | None:
    if "/" in name or name.startswith("."):
        return None
    found = STATIC / name
    if name == "style.css":
        body = stylesheet()
    elif found.is_file():
        body = found.read_bytes()
    else:
        return None
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind == "application/javascript" or kind == "text/javascript":
        kind += "; charset=utf-8"
    headers = Headers([("Content-Type", kind), ("Cache-Control", "no-cache"), *security_headers(host)])
    return Response(http.HTTPStatus.OK.value, "OK", headers, body)


def page(path: str, request: Request) -> Response | None:
    """The page or static file at `path`; None if there is none."""
    host = (request.headers.get_all("Host") or ["127.0.0.1"])[0]
    if path in PAGES:
        return _file(PAGES[path], host)
    if path.startswith("/ui/station/"):
        return _file(PAGES["/ui/station"], host)
    if path.startswith("/ui/static/"):
        return _file(path.removeprefix("/ui/static/"), host)
    return None


def foreign_origin(request: Request, bound_host: str) -> str | None:
    """Why a WebSocket handshake must be refused (another site's page), or None."""
    hosts, origins = request.headers.get_all("Host"), request.headers.get_all("Origin")
    if len(hosts) != 1 or len(origins) > 1:
        return "send one Host header and at most one Origin header"
    host, origin = hosts[0], (origins[0] if origins else None)
    if origin is not None and urlsplit(origin).netloc != host:
        return f"the control WebSocket serves pages of this port only, not {origin}"
    if bound_host in LOOPBACK_NAMES and host.rsplit(":", 1)[0] not in LOOPBACK_NAMES:
        return f"Host {host!r} is not this machine"
    return None
