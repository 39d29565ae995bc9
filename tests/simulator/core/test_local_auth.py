"""The local list's version rules and the cache's lifetime, expiry and eviction, as plain objects."""

from __future__ import annotations

from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.local_auth import AuthCache, ListUpdate, LocalList, TokenInfo, entry_bytes

ACCEPTED = TokenInfo("Accepted")


def test_the_local_list_keeps_its_version_and_refuses_bad_updates() -> None:
    local = LocalList(capacity=2)
    assert (
        local.apply("Full", 1, [ListUpdate("A", ACCEPTED), ListUpdate("B", TokenInfo("Blocked"))])
        == "Accepted"
    )
    assert local.apply("Differential", 1, [ListUpdate("C", ACCEPTED)]) == "VersionMismatch"
    assert local.apply("Differential", 2, [ListUpdate("C", ACCEPTED)]) == "Failed"  # over capacity
    assert local.apply("Differential", 2, [ListUpdate("A", None), ListUpdate("A", None)]) == "Failed"  # dup
    assert (local.version, sorted(local.entries)) == (1, ["A", "B"])  # refused updates change nothing
    assert local.apply("Differential", 2, []) == "Accepted"  # D01.FR.05: only the version moves
    assert local.version == 2
    assert local.lookup("B", 0.0) == "Blocked"
    assert local.lookup("Z", 0.0) is None


def test_the_cache_expires_forgets_and_evicts_refused_entries_first() -> None:
    cache = AuthCache(capacity_bytes=2 * entry_bytes("C", ACCEPTED))  # room for two one-letter entries
    cache.store("PAST", TokenInfo("Accepted", expires_at=5.0), now=10.0)  # C10.FR.13: not cached
    assert cache.lookup("PAST", 10.0, 0) is None
    cache.store("A", TokenInfo("Accepted", expires_at=100.0), now=0.0)
    assert cache.lookup("A", 50.0, 0) == "Accepted"
    assert cache.lookup("A", 150.0, 0) == "Expired"
    assert cache.lookup("A", 150.0, lifetime_s=60) is None  # C10.FR.10: older than the lifetime
    cache.store("B", TokenInfo("Blocked"), now=0.0)
    cache.store("C", ACCEPTED, now=1.0)
    cache.store("D", ACCEPTED, now=2.0)
    assert cache.lookup("B", 3.0, 0) is None  # the refused entry went first
    assert cache.lookup("C", 3.0, 0) == "Accepted"
    assert len(cache) == 2


def test_device_model_types_and_1_6_aliases() -> None:
    model = DeviceModel({"HeartbeatInterval": "60", "AuthCtrlr.LocalPreAuthorize": "true"})
    assert model.number("OCPPCommCtrlr.HeartbeatInterval") == 60
    assert model.flag("AuthCtrlr.LocalPreAuthorize")
    assert model.get_key("LocalPreAuthorize") == ("true", False)
    assert model.change_key("LocalPreAuthorize", "FALSE") == "Accepted"
    assert model.get_variable("AuthCtrlr", "LocalPreAuthorize") == ("Accepted", "false")
    assert model.set_variable("OCPPCommCtrlr", "HeartbeatInterval", "0") == "Rejected"  # below its minimum
    assert (
        model.change_key("AuthorizationKey", "00112233445566778899aabbccddeeff") == "Accepted"
    )  # 16 bytes hex
    assert model.get_variable("SecurityCtrlr", "BasicAuthPassword") == ("Rejected", "")  # write-only
