"""Persistence behind one module: SQLAlchemy Core tables and the `Store` that reads and writes them."""

from reference_backend.persistence.records import (
    BootInfo,
    MeterValueRecord,
    ProvisionCounts,
    ProvisionedIdentification,
    StationRecord,
    TokenLookup,
    TokenUse,
    TransactionRecord,
)
from reference_backend.persistence.store import Store

__all__ = [
    "BootInfo",
    "MeterValueRecord",
    "ProvisionCounts",
    "ProvisionedIdentification",
    "StationRecord",
    "Store",
    "TokenLookup",
    "TokenUse",
    "TransactionRecord",
]
