"""The OCTT's certificates: a V2G root that issues the station's certificates, and its OCSP
responder over HTTP on 127.0.0.1 (an ephemeral port), so a CSMS asked for a certificate's status
(GetCertificateStatus, M06; a contract certificate, C07) makes a real OCSP request.

    with Pki() as pki:
        leaf = pki.issue("CS-1")                  # names pki.url as its OCSP responder
        pki.ocsp_request_data(leaf)               # OCSPRequestDataType for the station to send
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from evharness import x509

MAX_REQUEST = 16 * 1024


class Pki:
    def __init__(self, name: str = "evharness OCTT V2G root", at: float | None = None) -> None:
        self.at = at  # when certificates are issued and answered (None: now); a simulated clock's time
        self.key = x509.new_key()
        self.root = x509.self_signed_ca(self.key, name, self.now())
        self.known: dict[int, x509.Certificate] = {}
        self.revoked: set[int] = set()
        self.asked = 0  # OCSP requests answered
        self._server: ThreadingHTTPServer | None = None

    def now(self) -> float:
        return time.time() if self.at is None else self.at

    @property
    def url(self) -> str:
        assert self._server is not None, "the OCSP responder is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/ocsp"

    def issue(self, common_name: str, organization: str = "evharness") -> x509.Certificate:
        """A certificate issued by the root, naming this responder; known to it as GOOD."""
        key = x509.new_key()
        leaf = x509.issue(
            key.public_key(), x509.name(common_name, organization), self.root, self.key, self.now(), 365,
            ocsp_url=self.url,
        )  # fmt: skip
        self.known[leaf.serial_number] = leaf
        return leaf

    def sign(self, csr_pem: str) -> str:
        """A station's CSR signed by the root (naming this responder): the chain, leaf first."""
        request = x509.load_csr(csr_pem)
        public_key = request.public_key()
        assert isinstance(public_key, x509.PublicKey)
        leaf = x509.issue(
            public_key, request.subject, self.root, self.key, self.now(), 365, ocsp_url=self.url
        )
        self.known[leaf.serial_number] = leaf
        return x509.pem_of(leaf) + x509.pem_of(self.root)

    def ocsp_request_data(self, certificate: x509.Certificate) -> dict[str, str]:
        return x509.hash_data(certificate, self.root).to_wire() | {"responderURL": self.url}

    def start(self) -> Pki:
        pki = self

        class Responder(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, MAX_REQUEST))
                answer = x509.ocsp_answer(body, pki.root, pki.key, pki.known, pki.revoked, pki.now())
                pki.asked += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Responder)
        threading.Thread(target=self._server.serve_forever, name="ocsp-responder", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Pki:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
