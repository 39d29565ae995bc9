"""What keeps the console pages safe, as ASGI middleware in front of the whole console app.

- **Security headers** on every page and static file come from the app's one table
  (`reference_backend.api.headers`): a Content-Security-Policy that allows only the console's own
  script, styles and API (no inline script, no framing), `nosniff`, no referrer, no caching.
- **CSRF**: the pages hold the session token in the tab's sessionStorage and send it as
  `Authorization: Bearer`, never as a cookie, so a request another site makes the browser send carries
  no session. On top of that, an unsafe request (POST, PUT, PATCH, DELETE) to `/api/` whose `Origin`
  (or `Sec-Fetch-Site: cross-site`) says it comes from another site's page is refused with 403 before
  any handler runs. REST clients send no Origin and are not affected.
- **Emailed links**: the links in mails point at the API (`/api/links/{purpose}?token=…`), which REST
  clients use as they are; a browser opening one (it asks for `text/html`) is redirected to the page of
  that link, which then calls the same API.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

PAGES = "/console"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
LINKS = "/api/links/"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


def cross_site(scope: Scope) -> str | None:
    """Why this request comes from another site's page (then it must not act), or None."""
    site = _header(scope, b"sec-fetch-site")
    if site == "cross-site":
        return "the browser says it was sent by another site"
    origin = _header(scope, b"origin")
    if origin is None:
        return None  # not sent by a browser page (or a same-origin GET)
    host = _header(scope, b"host") or ""
    if origin == "null" or urlsplit(origin).netloc != host:
        return f"Origin {origin} is not this console ({host})"
    return None


def wants_page(scope: Scope) -> bool:
    accept = _header(scope, b"accept") or ""
    return "text/html" in accept


class Guard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        if path.startswith("/api/") and method in UNSAFE:
            refused = cross_site(scope)
            if refused is not None:
                await _answer(send, 403, {"detail": f"cross-site request refused: {refused}"})
                return
        if path.startswith(LINKS) and method == "GET" and wants_page(scope):
            target = f"{PAGES}/links/{path.removeprefix(LINKS)}"
            query = scope.get("query_string", b"").decode("latin-1")
            await _redirect(send, f"{target}?{query}" if query else target)
            return
        await self.app(scope, receive, send)


async def _answer(send: Send, status: int, body: dict[str, str]) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


async def _redirect(send: Send, location: str) -> None:
    headers = [
        (b"location", location.encode("latin-1")),
        (b"content-length", b"0"),
        (b"referrer-policy", b"no-referrer"),
    ]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
