"""The authorization cache's size is in bytes: 2.0.1 AuthCacheCtrlr.Storage reports the bytes the cache
takes and its maxLimit is the capacity (2.0.1 Part 2 Appendix, AuthCacheCtrlr: there is no entry count);
1.6 has no configuration key for the cache's size."""

from __future__ import annotations

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.device_model import KEYS_16, DeviceModel
from evharness.simulator.core.local_auth import AuthCache, TokenInfo, entry_bytes
from evharness.simulator.core.model import PresentedToken, StationConfig
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair

ACCEPTED = TokenInfo("Accepted")
TOKENS = [PresentedToken(IdType.RFID, code) for code in ("0A0B0C01", "0A0B0C02", "0A0B0C03")]


def test_storage_is_bytes_with_the_capacity_as_its_maxlimit() -> None:
    model = DeviceModel()
    assert model.max_limit("AuthCacheCtrlr.Storage") == 65_536
    assert model.get_variable("AuthCacheCtrlr", "Storage") == ("Accepted", "0")  # bytes, none used
    assert model.set_variable("AuthCacheCtrlr", "Storage", "10") == "Rejected"  # read-only
    assert DeviceModel({"AuthCacheCtrlr.Storage.maxLimit": "100"}).max_limit("AuthCacheCtrlr.Storage") == 100
    assert "AuthCacheCtrlr.Storage" not in KEYS_16.values()  # 1.6: no key for the cache's size
    assert not [key for key in model.keys_16() if "Cache" in key and key != "AuthorizationCacheEnabled"]


def test_a_bad_capacity_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"'AuthCacheCtrlr\.Storage\.maxLimit' must be a whole number"):
        DeviceModel({"AuthCacheCtrlr.Storage.maxLimit": "-3"})


def test_the_cache_keeps_what_fits_in_its_bytes() -> None:
    one = entry_bytes("0A0B0C01", ACCEPTED)
    cache = AuthCache(capacity_bytes=2 * one)
    sizes: list[int] = []
    cache.on_resize = sizes.append
    for n in (1, 2, 3):
        cache.store(f"0A0B0C0{n}", ACCEPTED, now=float(n))
    assert (len(cache), cache.size_bytes()) == (2, 2 * one)  # the least recently used went
    assert cache.lookup("0A0B0C01", 4.0, 0) is None
    cache.store("0A0B0C02", ACCEPTED, now=5.0)  # replaced, not counted twice
    assert cache.size_bytes() == 2 * one
    cache.store("X" * 3 * one, ACCEPTED, now=6.0)  # larger than the whole cache: not held
    assert (len(cache), cache.size_bytes()) == (2, 2 * one)
    cache.clear()
    assert (cache.size_bytes(), sizes[-1]) == (0, 0)
    assert sizes[:3] == [one, 2 * one, 2 * one]


def test_a_2_0_1_station_reports_the_bytes_its_cache_takes(store: Store) -> None:
    capacity = 2 * entry_bytes(TOKENS[0].code, ACCEPTED) + 10
    config = StationConfig(
        serial_number="SIM-0001", variables=(("AuthCacheCtrlr.Storage.maxLimit", str(capacity)),)
    )
    pair = Pair.open("SIM-0001", OcppVersion.V201, store, config)
    pair.station.boot(pair.clock.now())
    pair.pump()
    assert pair.station.auth_cache.capacity_bytes == capacity
    for token in TOKENS:  # the CSMS answers each (Invalid: unknown here); each answer is cached
        pair.station.present_token(1, token, pair.clock.now())
        pair.pump()
    assert len(pair.station.auth_cache) == 2  # three do not fit
    got = ask(
        pair,
        "GetVariables",
        {"getVariableData": [{"component": {"name": "AuthCacheCtrlr"}, "variable": {"name": "Storage"}}]},
    )
    used = int(got["getVariableResult"][0]["attributeValue"])
    assert used == pair.station.auth_cache.size_bytes()
    assert len(pair.station.auth_cache) < used <= capacity  # bytes, not the number of entries
    assert ask(pair, "GetBaseReport", {"requestId": 1, "reportBase": "FullInventory"})["status"] == "Accepted"
    rows = [r for page in sent(pair, "NotifyReport") for r in page["reportData"]]  # in pages
    by_name = {(r["component"]["name"], r["variable"]["name"]): r for r in rows}
    storage = by_name[("AuthCacheCtrlr", "Storage")]
    assert storage["variableCharacteristics"]["maxLimit"] == capacity
    assert storage["variableAttribute"][0]["value"] == str(used)
    assert ask(pair, "ClearCache", {}) == {"status": "Accepted"}
    assert pair.station.device.values["AuthCacheCtrlr.Storage"] == "0"
