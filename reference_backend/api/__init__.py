"""The console REST API (FastAPI): one router per area, all under `/api/`.

`create_app` is only the list of routers plus the error mapping; routers reach the backend through
`app.state` (see `api/deps.py`). Handlers are plain `def`s: FastAPI runs them in its thread pool, so
argon2 hashing, SQL and SMTP never block the OCPP event loop.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, FastAPI

from evharness import __version__
from reference_backend.api import (
    accounts,
    agreements,
    companies,
    errors,
    headers,
    health,
    local_users,
    registration,
    sso,
    stations,
    transactions,
)
from reference_backend.console.context import Console

API_PREFIX = "/api"

ROUTERS: list[APIRouter] = [
    health.router,
    accounts.router,
    companies.router,
    registration.router,
    agreements.router,
    sso.router,
    stations.router,
    local_users.router,
    transactions.router,
]


def create_app(count_connected: Callable[[], int], console: Console) -> FastAPI:
    app = FastAPI(
        title="evharness reference CSMS",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served below with its own Content-Security-Policy
        redoc_url=None,
    )
    docs_title = f"{app.title} — API docs"
    app.add_api_route(
        f"{API_PREFIX}/docs",
        lambda: headers.docs_page(f"{API_PREFIX}/openapi.json", docs_title),
        include_in_schema=False,
    )
    app.add_middleware(headers.SecurityHeaders)
    app.state.count_connected = count_connected
    app.state.console = console
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    return app
