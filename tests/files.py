"""A real HTTP file server on 127.0.0.1 for transfer tests (firmware downloads, log uploads), and a
firmware signer: a self-signed ECDSA certificate and the base64 signature of a file."""

from __future__ import annotations

import base64
import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class FileServer:
    """Serves `files` (path → bytes) to GET; PUT and POST store the body in `uploads` (path → bytes).
    A path in `refuse` answers 500 to any request."""

    files: dict[str, bytes] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    refuse: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def file_server() -> Iterator[FileServer]:
    served = FileServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            served.requests.append(("GET", self.path))
            body = served.files.get(self.path)
            if body is None or self.path in served.refuse:
                self.send_error(404 if body is None else 500)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self) -> None:
            served.requests.append((self.command, self.path))
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path in served.refuse:
                self.send_error(500)
                return
            served.uploads[self.path] = body
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Signer:
    certificate_pem: str
    key: ec.EllipticCurvePrivateKey

    def sign(self, content: bytes) -> str:
        return base64.b64encode(self.key.sign(content, ec.ECDSA(hashes.SHA256()))).decode()


def firmware_signer(valid_from: datetime.datetime | None = None, days: int = 3650) -> Signer:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "evharness firmware signing")])
    start = valid_from or datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return Signer(certificate.public_bytes(serialization.Encoding.PEM).decode(), key)
