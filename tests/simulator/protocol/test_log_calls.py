"""GetDiagnostics (1.6), GetLog (1.6 security extension, 2.0.1) on the wire against the reference
backend's session, the file uploaded for real to an HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from tests.files import FileServer, file_server
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair


@pytest.fixture
def files() -> Iterator[FileServer]:
    with file_server() as server:
        yield server


def booted(version: OcppVersion, store: Store) -> Pair:
    pair = Pair.open("SIM-0001", version, store)
    pair.station.boot(pair.clock.now())
    pair.pump()
    return pair


def test_16_get_diagnostics_uploads_the_station_log(store: Store, files: FileServer) -> None:
    pair = booted(OcppVersion.V16, store)
    answer = ask(pair, "GetDiagnostics", {"location": files.url("/logs/")})
    assert answer == {"fileName": "SIM-0001-diagnostics.log"}
    pair.advance(10)
    assert [p["status"] for p in sent(pair, "DiagnosticsStatusNotification")] == ["Uploading", "Uploaded"]
    uploaded = files.uploads["/logs/SIM-0001-diagnostics.log"]
    head = orjson.loads(uploaded.splitlines()[0])
    assert head["identity"] == "SIM-0001"
    assert any(b"BootNotification" in line for line in uploaded.splitlines()[1:])


def test_16_an_upload_the_server_refuses_is_upload_failed_after_the_retries(
    store: Store, files: FileServer
) -> None:
    pair = booted(OcppVersion.V16, store)
    files.refuse.add("/logs/SIM-0001-diagnostics.log")
    ask(pair, "GetDiagnostics", {"location": files.url("/logs/"), "retries": 1, "retryInterval": 20})
    pair.advance(60)
    assert [method for method, _ in files.requests] == ["PUT", "PUT"]
    assert [p["status"] for p in sent(pair, "DiagnosticsStatusNotification")] == ["Uploading", "UploadFailed"]


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
def test_get_log_security_log_reports_with_its_request_id(
    store: Store, files: FileServer, version: OcppVersion
) -> None:
    pair = booted(version, store)
    payload = {"logType": "SecurityLog", "requestId": 12, "log": {"remoteLocation": files.url("/sec/")}}
    assert ask(pair, "GetLog", payload) == {"status": "Accepted", "filename": "SIM-0001-security-12.log"}
    pair.advance(10)
    assert sent(pair, "LogStatusNotification") == [
        {"status": "Uploading", "requestId": 12},
        {"status": "Uploaded", "requestId": 12},
    ]
    assert b'"log_type":"SecurityLog"' in files.uploads["/sec/SIM-0001-security-12.log"]


def test_201_trigger_log_status_is_idle_without_an_upload(store: Store) -> None:
    pair = booted(OcppVersion.V201, store)
    ask(pair, "TriggerMessage", {"requestedMessage": "LogStatusNotification"})
    assert sent(pair, "LogStatusNotification") == [{"status": "Idle"}]
