"""A station's certificates and security events in the console: what it reported, what the CSMS
signed for it. Installing, listing and deleting on the station are remote operations
(`domain.remote_operations`: install-certificate, certificates, delete-certificate, renew-certificate)."""

from __future__ import annotations

from evharness.reference_backend.console.station_access import StationAccess, Stations
from evharness.reference_backend.persistence.certificate_store import IssuedRecord, SecurityEventRecord


def security_events(stations: Stations, access: StationAccess) -> list[SecurityEventRecord]:
    with stations.store.begin() as tx:
        return tx.security_events(access.station.id)


def issued_certificates(stations: Stations, access: StationAccess) -> list[IssuedRecord]:
    with stations.store.begin() as tx:
        return tx.issued_certificates(access.station.id)
