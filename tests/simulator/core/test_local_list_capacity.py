"""The local list's capacity is a number of entries: 1.6 LocalAuthListMaxLength, which on 2.0.1 is
the maxLimit of LocalAuthListCtrlr.Entries (whose value is the entries held); LocalAuthListCtrlr.Storage
is a size in bytes (2.0.1 Part 2 Appendix, LocalAuthListCtrlr)."""

from __future__ import annotations

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.model import StationConfig
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair

SMALL = StationConfig(serial_number="SIM-0001", variables=(("LocalAuthListMaxLength", "2"),))


def test_local_auth_list_max_length_is_the_maxlimit_of_entries() -> None:
    model = DeviceModel({"LocalAuthListMaxLength": "2"})
    assert model.max_limit("LocalAuthListCtrlr.Entries") == 2
    assert model.get_key("LocalAuthListMaxLength") == ("2", True)
    assert model.change_key("LocalAuthListMaxLength", "5") == "Rejected"  # read-only (1.6 §9.4)
    assert model.get_variable("LocalAuthListCtrlr", "Storage") == ("Accepted", "0")  # bytes, none used
    assert "LocalAuthListMaxLength" in model.keys_16()
    assert (
        DeviceModel({"LocalAuthListCtrlr.Entries.maxLimit": "7"}).max_limit("LocalAuthListCtrlr.Entries") == 7
    )


def test_a_bad_capacity_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'LocalAuthListMaxLength' must be a whole number"):
        DeviceModel({"LocalAuthListMaxLength": "many"})


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_the_list_holds_as_many_entries_as_its_capacity(store: Store, version: OcppVersion) -> None:
    pair = Pair.open("SIM-0001", version, store, SMALL)
    assert pair.station.local_list.capacity == 2
    if version is OcppVersion.V16:
        items = [{"idTag": f"0A0B0C0{n}", "idTagInfo": {"status": "Accepted"}} for n in range(3)]
        full = {"listVersion": 1, "updateType": "Full", "localAuthorizationList": items}
    else:
        items = [
            {"idToken": {"idToken": f"0A0B0C0{n}", "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}}
            for n in range(3)
        ]
        full = {"versionNumber": 1, "updateType": "Full", "localAuthorizationList": items}
    assert ask(pair, "SendLocalList", full)["status"] == "Failed"  # three over a capacity of two
    full["localAuthorizationList"] = items[:2]
    assert ask(pair, "SendLocalList", full)["status"] == "Accepted"


def test_a_2_0_1_report_shows_entries_with_its_maxlimit_and_storage_in_bytes(store: Store) -> None:
    pair = Pair.open("SIM-0001", OcppVersion.V201, store, SMALL)
    item = {"idToken": {"idToken": "0A0B0C0D", "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}}
    full = {"versionNumber": 1, "updateType": "Full", "localAuthorizationList": [item]}
    assert ask(pair, "SendLocalList", full) == {"status": "Accepted"}
    assert ask(pair, "GetBaseReport", {"requestId": 1, "reportBase": "FullInventory"})["status"] == "Accepted"
    rows = [r for page in sent(pair, "NotifyReport") for r in page["reportData"]]  # valid: the pair checks
    by_name = {(r["component"]["name"], r["variable"]["name"]): r for r in rows}
    entries = by_name[("LocalAuthListCtrlr", "Entries")]
    assert entries["variableAttribute"][0]["value"] == "1"
    assert entries["variableCharacteristics"]["maxLimit"] == 2
    storage = by_name[("LocalAuthListCtrlr", "Storage")]["variableAttribute"][0]["value"]
    assert int(storage) > 1  # bytes, not the number of entries
