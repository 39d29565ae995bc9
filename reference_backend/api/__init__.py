"""The console REST API (FastAPI): one router per area, all under `/api/`, and the console pages.

`create_app(state)` assembles the whole console: every router, the error mapping, the pages, the
metrics; routers reach the backend only through the `ApiState` it is given (see `api/deps.py`). The
backend operator's routes (`/api/operations/…`) are routers like the others, behind `OperatorDep`.
Handlers are plain `def`s where they block: FastAPI runs them in its thread pool, so argon2 hashing,
SQL and SMTP never block the OCPP event loop.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from evharness import __version__
from evharness.reference_backend import metrics, web
from evharness.reference_backend.api import (
    accounts,
    agreements,
    boot_policy,
    charging,
    companies,
    errors,
    headers,
    health,
    local_users,
    operations,
    registration,
    sso,
    station_certificates,
    station_files,
    station_security,
    stations,
    tariffs,
    tokens,
    transactions,
)
from evharness.reference_backend.api.state import ApiState

API_PREFIX = "/api"

ROUTERS: list[APIRouter] = [
    health.router,
    accounts.router,
    companies.router,
    registration.router,
    agreements.router,
    sso.router,
    stations.router,
    charging.router,
    station_security.router,
    station_certificates.router,
    station_files.router,
    station_files.files_router,
    local_users.router,
    tokens.router,
    transactions.router,
    tariffs.router,
    tariffs.operator_router,
    boot_policy.router,
    transactions.operator_router,
    operations.router,  # last: its POST /operations/{station}/{action} takes any action
]


def create_app(state: ApiState) -> FastAPI:
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
    app.mount(headers.DOCS_ASSETS, headers.docs_assets(), name="docs-assets")
    app.add_middleware(headers.SecurityHeaders)
    app.state.api = state
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    if state.metrics is not None:
        metrics.mount(app, state.metrics)
    web.mount(app)
    return app
