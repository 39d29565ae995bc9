"""UpdateFirmware (1.6, 1.6 SignedUpdateFirmware, 2.0.1) on the wire, against the reference backend's
session, with the firmware downloaded for real from an HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.outcomes import FirmwareOutcome
from tests.files import FileServer, file_server, firmware_signer
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair

IMAGE = b"evharness firmware 2.0.0\n" * 100


@pytest.fixture
def files() -> Iterator[FileServer]:
    with file_server() as server:
        server.files["/fw/sim-2.0.0.bin"] = IMAGE
        yield server


def booted(version: OcppVersion, store: Store, outcome: FirmwareOutcome | None = None) -> Pair:
    config = StationConfig(serial_number="SIM-0001", firmware=outcome or FirmwareOutcome(install_s=5))
    pair = Pair.open("SIM-0001", version, store, config)
    pair.station.boot(pair.clock.now())
    pair.pump()
    return pair


def firmware(
    pair: Pair, request_id: int, location: str = "ftp://nowhere/sim.bin", **more: str
) -> dict[str, object]:
    """A 2.0.1 UpdateFirmware (1.6 SignedUpdateFirmware) request retrieving now."""
    retrieve = format_timestamp(pair.clock.now())
    return {"requestId": request_id, "firmware": {"location": location, "retrieveDateTime": retrieve, **more}}


def statuses(pair: Pair, action: str = "FirmwareStatusNotification") -> list[str]:
    return [p["status"] for p in sent(pair, action)]


def test_16_update_downloads_installs_reboots_and_boots_with_the_new_version(
    store: Store, files: FileServer
) -> None:
    pair = booted(OcppVersion.V16, store)
    now = format_timestamp(pair.clock.now())
    assert (
        ask(pair, "UpdateFirmware", {"location": files.url("/fw/sim-2.0.0.bin"), "retrieveDate": now}) == {}
    )
    pair.advance(60)
    assert files.requests == [("GET", "/fw/sim-2.0.0.bin")]
    assert statuses(pair) == ["Downloading", "Downloaded", "Installing", "Installed"]
    boots = sent(pair, "BootNotification")
    assert boots[-1]["firmwareVersion"] == "sim-2.0.0"
    assert len(boots) == 2


def test_16_a_download_the_server_refuses_is_retried_then_download_failed(
    store: Store, files: FileServer
) -> None:
    pair = booted(OcppVersion.V16, store)
    files.refuse.add("/fw/sim-2.0.0.bin")
    payload = {
        "location": files.url("/fw/sim-2.0.0.bin"),
        "retrieveDate": format_timestamp(pair.clock.now()),
        "retries": 2,
        "retryInterval": 30,
    }
    ask(pair, "UpdateFirmware", payload)
    pair.advance(300)
    assert len(files.requests) == 3  # the first attempt and two retries
    assert statuses(pair) == ["Downloading", "DownloadFailed"]


def test_16_signed_update_reports_with_signed_firmware_status(store: Store, files: FileServer) -> None:
    signer = firmware_signer()
    pair = booted(OcppVersion.V16, store)
    payload = firmware(
        pair,
        5,
        files.url("/fw/sim-2.0.0.bin"),
        signingCertificate=signer.certificate_pem,
        signature=signer.sign(IMAGE),
    )
    assert ask(pair, "SignedUpdateFirmware", payload) == {"status": "Accepted"}
    pair.advance(60)
    assert statuses(pair, "SignedFirmwareStatusNotification") == [
        "Downloading",
        "Downloaded",
        "SignatureVerified",
        "Installing",
        "InstallRebooting",
        "Installed",
    ]
    assert {p["requestId"] for p in sent(pair, "SignedFirmwareStatusNotification")} == {5}
    assert statuses(pair) == []


@pytest.mark.parametrize("version", [OcppVersion.V201, OcppVersion.V21])
def test_201_invalid_signature_is_reported_with_a_security_event(
    store: Store, files: FileServer, version: OcppVersion
) -> None:
    signer = firmware_signer()
    pair = booted(version, store)
    payload = firmware(
        pair,
        9,
        files.url("/fw/sim-2.0.0.bin"),
        signingCertificate=signer.certificate_pem,
        signature=signer.sign(b"a different image"),
    )
    assert ask(pair, "UpdateFirmware", payload) == {"status": "Accepted"}
    pair.advance(60)
    assert statuses(pair) == ["Downloading", "Downloaded", "InvalidSignature"]
    (_startup, event) = sent(pair, "SecurityEventNotification")  # StartupOfTheDevice, then this
    assert event["type"] == "InvalidFirmwareSignature"
    assert len(sent(pair, "BootNotification")) == 1


def test_201_update_boots_with_reason_firmware_update_then_reports_installed(
    store: Store, files: FileServer
) -> None:
    pair = booted(OcppVersion.V201, store)
    ask(pair, "UpdateFirmware", firmware(pair, 3, files.url("/fw/sim-2.0.0.bin")))
    pair.advance(60)
    assert statuses(pair) == ["Downloading", "Downloaded", "Installing", "InstallRebooting", "Installed"]
    boot = sent(pair, "BootNotification")[-1]
    assert boot["reason"] == "FirmwareUpdate"
    assert boot["chargingStation"]["firmwareVersion"] == "sim-2.0.0"


def test_201_trigger_reports_the_update_under_way_or_idle(store: Store) -> None:
    pair = booted(OcppVersion.V201, store, FirmwareOutcome(download_s=100))
    ask(pair, "TriggerMessage", {"requestedMessage": "FirmwareStatusNotification"})
    payload = {
        "requestId": 4,
        "firmware": {
            "location": "ftp://nowhere/sim.bin",
            "retrieveDateTime": format_timestamp(pair.clock.now()),
        },
    }
    ask(pair, "UpdateFirmware", payload)
    ask(pair, "TriggerMessage", {"requestedMessage": "FirmwareStatusNotification"})
    assert sent(pair, "FirmwareStatusNotification") == [
        {"status": "Idle"},
        {"status": "Downloading", "requestId": 4},
        {"status": "Downloading", "requestId": 4},
    ]


def test_201_installation_waits_for_the_transaction_and_holds_idle_evses(store: Store) -> None:
    """TC_L_13: AllowNewSessionsPendingFirmwareUpdate false — InstallScheduled, free EVSEs Unavailable."""
    config = StationConfig(serial_number="SIM-0001", evses=2, firmware=FirmwareOutcome(download_s=1))
    pair = Pair.open("SIM-0001", OcppVersion.V201, store, config)
    pair.station.boot(pair.clock.now())
    pair.pump()
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.pump()
    payload = {
        "requestId": 6,
        "firmware": {
            "location": "ftp://nowhere/sim.bin",
            "retrieveDateTime": format_timestamp(pair.clock.now()),
        },
    }
    ask(pair, "UpdateFirmware", payload)
    pair.advance(30)
    assert statuses(pair) == ["Downloading", "Downloaded", "InstallScheduled"]
    unavailable = [p for p in sent(pair, "StatusNotification") if p["connectorStatus"] == "Unavailable"]
    assert [p["evseId"] for p in unavailable] == [2]
    pair.station.unplug(1, 1, pair.clock.now())
    pair.advance(30)
    assert statuses(pair)[-2:] == ["InstallRebooting", "Installed"]
    assert pair.station.evses[2].operative


# -- PublishFirmware / UnpublishFirmware: the station as a local controller (L05, L06) ------------


def publish(pair: Pair, location: str, checksum: str, request_id: int = 30, **more: int) -> dict[str, object]:
    return {"requestId": request_id, "location": location, "checksum": checksum, **more}


@pytest.mark.parametrize("version", [OcppVersion.V201, OcppVersion.V21], ids=lambda v: v.value)
def test_publish_downloads_checks_the_checksum_publishes_and_unpublishes(
    store: Store, files: FileServer, version: OcppVersion
) -> None:
    pair = booted(version, store)
    checksum = hashlib.md5(IMAGE).hexdigest()
    request = publish(pair, files.url("/fw/sim-2.0.0.bin"), checksum)
    assert ask(pair, "PublishFirmware", request) == {"status": "Accepted"}
    pair.advance(60)
    assert files.requests == [("GET", "/fw/sim-2.0.0.bin")]
    notifications = sent(pair, "PublishFirmwareStatusNotification")
    assert [n["status"] for n in notifications] == [
        "Downloading",
        "Downloaded",
        "ChecksumVerified",
        "Published",
    ]
    assert {n["requestId"] for n in notifications} == {30}
    (where,) = notifications[-1]["location"]
    assert checksum in where
    station_id = store.find_station_id("SIM-0001")
    assert station_id is not None
    assert len(store.reports(station_id, "PublishFirmwareStatusNotification")) == 4
    assert ask(pair, "UnpublishFirmware", {"checksum": "0" * 32}) == {"status": "NoFirmware"}
    assert ask(pair, "UnpublishFirmware", {"checksum": checksum.upper()}) == {"status": "Unpublished"}
    assert ask(pair, "UnpublishFirmware", {"checksum": checksum}) == {"status": "NoFirmware"}


def test_publish_reports_a_wrong_checksum_and_a_failed_download_after_its_retries(
    store: Store, files: FileServer
) -> None:
    pair = booted(OcppVersion.V201, store)
    assert ask(pair, "PublishFirmware", publish(pair, files.url("/fw/sim-2.0.0.bin"), "f" * 32)) == {
        "status": "Accepted"
    }
    pair.advance(60)
    assert statuses(pair, "PublishFirmwareStatusNotification") == [
        "Downloading",
        "Downloaded",
        "InvalidChecksum",
    ]
    missing = publish(pair, files.url("/fw/missing.bin"), "f" * 32, 31, retries=1, retryInterval=30)
    assert ask(pair, "PublishFirmware", missing) == {"status": "Accepted"}
    assert ask(pair, "UnpublishFirmware", {"checksum": "f" * 32}) == {"status": "DownloadOngoing"}
    assert ask(pair, "PublishFirmware", missing) == {"status": "Rejected"}  # one download at a time
    pair.advance(120)
    assert files.requests.count(("GET", "/fw/missing.bin")) == 2
    assert statuses(pair, "PublishFirmwareStatusNotification")[3:] == ["Downloading", "DownloadFailed"]
