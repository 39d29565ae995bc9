"""Certificates and security events a station sends, on 1.6 (security white paper), 2.0.1 and 2.1.

SignCertificate (A02/A03): Accepted when `domain.certificates` lets the CSR through; the CSMS's CA
signs it, the store keeps what was issued, and CertificateSigned follows the answer with the chain
(A02.FR.04/05). SecurityEventNotification (A04): stored for the console. Get15118EVCertificate
(M01/M02) asks the contract-certificate source; GetCertificateStatus (M06) the OCSP responder the
request names (`handlers.ocsp`).
"""

from __future__ import annotations

import logging

from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import parse_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status
from reference_backend.domain.certificates import csr_refusal, issue
from reference_backend.handlers.base import HandlerContext, Reply

log = logging.getLogger("reference_backend.certificates")

STATION_CERTIFICATE = "ChargingStationCertificate"


def sign_certificate(ctx: HandlerContext, payload: Payload) -> Payload | Reply:
    """A02.FR.02–05: Rejected (2.0.1: why in statusInfo) unless the CSR names this station."""
    kind = payload.get("certificateType", STATION_CERTIFICATE)
    refusal = csr_refusal(payload["csr"], ctx.identity)
    if refusal is not None:
        log.info("%s: SignCertificate %s rejected: %s", ctx.identity, kind, refusal)
        answer: Payload = {"status": Status.REJECTED}
        if ctx.version is not OcppVersion.V16:
            answer["statusInfo"] = {"reasonCode": "InvalidCSR", "additionalInfo": refusal[:512]}
        return answer
    authority = ctx.store.certificate_authority(ctx.now)
    issued = issue(authority, payload["csr"], ctx.now.timestamp())
    ctx.store.record_issued(ctx.station, kind, issued, ctx.now)
    signed: Payload = {"certificateChain": issued.chain}
    if ctx.version is not OcppVersion.V16:
        signed["certificateType"] = kind
    return Reply({"status": Status.ACCEPTED}, then=((Action.CertificateSigned, signed),))


def security_event_notification(ctx: HandlerContext, payload: Payload) -> Payload:
    """A04: kept, listed per station in the console."""
    happened_at, tech_info = parse_timestamp(payload["timestamp"]), payload.get("techInfo")
    ctx.store.record_security_event(ctx.station, payload["type"], happened_at, tech_info, ctx.now)
    return {}
