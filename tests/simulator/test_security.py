"""Security profiles 1–3 over real websockets and real TLS on 127.0.0.1, with certificates made
for this run: the simulator proves itself, the reference backend refuses whoever does not."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.credentials import hash_password, verify_password
from evharness.reference_backend.passwords import set_station_password
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation, StationError
from evharness.simulator.security import SecurityProfile, basic_auth_header
from tests.certificates import ThrowawayPki

PASSWORD = "a-16-char-secret-pw"
VERSIONS = [OcppVersion.V16, OcppVersion.V201]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> ThrowawayPki:
    return ThrowawayPki(tmp_path_factory.mktemp("pki"))


def backend_settings(database_url: str, tmp_path: Path, pki: ThrowawayPki, profile: int) -> BackendSettings:
    store = Store.from_url(database_url)
    try:
        set_station_password(store, "SIM-0001", PASSWORD)  # as `evharness station-password` does
    finally:
        store.dispose()
    server = pki.issue("127.0.0.1", server=True)
    return BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=database_url,
        security_profile=profile,
        tls_cert=str(server.cert),
        tls_key=str(server.key),
        tls_ca=str(pki.ca),
    )


async def _charge_once(station: LiveStation) -> float:
    await station.connect()
    try:
        assert await station.boot() == "Accepted"
        await station.plug_in()
        assert await station.present_token(IdType.RFID, "04A2B3C4D50001") == "Accepted"
        delivered = await station.charge(energy_kwh=1)
        await station.stop()
        return delivered
    finally:
        await station.close()


async def _refused(station: LiveStation) -> str:
    station.link.max_connect_attempts = 1
    try:
        await station.connect()
    except StationError as error:
        return str(error)
    finally:
        await station.close()
    raise AssertionError("the CSMS let the station in")


def test_passwords_are_stored_as_salted_hashes(store: Store) -> None:
    stored = hash_password(PASSWORD)
    assert PASSWORD not in stored
    assert stored != hash_password(PASSWORD)  # salted
    assert verify_password(PASSWORD, stored)
    assert not verify_password("something-else-entirely", stored)
    assert not verify_password(PASSWORD, "garbage")
    set_station_password(store, "CP-1", PASSWORD)
    in_database = store.basic_auth_hash("CP-1")
    assert in_database is not None
    assert PASSWORD not in in_database
    assert verify_password(PASSWORD, in_database)


@pytest.mark.parametrize("profile", [1, 2])
@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_basic_auth_profiles_let_the_right_password_in_and_nobody_else(
    database_url: str, store: Store, tmp_path: Path, pki: ThrowawayPki, profile: int, version: OcppVersion
) -> None:
    settings = backend_settings(database_url, tmp_path, pki, profile)
    ca = pki.ca if profile == 2 else None

    async def scenario() -> tuple[float, list[str]]:
        async with BackendServer(settings) as backend:
            url = backend.ocpp_url
            assert url.startswith("wss://" if profile == 2 else "ws://")
            good = SecurityProfile(profile, PASSWORD, ca_file=ca)
            delivered = await _charge_once(LiveStation("SIM-0001", version, url, security=good))
            refusals = [
                await _refused(
                    LiveStation("SIM-0001", version, url, security=replace(good, password="wrong-password-x"))
                ),
                await _refused(LiveStation("SIM-0002", version, url, security=good)),  # not its password
            ]
            if profile == 1:
                refusals.append(await _refused(LiveStation("SIM-0001", version, url)))  # no credentials
            return delivered, refusals

    delivered, refusals = asyncio.run(scenario())
    assert delivered == pytest.approx(1000.0)
    assert all("HTTP 401" in refusal for refusal in refusals), refusals


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_profile_3_needs_a_client_certificate_naming_the_station(
    database_url: str, store: Store, tmp_path: Path, pki: ThrowawayPki, version: OcppVersion
) -> None:
    settings = backend_settings(database_url, tmp_path, pki, 3)
    own = pki.issue("SIM-0001", server=False)
    (tmp_path / "other").mkdir()
    stranger = ThrowawayPki(tmp_path / "other").issue("SIM-0001", server=False)

    async def scenario() -> tuple[float, list[str]]:
        async with BackendServer(settings) as backend:
            url = backend.ocpp_url
            good = SecurityProfile(3, ca_file=pki.ca, client_cert=own.cert, client_key=own.key)
            delivered = await _charge_once(LiveStation("SIM-0001", version, url, security=good))
            refusals = [
                await _refused(LiveStation("SIM-0002", version, url, security=good)),  # CN is SIM-0001
                await _refused(
                    LiveStation(
                        "SIM-0001",
                        version,
                        url,
                        security=replace(good, client_cert=stranger.cert, client_key=stranger.key),
                    )
                ),  # signed by a CA the CSMS does not trust
                await _refused(
                    LiveStation(
                        "SIM-0001", version, url, security=SecurityProfile(2, "x" * 16, ca_file=pki.ca)
                    )
                ),
            ]
            return delivered, refusals

    delivered, refusals = asyncio.run(scenario())
    assert delivered == pytest.approx(1000.0)
    assert "HTTP 403" in refusals[0], refusals
    # TLS 1.3: the server checks the client certificate after the handshake and closes the socket
    assert "InvalidMessage" in refusals[1] or "SSL" in refusals[1], refusals
    # no client certificate: the TLS port serves profile 2 too, so the upgrade refuses it
    assert "HTTP 403" in refusals[2], refusals


def test_the_station_refuses_a_csms_whose_certificate_it_cannot_verify(
    database_url: str, store: Store, tmp_path: Path, pki: ThrowawayPki
) -> None:
    settings = backend_settings(database_url, tmp_path, pki, 2)
    (tmp_path / "elsewhere").mkdir()
    other = ThrowawayPki(tmp_path / "elsewhere")

    async def scenario() -> str:
        async with BackendServer(settings) as backend:
            security = SecurityProfile(2, PASSWORD, ca_file=other.ca)
            return await _refused(
                LiveStation("SIM-0001", OcppVersion.V201, backend.ocpp_url, security=security)
            )

    assert "CERTIFICATE_VERIFY_FAILED" in asyncio.run(scenario())


def test_a_password_the_csms_rotates_is_used_from_the_next_connection() -> None:
    """A01: SetVariables SecurityCtrlr.BasicAuthPassword (1.6: ChangeConfiguration AuthorizationKey)."""
    station = LiveStation(
        "SIM-0001", OcppVersion.V201, "ws://127.0.0.1:1/ocpp", security=SecurityProfile(1, PASSWORD)
    )
    (before,) = station.link.handshake_headers()
    status = station.station.device.set_variable("SecurityCtrlr", "BasicAuthPassword", "rotated-password-123")
    assert status == "Accepted"
    (after,) = station.link.handshake_headers()
    assert before != after
    assert after == basic_auth_header("SIM-0001", "rotated-password-123")
