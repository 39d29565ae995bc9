"""Binds certificates.feature: the console drives a live simulated station's certificates."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from pytest_bdd import given, parsers, scenarios, then, when

from evharness import x509
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.core.model import Own
from features.onboarding.conftest import World
from features.roles.conftest import ok

scenarios("certificates.feature")


def soon(holds: Callable[[], bool], what: str) -> None:
    """Wait (10 s at most) for what the station and the CSMS do after an answer; they run on the
    background loop, this thread only looks."""
    deadline = time.monotonic() + 10.0
    while not holds():
        assert time.monotonic() < deadline, f"not within 10 s: {what}"
        time.sleep(0.05)


def operation(world: World, who: str, identity: str, name: str, body: object) -> None:
    world.call("POST", f"/api/stations/{identity}/operations/{name}", who, body)


@when(parsers.parse('{who} installs a new CSMS root certificate on station "{identity}"'))
def installs(world: World, who: str, identity: str) -> None:
    certificate = x509.self_signed_ca(x509.new_key(), "A CSMS root", time.time())
    world.values["installed"] = certificate
    body = {"certificate_type": "CSMSRootCertificate", "certificate": x509.pem_of(certificate)}
    operation(world, who, identity, "install-certificate", body)


@when(parsers.parse('{who} lists the CSMS root certificates of station "{identity}"'))
def lists(world: World, who: str, identity: str) -> None:
    operation(world, who, identity, "certificates", {"certificate_type": "CSMSRootCertificate"})


@then("the listing holds the certificate Ivan installed")
def listing_holds(world: World) -> None:
    payload = world.body()["payload"]
    found = payload.get("certificateHashData") or [
        chain["certificateHashData"] for chain in payload["certificateHashDataChain"]
    ]
    assert found == [x509.hash_data(world.values["installed"]).to_wire()]
    world.values["hash"] = found[0]


@when(parsers.parse('{who} deletes the certificate he installed from station "{identity}"'))
def deletes(world: World, who: str, identity: str) -> None:
    operation(world, who, identity, "delete-certificate", {"certificate_hash": world.values["hash"]})


@given(parsers.parse('station "{identity}" refuses every CertificateSigned'))
def refuses(live: dict[str, LiveStation], identity: str) -> None:
    live[identity].station.choose_certificates(signed="refuse")


@then(parsers.parse('station "{identity}" soon holds a certificate the CSMS signed'))
def holds_signed(world: World, live: dict[str, LiveStation], identity: str) -> None:
    certificates = live[identity].station.certificates
    soon(lambda: Own.STATION in certificates.own, "CertificateSigned installed")
    leaf = x509.load_chain(certificates.own[Own.STATION].chain)[0]
    authority = world.backend.store.certificate_authority(datetime.now(UTC))
    assert x509.signed_by(leaf, authority.certificate)


@then(parsers.parse('Eve sees the certificate the CSMS signed for station "{identity}"'))
def sees_signed(world: World, live: dict[str, LiveStation], identity: str) -> None:
    (issued,) = ok(world, "GET", f"/api/stations/{identity}/issued-certificates", "Eve")
    leaf = x509.load_chain(live[identity].station.certificates.own[Own.STATION].chain)[0]
    assert issued["serial_number"] == format(leaf.serial_number, "x")
    assert issued["certificate_type"] == "ChargingStationCertificate"


@then(parsers.parse('Eve soon sees the security event "{event}" of station "{identity}"'))
def sees_event(world: World, event: str, identity: str) -> None:
    def listed() -> bool:
        events = ok(world, "GET", f"/api/stations/{identity}/security-events", "Eve")
        return any(e["type"] == event for e in events)

    soon(listed, f"the security event {event}")
