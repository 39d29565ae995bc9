"""OCPP action handlers, one table per version: action name → function (`HANDLERS`)."""

from __future__ import annotations

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.handlers import v16, v21, v201
from evharness.reference_backend.handlers.base import BootAnswer, Handler, HandlerContext, Reply

HANDLERS: dict[OcppVersion, dict[str, Handler]] = {
    OcppVersion.V16: v16.HANDLERS,
    OcppVersion.V201: v201.HANDLERS,
    OcppVersion.V21: v21.HANDLERS,
}

__all__ = ["HANDLERS", "BootAnswer", "Handler", "HandlerContext", "Reply"]
