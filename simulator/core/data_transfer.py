"""DataTransfer (2.0.1 P01/P02, 1.6 §4.3 and §5.6): vendor extensions as a table the tester fills.

Theory of operation: `VendorTable` maps a vendorId to its messages: messageId → `Reply` (the status
and the data to answer; `ECHO` answers the request's own data). `ANY_MESSAGE` stands for every
messageId of a vendor, including none. The answer to a CSMS's DataTransfer is read from the table:
UnknownVendorId for a vendorId not in it (P01.FR.06, 1.6 §5.6), UnknownMessageId for a messageId
the vendor does not list (P01.FR.05), else the reply. The default table knows one vendor,
`evharness`, that echoes whatever it gets. What the station sends of its own (a `DataTransferNote`)
and the CSMS's answer to it are recorded as `DataTransferred` events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from evharness.ocppj.vocabulary import Status

TransferStatus = Literal["Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"]
STATUSES: tuple[TransferStatus, ...] = ("Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId")
ANY_MESSAGE = "*"
ECHO = object()  # a Reply's data: the request's own data
DEFAULT_VENDOR = "evharness"


@dataclass(frozen=True, slots=True)
class Reply:
    status: TransferStatus = Status.ACCEPTED
    data: object = ECHO  # a JSON value, None for no data, or ECHO


@dataclass(frozen=True, slots=True)
class VendorEntry:
    """One row of a tester's table: `vendor` answers `message` (ANY_MESSAGE: all) with `reply`."""

    vendor: str
    message: str = ANY_MESSAGE
    reply: Reply = Reply()


DEFAULT_TABLE: tuple[VendorEntry, ...] = (VendorEntry(DEFAULT_VENDOR),)


class VendorTable:
    def __init__(self, entries: Iterable[VendorEntry] = DEFAULT_TABLE) -> None:
        self.vendors: dict[str, dict[str, Reply]] = {}
        self.register(entries)

    def register(self, entries: Iterable[VendorEntry]) -> None:
        """Add (or replace) rows: what the tester wants the station to answer."""
        for entry in entries:
            self.vendors.setdefault(entry.vendor, {})[entry.message] = entry.reply

    def answer(self, vendor: str, message: str | None, data: object) -> tuple[TransferStatus, object]:
        """(status, data or None) for a DataTransfer with these fields."""
        messages: Mapping[str, Reply] | None = self.vendors.get(vendor)
        if messages is None:
            return "UnknownVendorId", None
        reply = messages.get(message or "", messages.get(ANY_MESSAGE))
        if reply is None:
            return "UnknownMessageId", None
        return reply.status, data if reply.data is ECHO else reply.data


def parse_entry(text: str) -> VendorEntry:
    """`vendor[:message][=status[:data]]`, e.g. `com.acme:Price=Accepted:42` (CLI and config)."""
    head, _, tail = text.partition("=")
    vendor, _, message = head.partition(":")
    if not vendor:
        raise ValueError(f"a data transfer entry needs a vendorId: {text!r}")
    word, _, data = tail.partition(":")
    status = next((s for s in STATUSES if s == (word or Status.ACCEPTED)), None)
    if status is None:
        raise ValueError(f"a data transfer status is one of {', '.join(STATUSES)}, not {word!r}")
    return VendorEntry(vendor, message or ANY_MESSAGE, Reply(status, data if data else ECHO))
