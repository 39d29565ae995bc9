"""Security per station, over real websockets and real TLS on 127.0.0.1 (docs/security.md): one backend
serves profiles 0–3 on ws:// and wss://, refuses a station below its own profile, keeps PINs off the
lists of stations that connected without security, throttles password guessing, and offers the TLS
cipher suites of the OCPP security profiles with an RSA and an ECDSA certificate side by side."""

from __future__ import annotations

import asyncio
import logging
import ssl
from datetime import UTC, datetime

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.passwords import set_station_password
from evharness.reference_backend.persistence.records import ProvisionedIdentification
from evharness.reference_backend.security import FAILED_LIMITS, REQUIRED_CIPHERS
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation, StationError
from evharness.simulator.security import SecurityProfile, basic_auth_header
from tests.certificates import ThrowawayPki
from tests.reference_backend.test_local_list_sync import held, synced, until

PASSWORD = "a-16-char-secret-pw"
PIN = ProvisionedIdentification(IdType.PIN, "#7319", "Ada", "Pin")
CARD = ProvisionedIdentification(IdType.RFID, "04A2B3C4", "Bo", "Card")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> ThrowawayPki:
    return ThrowawayPki(tmp_path_factory.mktemp("pki"))


def tls_settings(
    sqlite_url: str, pki: ThrowawayPki, *, cert: str | None = None, key: str | None = None
) -> BackendSettings:
    server = pki.issue("127.0.0.1", server=True)
    return BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=sqlite_url,
        log_level="warning",
        tls_cert=cert or str(server.cert),
        tls_key=key or str(server.key),
        tls_ca=str(pki.ca),
    )


async def outcome(station: LiveStation) -> str:
    """ "Accepted" when the station got in and booted, else the refusal."""
    station.link.max_connect_attempts = 1
    try:
        await station.connect()
        return await station.boot()
    except StationError as error:
        return str(error)
    finally:
        await station.close()


def test_one_backend_serves_each_station_at_its_own_profile_and_refuses_it_below(
    sqlite_url: str, pki: ThrowawayPki
) -> None:
    settings = tls_settings(sqlite_url, pki)
    own = pki.issue("SIM-P3", server=False)

    async def scenario() -> dict[str, str]:
        async with BackendServer(settings) as backend:
            records = backend.ocpp.gate.records
            for identity, profile in (("SIM-P1", 1), ("SIM-P2", 2), ("SIM-P3", 3)):
                if profile < 3:
                    set_station_password(backend.store, identity, PASSWORD)
                records.save(identity, profile=profile)
            ws, wss, ca = backend.ocpp_ws_url, backend.ocpp_wss_url, pki.ca
            basic = SecurityProfile(1, PASSWORD)
            tls_basic = SecurityProfile(2, PASSWORD, ca_file=ca)
            mutual = SecurityProfile(3, ca_file=ca, client_cert=own.cert, client_key=own.key)
            tries = {
                "0 on ws": LiveStation("SIM-P0", OcppVersion.V201, ws),
                "1 on ws": LiveStation("SIM-P1", OcppVersion.V16, ws, security=basic),
                "1 with TLS": LiveStation("SIM-P1", OcppVersion.V201, wss, security=tls_basic),
                "2 on wss": LiveStation("SIM-P2", OcppVersion.V201, wss, security=tls_basic),
                "3 on wss": LiveStation("SIM-P3", OcppVersion.V16, wss, security=mutual),
                "1 without password": LiveStation("SIM-P1", OcppVersion.V201, ws),
                "2 without TLS": LiveStation("SIM-P2", OcppVersion.V201, ws, security=basic),
                "3 without certificate": LiveStation("SIM-P3", OcppVersion.V201, wss, security=tls_basic),
            }
            return {name: await outcome(station) for name, station in tries.items()}

    seen = asyncio.run(scenario())
    for name in ("0 on ws", "1 on ws", "1 with TLS", "2 on wss", "3 on wss"):
        assert seen[name] == "Accepted", (name, seen[name])
    assert "HTTP 401" in seen["1 without password"], seen
    assert "HTTP 403" in seen["2 without TLS"], seen
    assert "HTTP 403" in seen["3 without certificate"], seen


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_station_connected_without_security_gets_no_pins_unless_allowed(
    sqlite_url: str, version: OcppVersion, caplog: pytest.LogCaptureFixture
) -> None:
    """The impersonator of issue 12: it connects as the station without credentials (profile 0) and
    asks for the list; the PINs stay home. Allowed per station, or proven with a password, they go."""
    received: list[list[str]] = []  # the frames of each connection

    async def connected_holds(
        backend: BackendServer, station_id: int, security: SecurityProfile | None
    ) -> dict[str, str]:
        frames: list[str] = []
        received.append(frames)
        station = LiveStation(
            "SIM-0001",
            version,
            backend.ocpp_url,
            security=security,
            on_frame=lambda d, t, at: frames.append(t),
        )
        last = backend.store.local_list_sent(station_id)
        await station.connect()
        try:
            assert await station.boot() == "Accepted"
            await until(lambda: synced(backend, station, station_id, (last[0] if last else 0) + 1))
            return held(station)
        finally:
            await station.close()

    async def scenario() -> list[dict[str, str]]:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, log_level="warning")
        async with BackendServer(settings) as backend:
            station_id, _ = backend.store.ensure_station("SIM-0001", datetime.now(UTC))
            backend.store.provision(station_id, [PIN, CARD])
            impersonated = await connected_holds(backend, station_id, None)
            backend.ocpp.gate.records.save("SIM-0001", pins_on_profile_0=True)
            allowed = await connected_holds(backend, station_id, None)
            backend.ocpp.gate.records.save("SIM-0001", pins_on_profile_0=False)
            set_station_password(backend.store, "SIM-0001", PASSWORD)
            proven = await connected_holds(backend, station_id, SecurityProfile(1, PASSWORD))
            return [impersonated, allowed, proven]

    impersonated, allowed, proven = asyncio.run(scenario())
    assert impersonated == {"04A2B3C4": "Accepted"}
    assert "7319" not in "".join(received[0])  # not on the wire either
    assert "7319" in "".join(received[1])
    assert allowed == proven == {"#7319": "Accepted", "04A2B3C4": "Accepted"}
    assert caplog.text.count("its local list goes without PINs") == 1


