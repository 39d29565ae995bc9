"""DataTransfer the CSMS answers (2.0.1 P02, 1.6 §4.3): the vendor extensions it knows, as a table.

`VENDORS` maps a vendorId to its messageIds, each answered by a small function of the request's
data. A vendorId not in the table is UnknownVendorId, a messageId its vendor does not list is
UnknownMessageId (P02.FR.05/06, 1.6 §4.3; TC_P_02 and TC_064 expect either, or Rejected). One vendor
is built in: `org.evharness` with `Echo`, which sends the data back (for testing a station's
DataTransfer end to end). Another vendor's extension is a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Reply = tuple[str, Any]  # (status, data or None)
Answer = Callable[[Any], Reply]

VENDORS: dict[str, dict[str, Answer]] = {
    "org.evharness": {"Echo": lambda data: ("Accepted", data)},
}


def answer(vendor: str, message: str | None, data: Any) -> Reply:
    messages = VENDORS.get(vendor)
    if messages is None:
        return "UnknownVendorId", None
    reply = messages.get(message or "")
    if reply is None:
        return "UnknownMessageId", None
    return reply(data)


def render_markdown() -> str:
    """The table as docs/reservations.md shows it."""
    lines = ["| vendorId | messageId |", "|---|---|"]
    for vendor, messages in VENDORS.items():
        lines += [f"| `{vendor}` | `{message}` |" for message in messages]
    return "\n".join(lines) + "\n"
