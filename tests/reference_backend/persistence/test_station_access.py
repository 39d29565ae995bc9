"""The station access store on SQLite and PostgreSQL: registry, grants, desired settings and pushes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from evharness.reference_backend.domain.onboarding import CompanyDetails
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.station_access import StationStore

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def stations(store: Store) -> StationStore:
    return StationStore(store.engine)


def test_a_station_is_registered_placed_and_granted(stations: StationStore) -> None:
    with stations.begin() as tx:
        partner = tx.add_company(CompanyDetails("Volt", "NO"), "partner", "active", T0)
        owner = tx.add_company(CompanyDetails("Harbour", "NO"), "customer_business", "active", T0)
        installation = tx.add_installation(owner, "Garage", T0)
        station = tx.add_station("CP-1", T0)
        tx.register(station, "hash", partner, T0)
        tx.place(station, installation, None)
        tx.add_grant(station, {"role": "facility_owner", "company_id": owner}, None, T0, "added")
        tx.add_grant(station, {"role": "evse_owner", "email": "eve@example.com"}, None, T0, "handover")
    with stations.begin() as tx:
        found = tx.station("CP-1")
        assert found is not None
        assert (found.partner_company_id, found.installation_id, found.claim_code_hash) == (
            partner,
            installation,
            "hash",
        )
        assert [(g.role, g.company_id, g.email) for g in tx.grants(station)] == [
            ("facility_owner", owner, None),
            ("evse_owner", None, "eve@example.com"),
        ]
        assert [s.identity for s in tx.stations_in(installation)] == ["CP-1"]
        tx.remove_grants(station, "evse_owner")
        assert [g.role for g in tx.grants(station)] == ["facility_owner"]


def test_a_push_reports_only_the_value_still_desired(stations: StationStore) -> None:
    with stations.begin() as tx:
        station = tx.add_station("CP-2", T0)
        assert tx.set_desired(station, "max_current", "16", T0) is None
        assert tx.set_desired(station, "max_current", "10", T0) == "16"
        tx.record_push(station, "max_current", "16", "Accepted", None, T0)  # an older value's answer
        (setting,) = tx.settings(station)
        assert (setting.desired, setting.reported, setting.push_status) == ("10", None, "pending")
        tx.record_push(station, "max_current", "10", "Accepted", None, T0)
        (setting,) = tx.settings(station)
        assert (setting.desired, setting.reported, setting.push_status) == ("10", "10", "Accepted")


def test_audit_invitations_and_identifications(stations: StationStore) -> None:
    with stations.begin() as tx:
        station = tx.add_station("CP-3", T0)
        tx.audit(station, None, "setting", "max_current", None, "16", None, T0)
        tx.add_invitation("token-hash", station, "eve@example.com", None, T0)
        user = tx.add_local_user(station, "Ada", "L", blocked=False)
        tx.add_identification(station, user, "rfid", "04A1B2C3")
    with stations.begin() as tx:
        assert [(a.subject, a.old, a.new) for a in tx.audit_trail(station)] == [("max_current", None, "16")]
        assert tx.open_invitation("token-hash", T0) == (station, "eve@example.com", T0)
        assert tx.open_invitation("other", T0) is None
        assert tx.has_code(station, "04a1b2c3")
        assert not tx.has_code(station, "04A1B2C4")
        assert tx.meter_samples(station) == []


def test_local_users_are_read_per_station_with_their_identifications(stations: StationStore) -> None:
    with stations.begin() as tx:
        one, two = tx.add_station("CP-4", T0), tx.add_station("CP-5", T0)
        ada = tx.add_local_user(one, "Ada", "L", blocked=False)
        bo = tx.add_local_user(one, "Bo", "M", blocked=True)
        elsewhere = tx.add_local_user(two, "Cy", "N", blocked=False)
        pin = tx.add_identification(one, ada, "pin", "#1234")
        card = tx.add_identification(one, ada, "rfid", "04A1B2C3", "inactive", T0)
        tx.add_identification(two, elsewhere, "pin", "#1234")
    with stations.begin() as tx:
        users = tx.local_users(one)
        assert [(u.id, u.blocked, [i.id for i in u.identifications]) for u in users] == [
            (ada, False, [pin, card]),
            (bo, True, []),
        ]
        assert users[0].identifications[1].expires_at == T0
        assert tx.local_user(one, elsewhere) is None  # another station's user is not found
        tx.update_local_user(bo, {"blocked": False, "first_name": "Bob"})
        tx.update_identification(card, {"status": "active", "expires_at": None})
        tx.remove_local_user(ada)
    with stations.begin() as tx:
        assert tx.local_user(one, ada) is None
        assert not tx.has_code(one, "04a1b2c3")
        found = tx.local_user(one, bo)
        assert found is not None
        assert (found.first_name, found.blocked) == ("Bob", False)
        assert tx.has_code(two, "#1234")
        tx.remove_identification(tx.local_users(two)[0].identifications[0].id)
        assert not tx.has_code(two, "#1234")