def test_failed_station_passwords_are_throttled_and_logged(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "evharness.reference_backend.security")
    limit, _ = FAILED_LIMITS["client"]

    async def status_of(url: str, password: str) -> int:
        headers = [basic_auth_header("SIM-G", password)]
        try:
            async with connect(url, subprotocols=[Subprotocol("ocpp2.0.1")], additional_headers=headers):
                return 101
        except InvalidStatus as refused:
            return refused.response.status_code

    async def scenario() -> list[int]:
        settings = BackendSettings(
            ocpp_port=0, api_port=0, database_url=sqlite_url, log_level="warning", security_profile=1
        )
        async with BackendServer(settings) as backend:
            set_station_password(backend.store, "SIM-G", PASSWORD)
            url = f"{backend.ocpp_url}SIM-G"
            assert await status_of(url, PASSWORD) == 101
            guesses = [await status_of(url, f"guess-number-{n:04d}") for n in range(limit + 5)]
            return [*guesses, await status_of(url, PASSWORD)]

    statuses = asyncio.run(scenario())
    assert statuses == [401] * limit + [429] * 6  # the right password waits too
    events = [r.getMessage() for r in caplog.records if "security event" in r.getMessage()]
    assert sum("from 127.0.0.1: failed Basic authentication" in e for e in events) == limit
    assert sum("throttled" in e for e in events) == 1
    assert PASSWORD not in caplog.text


def test_tls_offers_the_ocpp_cipher_suites_with_an_rsa_and_an_ecdsa_certificate(
    sqlite_url: str, pki: ThrowawayPki
) -> None:
    rsa, ecdsa = pki.issue("127.0.0.1", server=True, key_type="rsa"), pki.issue("127.0.0.1", server=True)
    settings = tls_settings(sqlite_url, pki, cert=f"{rsa.cert},{ecdsa.cert}", key=f"{rsa.key},{ecdsa.key}")

    async def handshake(port: int, cipher: str, version: ssl.TLSVersion) -> str:
        context = ssl.create_default_context(cafile=pki.ca)
        context.minimum_version = context.maximum_version = version
        context.set_ciphers(cipher)
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
        except (ssl.SSLError, ConnectionError) as error:
            return f"refused: {error}"
        negotiated = writer.get_extra_info("ssl_object").cipher()[0]
        writer.close()
        return str(negotiated)

    async def scenario() -> dict[str, str]:
        async with BackendServer(settings) as backend:
            port = backend.ocpp.tls_port
            assert port is not None
            tried = {c: await handshake(port, c, ssl.TLSVersion.TLSv1_2) for c in REQUIRED_CIPHERS}
            tried["CBC"] = await handshake(port, "ECDHE-RSA-AES128-SHA:AES128-SHA", ssl.TLSVersion.TLSv1_2)
            tried["TLS 1.3"] = await handshake(port, "DEFAULT", ssl.TLSVersion.TLSv1_3)
            return tried

    tried = asyncio.run(scenario())
    for cipher in REQUIRED_CIPHERS:
        assert tried[cipher] == cipher, tried
    assert tried["CBC"].startswith("refused"), tried
    assert tried["TLS 1.3"].startswith("TLS_"), tried
