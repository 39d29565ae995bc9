"""The CSMS's OCSP client: one POST of a DER request to the responder a certificate names (RFC 6960
Appendix A.1), for GetCertificateStatus (M06) and a contract certificate's status (C07). Blocking:
handlers run in the server's worker threads."""

from __future__ import annotations

import urllib.error
import urllib.request

from evharness import x509

TIMEOUT_S = 5.0
MAX_ANSWER = 64 * 1024


class OcspUnavailable(Exception):
    """The responder could not be asked, or did not answer with an OCSP response."""


def ask(hashed: x509.HashData, responder_url: str, timeout: float = TIMEOUT_S) -> bytes:
    """The responder's DER answer about the certificate `hashed` identifies."""
    if not responder_url.startswith(("http://", "https://")):
        raise OcspUnavailable(f"responderURL {responder_url!r} is not an http(s) URL")
    request = urllib.request.Request(
        responder_url,
        data=x509.ocsp_request(hashed),
        headers={"Content-Type": "application/ocsp-request", "Accept": "application/ocsp-response"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer: bytes = response.read(MAX_ANSWER + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise OcspUnavailable(f"{responder_url}: {exc}") from exc
    if len(answer) > MAX_ANSWER:
        raise OcspUnavailable(f"{responder_url}: the answer is over {MAX_ANSWER} bytes")
    try:
        x509.ocsp_status(answer)
    except ValueError as exc:
        raise OcspUnavailable(f"{responder_url}: not an OCSP response ({exc})") from exc
    return answer
