"""An EV's contract certificate at the CSMS: where it comes from (2.0.1 M01/M02,
Get15118EVCertificate) and what its status means for an Authorize (C07).

The EXI messages of ISO 15118 pass through the CSMS as opaque base64: the CSMS hands the EV's
request to a contract-certificate source (a mobility operator's or a V2G root's PKI) and returns its
answer. `ContractSource` is that source; `LocalContracts` is the one for tests and demos — it answers
every well-formed request with a made-up EXI response derived from the request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Literal, Protocol

Outcome = Literal["Accepted", "Failed"]


@dataclass(frozen=True, slots=True)
class ContractAnswer:
    status: Outcome
    exi_response: str  # base64 EXI (empty when Failed)
    reason: str | None = None


class ContractSource(Protocol):
    def answer(self, identity: str, schema_version: str, action: str, exi_request: str) -> ContractAnswer: ...


class LocalContracts:
    """Accepted for any base64 request; the response is base64 of a fixed marker and the request's
    SHA-256, so a test can tell which request it answers."""

    def answer(self, identity: str, schema_version: str, action: str, exi_request: str) -> ContractAnswer:
        try:
            raw = base64.b64decode(exi_request, validate=True)
        except (binascii.Error, ValueError):
            return ContractAnswer("Failed", "", "exiRequest is not base64")
        made_up = b"evharness-contract:" + action.encode() + b":" + hashlib.sha256(raw).digest()
        return ContractAnswer("Accepted", base64.b64encode(made_up).decode())


# An OCSP answer about a contract certificate → AuthorizeResponse.certificateStatus (C07.FR.04/05);
# anything else the responder says (or its silence) is NoCertificateAvailable.
CERTIFICATE_STATUS: dict[str, str] = {
    "GOOD": "Accepted",
    "REVOKED": "CertificateRevoked",
}
NO_CERTIFICATE = "NoCertificateAvailable"
CONTRACT_TOKEN = "eMAID"  # IdTokenEnumType of a contract (Plug & Charge)
CONTRACT_LIFETIME_S = 86_400.0  # an accepted contract authorizes the station's transactions this long


def certificate_status(ocsp_answers: list[str]) -> str:
    """The contract's status from the OCSP answers about its chain: revoked if any certificate is,
    accepted only if every one is good."""
    statuses = [CERTIFICATE_STATUS.get(answer, NO_CERTIFICATE) for answer in ocsp_answers]
    if not statuses:
        return NO_CERTIFICATE
    for worst in ("CertificateRevoked", NO_CERTIFICATE):
        if worst in statuses:
            return worst
    return "Accepted"
