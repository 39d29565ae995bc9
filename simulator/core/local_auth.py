"""The Local Authorization List and the Authorization Cache, and the offline decision made from them.

Version rules (2.0.1 D01, 1.6 §5.15 / §3.5): the list has a version, 0 meaning "no list"; a
SendLocalList version must be > 0 (D01.FR.18); a Differential update with a version not above the
current one is a VersionMismatch (D01.FR.19); a Full update replaces the list and needs idTokenInfo
on every entry; a Differential entry without it is removed (D01.FR.17). The cache holds the latest
answer for each presented token (C10), never a token of the local list (1.6 §3.5.3), never one
whose cacheExpiryDateTime is already past (C10.FR.13), and forgets entries older than
AuthCacheCtrlr.LifeTime (C10.FR.10). Its capacity is a number of bytes (2.0.1 AuthCacheCtrlr.Storage's
maxLimit; Storage itself reports the bytes used): when full it evicts non-accepted entries first, then
the least recently used; an entry larger than the whole capacity is not cached.

A station also limits one SendLocalList (2.0.1 LocalAuthListCtrlr.ItemsPerMessage and
BytesPerMessage, 1.6 SendLocalListMaxLength), which the CSMS must respect by splitting (D01.FR.11);
a request over them is answered Failed and changes nothing (`message_refusal`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from evharness.ocppj.vocabulary import Status

if TYPE_CHECKING:
    from evharness.simulator.core.device_model import DeviceModel


@dataclass(frozen=True, slots=True)
class TokenInfo:
    status: str
    expires_at: float | None = None  # simulated epoch seconds
    group: str | None = None  # 2.0.1 groupIdToken / 1.6 parentIdTag: who may stop whose transaction (C09)

    def status_at(self, now: float) -> str:
        if self.expires_at is not None and now >= self.expires_at and self.status == Status.ACCEPTED:
            return Status.EXPIRED
        return self.status


@dataclass(frozen=True, slots=True)
class ListUpdate:
    code: str
    info: TokenInfo | None  # None: remove (Differential only)


class LocalList:
    def __init__(self, capacity: int = 10_000) -> None:
        self.version = 0
        self.entries: dict[str, TokenInfo] = {}
        self.capacity = capacity

    def apply(self, update_type: str, version: int, updates: list[ListUpdate]) -> str:
        """Accepted, Failed or VersionMismatch; a refused update changes nothing."""
        codes = [u.code for u in updates]
        if version <= 0 or len(set(codes)) != len(codes):  # D01.FR.18, D01.FR.06
            return Status.FAILED
        if update_type == "Full":
            if any(u.info is None for u in updates):
                return Status.FAILED
            entries = {u.code: u.info for u in updates if u.info is not None}
        else:
            if version <= self.version:  # D01.FR.19
                return "VersionMismatch"
            entries = dict(self.entries)
            for update in updates:
                if update.info is None:
                    entries.pop(update.code, None)  # D01.FR.17
                else:
                    entries[update.code] = update.info
        if len(entries) > self.capacity:
            return Status.FAILED
        self.entries = entries
        self.version = version
        return Status.ACCEPTED

    def lookup(self, code: str, now: float) -> str | None:
        info = self.entries.get(code)
        return None if info is None else info.status_at(now)

    def to_data(self) -> dict[str, Any]:
        """The list as JSON-able data: a station keeps its list across restarts."""
        return {
            "version": self.version,
            "entries": {c: [i.status, i.expires_at, i.group] for c, i in self.entries.items()},
        }

    def size_bytes(self) -> int:
        """What the entries take as stored (LocalAuthListCtrlr.Storage counts bytes, not entries)."""
        return len(orjson.dumps(self.to_data()["entries"])) if self.entries else 0

    def load_data(self, data: dict[str, Any]) -> None:
        self.version = int(data.get("version", 0))
        self.entries = {code: TokenInfo(*fields) for code, fields in data.get("entries", {}).items()}


def message_refusal(device: DeviceModel, items: int, size: int | None) -> str | None:
    """Why a SendLocalList with `items` entries and a `size`-byte payload is over the station's
    per-message limits (the OCPP 2.1 Appendix reasonCode), or None when it is within them.

    `size` None: the byte limit does not apply (1.6 has no such key, so a 1.6 CSMS cannot know it).
    """
    if items > device.number("LocalAuthListCtrlr.ItemsPerMessage"):
        return "TooManyElements"
    if size is not None and size > device.number("LocalAuthListCtrlr.BytesPerMessage"):
        return "TooLargeElement"
    return None


@dataclass(slots=True)
class _Cached:
    info: TokenInfo
    updated_at: float
    size: int  # bytes, as stored


def entry_bytes(code: str, info: TokenInfo) -> int:
    """What one cache entry takes as stored: the code, status, expiry and group, as JSON."""
    return len(orjson.dumps([code, info.status, info.expires_at, info.group]))


class AuthCache:
    def __init__(self, capacity_bytes: int = 65_536) -> None:
        self.capacity_bytes = capacity_bytes
        self.on_resize: Callable[[int], None] | None = None  # hears the new size in bytes
        self._entries: OrderedDict[str, _Cached] = OrderedDict()
        self._size = 0

    def __len__(self) -> int:
        return len(self._entries)

    def size_bytes(self) -> int:
        """What the entries take (AuthCacheCtrlr.Storage counts bytes, not entries)."""
        return self._size

    def store(self, code: str, info: TokenInfo, now: float) -> None:
        self._drop(code)
        size = entry_bytes(code, info)
        # C10.FR.13: a past expiry prevents caching; an entry over the capacity cannot be held
        if (info.expires_at is None or info.expires_at > now) and size <= self.capacity_bytes:
            self._entries[code] = _Cached(info, now, size)
            self._size += size
            while self._size > self.capacity_bytes:
                refused = next(
                    (c for c, e in self._entries.items() if e.info.status != Status.ACCEPTED), None
                )
                self._drop(refused if refused is not None else next(iter(self._entries)))
        self._resized()

    def lookup(self, code: str, now: float, lifetime_s: float) -> str | None:
        cached = self._entries.get(code)
        if cached is None:
            return None
        if lifetime_s > 0 and now - cached.updated_at > lifetime_s:  # C10.FR.10
            self._drop(code)
            self._resized()
            return None
        self._entries.move_to_end(code)
        return cached.info.status_at(now)

    def entries(self) -> list[tuple[str, TokenInfo]]:
        """(code, what the CSMS answered), least recently used first: for people to look at."""
        return [(code, cached.info) for code, cached in self._entries.items()]

    def forget(self, code: str) -> bool:
        """Drop one token (N10: a customer's data cleared); whether it was there."""
        known = code in self._entries
        self._drop(code)
        self._resized()
        return known

    def clear(self) -> None:
        self._entries.clear()
        self._size = 0
        self._resized()

    def _drop(self, code: str) -> None:
        dropped = self._entries.pop(code, None)
        if dropped is not None:
            self._size -= dropped.size

    def _resized(self) -> None:
        if self.on_resize is not None:
            self.on_resize(self._size)


def decide_locally(
    device: DeviceModel, local_list: LocalList, cache: AuthCache, code: str, now: float, online: bool
) -> tuple[str, str] | None:
    """(status, source) when the station decides itself, None when it must ask the CSMS.

    Local list first, then the cache (1.6 §3.5.3). Online: a locally Accepted token starts at once
    with LocalPreAuthorize (C12.FR.02). Offline: LocalAuthorizeOffline lets a locally Accepted token
    charge (C13.FR.02), OfflineTxForUnknownIdEnabled an unknown one (C15.FR.02).
    """
    listed = local_list.lookup(code, now) if device.flag("LocalAuthListCtrlr.Enabled") else None
    cached = None
    if listed is None and device.flag("AuthCacheCtrlr.Enabled"):
        cached = cache.lookup(code, now, device.number("AuthCacheCtrlr.LifeTime"))
    known = listed if listed is not None else cached
    source = "LocalList" if listed is not None else "Cache"
    if online:
        return (
            (Status.ACCEPTED, source)
            if known == Status.ACCEPTED and device.flag("AuthCtrlr.LocalPreAuthorize")
            else None
        )
    if known is None:
        unknown_ok = device.flag("AuthCtrlr.OfflineTxForUnknownIdEnabled")
        return (Status.ACCEPTED, "OfflineUnknown") if unknown_ok else (Status.INVALID, "Offline")
    if known == Status.ACCEPTED and not device.flag("AuthCtrlr.LocalAuthorizeOffline"):
        return Status.INVALID, "Offline"
    return known, source
