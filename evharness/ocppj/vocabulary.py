"""The OCPP words the code compares, in one place: action names and status words.

`Action` (generated from the official schemas, `evharness.ocppj.payloads.actions`) names every action
of 1.6, 2.0.1 and 2.1; `Status` holds the status words that mean the same in every message that has
them. Both are constants, not enum members: at run time a plain `str` (a frame, a JSON key, a
database column), to mypy a `Literal` — so they fit the generated payload TypedDicts.
"""

from __future__ import annotations

from typing import Final

from evharness.ocppj.payloads.actions import ACTIONS, Action

__all__ = ["ACTIONS", "Action", "Status"]


class Status:
    """Status words of OCPP responses (RegistrationStatus, AuthorizationStatus, the generic ones)."""

    ACCEPTED: Final = "Accepted"
    REJECTED: Final = "Rejected"
    PENDING: Final = "Pending"  # BootNotification: not yet accepted (B02)
    SCHEDULED: Final = "Scheduled"  # Reset OnIdle, ChangeAvailability during a transaction
    NOT_SUPPORTED: Final = "NotSupported"
    NOT_IMPLEMENTED: Final = "NotImplemented"  # TriggerMessage of a message the station does not send
    FAILED: Final = "Failed"
    UNKNOWN: Final = "Unknown"
    INVALID: Final = "Invalid"
    BLOCKED: Final = "Blocked"
    EXPIRED: Final = "Expired"
    CONCURRENT_TX: Final = "ConcurrentTx"
