"""A station's security events and the certificates the CSMS signed for it (every role may see them,
as settings and meter values). Certificates on the station: `POST …/operations/install-certificate`,
`certificates`, `delete-certificate`, `renew-certificate` (`manage_certificates`)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.station_deps import CanView, StationsDep
from evharness.reference_backend.api.station_models import Record
from evharness.reference_backend.console import certificates

router = APIRouter(tags=["stations"], responses=REFUSALS)


class SecurityEvent(Record):
    type: str
    happened_at: datetime
    tech_info: str | None
    received_at: datetime


class IssuedCertificate(Record):
    certificate_type: str
    serial_number: str
    expires_at: datetime
    issued_at: datetime


@router.get("/stations/{identity}/security-events")
def security_events(access: CanView, st: StationsDep) -> list[SecurityEvent]:
    """The security events the station reported (SecurityEventNotification), newest first."""
    return [SecurityEvent.model_validate(e) for e in certificates.security_events(st, access)]


@router.get("/stations/{identity}/issued-certificates")
def issued_certificates(access: CanView, st: StationsDep) -> list[IssuedCertificate]:
    """The certificates the CSMS's CA signed for the station (SignCertificate), newest first."""
    return [IssuedCertificate.model_validate(c) for c in certificates.issued_certificates(st, access)]
