"""The CSMS keeps the station's Local Authorization List in sync (2.0.1 D01/D02, 1.6 §5.15/§5.10).

The list itself, its version rules and the per-message limits are in `simulator.core.local_auth`
(the offline decision reads it there); this module is the function the CSMS drives: a codec reads
its version's SendLocalList into a `ListUpdateRequest`, `update` says the outcome in neutral words
(`ListOutcome`), and the codec writes its version's status (1.6 answers NotSupported when the list
is disabled, 2.0.1 Failed; 2.0.1 names the limit a request broke in statusInfo).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.local_auth import ListUpdate, LocalList, message_refusal


class ListOutcome(StrEnum):
    ACCEPTED = "Accepted"
    FAILED = "Failed"
    VERSION_MISMATCH = "VersionMismatch"
    DISABLED = "Disabled"  # LocalAuthListCtrlr.Enabled is false
    TOO_MANY_ELEMENTS = "TooManyElements"  # over ItemsPerMessage / SendLocalListMaxLength (D01.FR.11)
    TOO_LARGE_ELEMENT = "TooLargeElement"  # over BytesPerMessage


@dataclass(frozen=True, slots=True)
class ListUpdateRequest:
    update_type: str  # Full or Differential
    version: int
    updates: list[ListUpdate]
    size_bytes: int | None = None  # the request's size, where the version has a byte limit (2.0.1)


def enabled(device: DeviceModel) -> bool:
    return device.flag("LocalAuthListCtrlr.Enabled")


def update(device: DeviceModel, local_list: LocalList, request: ListUpdateRequest) -> ListOutcome:
    """Apply a SendLocalList; a refused one changes nothing."""
    if not enabled(device):
        return ListOutcome.DISABLED
    refusal = message_refusal(device, len(request.updates), request.size_bytes)
    if refusal is not None:
        return ListOutcome(refusal)
    outcome = ListOutcome(local_list.apply(request.update_type, request.version, request.updates))
    sync_device(device, local_list)
    return outcome


def sync_device(device: DeviceModel, local_list: LocalList) -> None:
    """The list's size as 2.0.1 reports it: Entries counts the entries, Storage their bytes."""
    device.put("LocalAuthListCtrlr.Entries", str(len(local_list.entries)))
    device.put("LocalAuthListCtrlr.Storage", str(local_list.size_bytes()))
