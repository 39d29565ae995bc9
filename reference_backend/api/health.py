"""`GET /api/health`: is the backend up, which version, how many stations are connected."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from evharness import __version__
from evharness.reference_backend.api.deps import StateDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    stations_connected: int


@router.get("/health")
async def health(state: StateDep) -> Health:
    """Whether the backend runs, its version and how many stations are connected now."""
    return Health(version=__version__, stations_connected=state.count_connected())
