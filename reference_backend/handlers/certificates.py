"""Certificates and security events a station sends, on 1.6 (security white paper), 2.0.1 and 2.1.

SignCertificate (A02/A03): Accepted when `domain.certificates` lets the CSR through; the CSMS's CA
signs it, the store keeps what was issued, and CertificateSigned follows the answer with the chain
(A02.FR.04/05). SecurityEventNotification (A04): stored for the console. Get15118EVCertificate
(M01/M02) asks the contract-certificate source; GetCertificateStatus (M06) the OCSP responder the
request names (`handlers.ocsp`).
"""

from __future__ import annotations

import base64
import logging

from evharness import x509
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import parse_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status
from evharness.reference_backend.domain import contracts
from evharness.reference_backend.domain.certificates import csr_refusal, issue
from evharness.reference_backend.handlers import ocsp
from evharness.reference_backend.handlers.base import HandlerContext, Reply
from evharness.x509 import HashData

log = logging.getLogger("evharness.reference_backend.certificates")

STATION_CERTIFICATE = "ChargingStationCertificate"
MAX_CHAIN = 4  # contract certificate hash data asked about: the certificate and its sub-CAs
OCSP_RESULT_MAX = 5500  # GetCertificateStatusResponse.ocspResult


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


def get_15118_ev_certificate(ctx: HandlerContext, payload: Payload) -> Payload:
    """M01/M02: the EV's EXI request to the contract-certificate source, its answer back."""
    answer = ctx.store.contract_source.answer(  # `contract_sources`, chosen by --contract-source
        ctx.identity, payload["iso15118SchemaVersion"], payload["action"], payload["exiRequest"]
    )
    response: Payload = {"status": answer.status, "exiResponse": answer.exi_response}
    if answer.reason is not None:
        response["statusInfo"] = {"reasonCode": "ContractSource", "additionalInfo": answer.reason[:512]}
    return response


def get_certificate_status(ctx: HandlerContext, payload: Payload) -> Payload:
    """M06: the OCSP responder's answer (base64 DER) for the certificate, or Failed with why."""
    data = payload["ocspRequestData"]
    try:
        answer = ocsp.ask(HashData.from_wire(data), data["responderURL"])
    except (ocsp.OcspUnavailable, ValueError) as exc:
        log.info("%s: GetCertificateStatus failed: %s", ctx.identity, exc)
        return {
            "status": Status.FAILED,
            "statusInfo": {"reasonCode": "OCSPUnavailable", "additionalInfo": str(exc)[:512]},
        }
    result = base64.b64encode(answer).decode()
    if len(result) > OCSP_RESULT_MAX:
        return {"status": Status.FAILED, "statusInfo": {"reasonCode": "OCSPTooLong"}}
    return {"status": Status.ACCEPTED, "ocspResult": result}


def contract_status(ctx: HandlerContext, payload: Payload) -> str | None:
    """C07: the contract certificate's status by OCSP — from `iso15118CertificateHashData` (the station
    validated the chain, C07.FR.04) or from the chain in `certificate` (central validation, C07.FR.05);
    None when the Authorize carries neither."""
    entries = payload.get("iso15118CertificateHashData") or []
    asks: list[tuple[HashData, str]] = []
    for entry in entries[:MAX_CHAIN]:
        asks.append((HashData.from_wire(entry), entry["responderURL"]))
    if not asks and "certificate" in payload:
        try:
            chain = x509.load_chain(payload["certificate"])
        except ValueError:
            return "CertChainError"
        for child, parent in zip(chain, [*chain[1:], None], strict=True):
            if parent is not None and not x509.signed_by(child, parent):
                return "CertChainError"
            if not x509.valid_at(child, ctx.now.timestamp()):
                return "CertificateExpired"
        url = x509.responder_url(chain[0])
        if url is None:
            return contracts.NO_CERTIFICATE
        asks.append((x509.hash_data(chain[0], chain[1] if len(chain) > 1 else None), url))
    if not asks:
        return None
    answers = []
    for hashed, url in asks:
        try:
            answers.append(x509.ocsp_status(ocsp.ask(hashed, url)))
        except (ocsp.OcspUnavailable, ValueError) as exc:
            log.info("%s: contract certificate status unknown: %s", ctx.identity, exc)
            answers.append("UNAVAILABLE")
    return contracts.certificate_status(answers)
