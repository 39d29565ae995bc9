"""The contract-certificate source is pluggable (`--contract-source`): the built-in local one, a
mobility operator's HTTP endpoint (a real server on 127.0.0.1 here), or a class of the operator's own."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.contract_sources import HttpContracts, contract_source
from evharness.reference_backend.domain.contracts import ContractAnswer, LocalContracts
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.events import CertificateAnswered
from tests.simulator.pair import Pair

EXI = base64.b64encode(b"CertificateInstallationReq").decode()


class Fixed:
    """An operator's own source: the same answer every time."""

    def answer(self, identity: str, schema_version: str, action: str, exi_request: str) -> ContractAnswer:
        return ContractAnswer("Accepted", base64.b64encode(f"fixed:{identity}".encode()).decode())


@pytest.fixture
def operator() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A mobility operator's endpoint: answers every request, remembers what it got."""
    got: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            got.append(body)
            failed = body["action"] == "Update"
            exi = base64.b64encode(b"from-the-operator").decode()
            accepted = {"status": "Accepted", "exiResponse": exi}
            answer = {"status": "Failed", "reason": "no contract"} if failed else accepted
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/contracts", got
    finally:
        server.shutdown()
        server.server_close()


def test_the_station_s_request_goes_to_the_operator_s_endpoint(
    store: Store, operator: tuple[str, list[dict[str, Any]]]
) -> None:
    url, got = operator
    store.contract_source = contract_source(url)
    pair = Pair.open("SIM-0001", OcppVersion.V201, store)
    pair.station.boot(pair.clock.now())
    pair.pump()
    for action in ("Install", "Update"):
        pair.station.request_ev_certificate(action, EXI, pair.clock.now())
        pair.pump()
    answers = [(e.status, e.data) for e in pair.station.events if isinstance(e, CertificateAnswered)]
    assert answers[0] == ("Accepted", base64.b64encode(b"from-the-operator").decode())
    assert answers[1][0] == "Failed"
    assert got[0] == {
        "identity": "SIM-0001",
        "iso15118SchemaVersion": "urn:iso:15118:2:2013:MsgDef",
        "action": "Install",
        "exiRequest": EXI,
    }


def test_an_endpoint_that_does_not_answer_is_a_failed_request() -> None:
    answer = HttpContracts("http://127.0.0.1:9/contracts", timeout=2).answer("CP-1", "urn", "Install", EXI)
    assert (answer.status, answer.exi_response) == ("Failed", "")
    assert answer.reason


def test_the_source_is_chosen_by_one_setting() -> None:
    assert isinstance(contract_source(None), LocalContracts)
    assert isinstance(contract_source("local"), LocalContracts)
    assert isinstance(contract_source("https://mo.example/contracts"), HttpContracts)
    assert isinstance(contract_source("tests.reference_backend.test_contract_sources:Fixed"), Fixed)
    for bad in ("ftp://mo.example", "no.such.module:Source", "json:dumps", "local:"):
        with pytest.raises(ValueError, match="--contract-source"):
            contract_source(bad)
