"""The console REST API (FastAPI). For now only health and the OpenAPI docs.

Later issues add accounts and authentication; until then nothing here exposes stored data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from fastapi import FastAPI
from pydantic import BaseModel

from evharness import __version__

API_PREFIX = "/api"


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    stations_connected: int


def create_app(count_connected: Callable[[], int]) -> FastAPI:
    app = FastAPI(
        title="evharness reference CSMS",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )

    @app.get(f"{API_PREFIX}/health", tags=["health"])
    async def health() -> Health:
        """Whether the backend runs, its version and how many stations are connected now."""
        return Health(version=__version__, stations_connected=count_connected())

    return app
