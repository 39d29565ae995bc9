"""Security headers on every HTTP answer of the backend: console API, its docs, the console pages.

One table, `AREAS`: the first path prefix that matches says the headers; every answer also gets
`COMMON`. A route that sets its own Content-Security-Policy keeps it (the API docs page allows its
one inline script by hash, `docs_page`). Behind TLS — the request's scheme is `https`, directly or
through a proxy named in `--forwarded-allow-ips` — HSTS is added. Rendered in docs/security.md.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = ("strict-transport-security", "max-age=31536000; includeSubDomains")

COMMON: list[tuple[str, str]] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),  # emailed links carry their token in the address
    ("cross-origin-opener-policy", "same-origin"),
]

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# The Swagger UI's files, served by the backend itself (`/api/docs/assets/`): the docs work offline
DOCS_ASSETS = "/api/docs/assets"

# path prefix → headers beside COMMON (first match wins)
AREAS: list[tuple[str, list[tuple[str, str]]]] = [
    ("/console", [("content-security-policy", PAGE_POLICY), ("cache-control", "no-store")]),
    ("/api/docs", []),  # the page sets its own policy (its inline script's hash)
    ("/", [("content-security-policy", API_POLICY)]),
]

INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_assets() -> StaticFiles:
    """The Swagger UI bundle as the `fastapi-offline` package ships it (Swagger UI 5, OpenAPI 3.1)."""
    import fastapi_offline

    return StaticFiles(directory=Path(fastapi_offline.__file__).parent / "static")


def headers_for(path: str, scheme: str) -> list[tuple[str, str]]:
    own = next(headers for prefix, headers in AREAS if path.startswith(prefix))
    return [*COMMON, *own, *([HSTS] if scheme in ("https", "wss") else [])]


def docs_page(openapi_url: str, title: str) -> HTMLResponse:
    """The Swagger UI page with its scripts and styles from the backend itself (no CDN) and a policy that
    allows those and its one inline script by hash: nothing else runs on it."""
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
    )
    body = bytes(page.body).decode()
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in INLINE_SCRIPT.findall(body)
    )
    policy = (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )
    return HTMLResponse(body, headers={"content-security-policy": policy})


class SecurityHeaders:
    """ASGI middleware adding `headers_for(path)` to each answer (replacing what the route set for the
    same names, except a Content-Security-Policy of its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"], scope.get("scheme", "http"))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key.decode("latin-1").lower() for key, _ in message.get("headers", [])}
                added = [
                    (name, value)
                    for name, value in extra
                    if name not in present or name != "content-security-policy"
                ]
                names = {name for name, _ in added}
                kept = [
                    (k, v) for k, v in message.get("headers", []) if k.decode("latin-1").lower() not in names
                ]
                message = {**message, "headers": kept + [(n.encode(), v.encode()) for n, v in added]}
            await send(message)

        await self.app(scope, receive, sending)


def render_markdown() -> str:
    """`COMMON` and `AREAS` as docs/security.md shows them."""
    lines = ["| paths | header | value |", "|---|---|---|"]
    lines += [f"| every answer | `{name}` | `{value}` |" for name, value in COMMON]
    for prefix, headers in AREAS:
        own = headers or [
            ("content-security-policy", "its own: the Swagger UI it serves, its inline script by hash")
        ]
        lines += [f"| `{prefix}…` | `{name}` | `{value}` |" for name, value in own]
    lines.append(f"| behind TLS (`https`) | `{HSTS[0]}` | `{HSTS[1]}` |")
    return "\n".join(lines) + "\n"
