"""What becomes of a station CALL the CSMS failed (a CALLERROR, or no answer in time), per message type.

Transaction messages are retried as they are (the outbox, E13 / 1.6 §4.10). A state report —
StatusNotification, BootNotification, Firmware/LogStatusNotification — is sent again with the state
as it is NOW (issue 20): a CSMS that answered `RpcFrameworkError` or `InternalError` must still learn
the state, and a stale one is worth nothing. Neither is sent again after a format problem (the same
payload would fail the same way) or a NotImplemented/NotSupported (it never will be taken).
Anything else (a Heartbeat, an Authorize the driver sees fail) is not repeated.
"""

from __future__ import annotations

from collections.abc import Callable

from evharness.ocppj.errors import ErrorKind
from evharness.simulator.core.model import ConnectorState
from evharness.simulator.core.notes import BootNote, FirmwareStatusNote, LogStatusNote, Note, StatusNote

# The errors after which sending the same message again cannot help.
FINAL: frozenset[ErrorKind] = frozenset(
    {
        ErrorKind.FORMAT,
        ErrorKind.PROPERTY_CONSTRAINT,
        ErrorKind.OCCURRENCE_CONSTRAINT,
        ErrorKind.TYPE_CONSTRAINT,
        ErrorKind.NOT_IMPLEMENTED,
        ErrorKind.NOT_SUPPORTED,
        ErrorKind.SECURITY,
    }
)

StateOf = Callable[[int, int], ConnectorState | None]  # (evse id, connector id) → its state now


def worth_retrying(kind: ErrorKind | None) -> bool:
    """Whether a CALL that failed this way may succeed when sent again (None: no answer in time)."""
    return kind not in FINAL


def superseded(note: Note, waiting: list[Note]) -> bool:
    """Whether a report of the same thing already waits to go out (it says the state now)."""
    if isinstance(note, StatusNote):
        return any(
            isinstance(w, StatusNote) and (w.evse_id, w.connector_id) == (note.evse_id, note.connector_id)
            for w in waiting
        )
    return any(type(w) is type(note) for w in waiting)


def refreshed(note: Note, state_of: StateOf, at: float) -> Note | None:
    """The state report `note` sent again with the state as it is now; None if not a state report."""
    match note:
        case StatusNote(evse_id, connector_id, _, _, _):
            state = state_of(evse_id, connector_id)
            return None if state is None else StatusNote(evse_id, connector_id, state, at)
        case BootNote() | FirmwareStatusNote() | LogStatusNote():
            return note
    return None
