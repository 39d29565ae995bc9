"""The local list rules: entries from the decision table, Full vs Differential, growing versions,
and the SendLocalList requests on 1.6 and 2.0.1."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from evharness.idtokens import IdType, guess_type_from_idtag
from evharness.ocppj import schemas
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.local_list import (
    Entry,
    Update,
    apply,
    changes,
    entry_for,
    full,
    next_version,
    plan,
    request,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
BOTH = frozenset({IdType.PIN, IdType.RFID})

entries_st = st.dictionaries(
    st.sampled_from(["#1234", "#9999", "04A2B3C4", "04A2B3C4D5E6F7", "#00001"]),
    st.builds(
        Entry,
        st.sampled_from(list(IdType)),
        st.sampled_from(["Accepted", "Blocked", "Expired", "Invalid"]),
        st.none() | st.just(NOW + timedelta(days=1)),
    ),
).map(lambda d: {code: replace(e, id_type=guess_type_from_idtag(code)) for code, e in d.items()})


def test_entries_follow_the_decision_table() -> None:
    v16, v201 = OcppVersion.V16, OcppVersion.V201
    later = NOW + timedelta(days=3)
    assert entry_for(v16, IdType.PIN, BOTH, False, True, later, NOW) == Entry(IdType.PIN, "Accepted", later)
    assert entry_for(v201, IdType.RFID, BOTH, True, True, None, NOW).status == "Blocked"
    assert entry_for(v201, IdType.RFID, BOTH, False, False, None, NOW).status == "Invalid"
    assert entry_for(v16, IdType.PIN, BOTH, False, True, NOW, NOW).status == "Expired"
    disabled = entry_for(v16, IdType.PIN, frozenset({IdType.RFID}), False, True, None, NOW)
    assert disabled.status == "Invalid"


def test_first_time_and_a_station_with_another_version_get_a_full_list() -> None:
    entries = {"#1234": Entry(IdType.PIN, "Accepted")}
    assert plan(entries, None, None, 0) == Update("Full", 1, (("#1234", entries["#1234"]),))
    assert plan(entries, entries, 3, 0) == Update("Full", 4, (("#1234", entries["#1234"]),))
    assert plan(entries, entries, 3, 9) == Update("Full", 10, (("#1234", entries["#1234"]),))
    assert plan(entries, entries, 3, 3) is None
    assert plan(entries, entries, 3, None) is None


@given(entries_st, entries_st, st.integers(1, 1000), st.none() | st.integers(0, 1000))
def test_versions_strictly_increase_and_a_differential_holds_exactly_the_changes(
    old: dict[str, Entry], new: dict[str, Entry], last: int, station: int | None
) -> None:
    update = plan(new, old, last, station)
    if update is None:
        assert old == new
        assert station in (None, last)
        return
    assert update.version > last
    assert update.version > (station or 0)
    if update.update_type == "Differential":
        changed = {code for code, _ in update.entries}
        assert changed == {c for c in old.keys() | new.keys() if old.get(c) != new.get(c)}
        assert changed  # never an empty Differential
    assert apply(old, update) == new  # whatever was sent, the station ends up with the list


@given(entries_st)
def test_requests_are_valid_ocpp_on_both_versions(entries: dict[str, Entry]) -> None:
    for update in (
        full(entries, None),
        Update("Differential", 2, changes({"#7777": Entry(IdType.PIN, "Accepted")}, entries)),
    ):
        for version in (OcppVersion.V16, OcppVersion.V201):
            payload = request(version, update)
            validate = schemas.validator(version, "SendLocalList", response=False)
            assert validate is not None
            assert schemas.check(validate, payload) is None, payload


def test_the_wire_shapes() -> None:
    pin = Entry(IdType.PIN, "Accepted", NOW)
    card = Entry(IdType.RFID, "Blocked")
    update = Update("Differential", 5, (("#1234", pin), ("04A2B3C4", card), ("#0000", None)))
    assert request(OcppVersion.V16, update) == {
        "listVersion": 5,
        "updateType": "Differential",
        "localAuthorizationList": [
            {"idTag": "#1234", "idTagInfo": {"status": "Accepted", "expiryDate": "2026-06-01T00:00:00.000Z"}},
            {"idTag": "04A2B3C4", "idTagInfo": {"status": "Blocked"}},
            {"idTag": "#0000"},
        ],
    }
    wire = request(OcppVersion.V201, update)
    assert wire["versionNumber"] == 5
    assert request(OcppVersion.V201, full({"E004010203040506": card}, None))["localAuthorizationList"] == [
        {"idToken": {"idToken": "E004010203040506", "type": "ISO15693"}, "idTokenInfo": {"status": "Blocked"}}
    ]
    assert wire["localAuthorizationList"] == [
        {
            "idToken": {"idToken": "1234", "type": "KeyCode"},  # 2.0.1: digits (an identifierString)
            "idTokenInfo": {"status": "Accepted", "cacheExpiryDateTime": "2026-06-01T00:00:00.000Z"},
        },
        {"idToken": {"idToken": "04A2B3C4", "type": "ISO14443"}, "idTokenInfo": {"status": "Blocked"}},
        {"idToken": {"idToken": "0000", "type": "KeyCode"}},
    ]
    # 2.0.1 forbids an empty array: an empty Full list omits it; 1.6 sends [].
    assert request(OcppVersion.V201, full({}, 1)) == {"versionNumber": 2, "updateType": "Full"}
    assert request(OcppVersion.V16, full({}, 1))["localAuthorizationList"] == []


def test_next_version_is_positive() -> None:
    assert next_version(None) == 1
    assert next_version(0, 0) == 1
    assert next_version(4, 2) == 5
