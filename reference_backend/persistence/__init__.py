"""Persistence behind one module: SQLAlchemy Core tables and the `Store` that reads and writes them."""

from evharness.reference_backend.persistence.records import (
    BootInfo,
    MeterValueRecord,
    ProvisionCounts,
    ProvisionedIdentification,
    StationRecord,
    TokenLookup,
    TokenUse,
    TransactionRecord,
)
from evharness.reference_backend.persistence.store import Store

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

# The console's tables join the shared metadata whenever persistence is imported.
from evharness.reference_backend.persistence import account_tables as _account_tables
from evharness.reference_backend.persistence import certificate_tables as _certificate_tables
from evharness.reference_backend.persistence import report_tables as _report_tables
from evharness.reference_backend.persistence import station_tables as _station_tables

del _account_tables, _certificate_tables, _report_tables, _station_tables
