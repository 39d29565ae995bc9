"""Password rotation and the security API over real sockets (docs/security.md, A01): the installer
gives a connected station a new password; the old one works until the station connects with the new
one, then only the new one does. 1.6 (ChangeConfiguration AuthorizationKey, hex) and 2.0.1
(SetVariables SecurityCtrlr.BasicAuthPassword)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest

from evharness.ocppj.passwords import key_of_password
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.password_rotation import password_set
from evharness.reference_backend.domain.permissions import Role
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.passwords import set_station_password
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.security import SecurityProfile
from tests.reference_backend.test_station_security import outcome

PASSWORD = "a-16-char-secret-pw"
NEW = "the-new-password-12"
IDENTITY = "SIM-ROT"


def installer_of_station(backend: BackendServer) -> str:
    """The station, and its installer's session token."""
    now = backend.console.now()
    token = new_token()
    with backend.stations.store.begin() as tx:
        station = tx.station(IDENTITY)
        assert station is not None
        user = tx.add_user("ivan@example.com", "Ivan", None, now, confirmed=True)
        tx.add_session(token_hash(token), user, now, now + timedelta(hours=1))
        tx.add_grant(station.id, {"role": Role.INSTALLER, "email": "ivan@example.com"}, None, now, "test")
    return token


async def gets_in(backend: BackendServer, version: OcppVersion, password: str) -> str:
    return await outcome(
        LiveStation(IDENTITY, version, backend.ocpp_url, security=SecurityProfile(1, password))
    )


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_rotated_password_replaces_the_old_one_once_the_station_uses_it(
    sqlite_url: str, version: OcppVersion
) -> None:
    async def scenario() -> dict[str, Any]:
        settings = BackendSettings(
            ocpp_port=0, api_port=0, database_url=sqlite_url, log_level="warning", security_profile=1
        )
        async with BackendServer(settings) as backend:
            set_station_password(backend.store, IDENTITY, PASSWORD)
            token = installer_of_station(backend)
            api = httpx.AsyncClient(
                base_url=f"{backend.api_url}stations/{IDENTITY}/",
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            seen: dict[str, Any] = {"offline": (await api.post("password")).status_code}
            station = LiveStation(IDENTITY, version, backend.ocpp_url, security=SecurityProfile(1, PASSWORD))
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                rotated = await api.post("password")
                seen["rotated"] = rotated.status_code, rotated.json()
                seen["pending"] = (await api.get("security")).json()["new_password_pending"]
                await station.close()  # else it comes straight back and supersedes the one below
                seen["old before"] = await gets_in(backend, version, PASSWORD)
                await station.connect()  # with the password it was given
                seen["station again"] = await station.boot()
                seen["pending after"] = (await api.get("security")).json()["new_password_pending"]
            finally:
                await station.close()
                await api.aclose()
            seen["old after"] = await gets_in(backend, version, PASSWORD)
            return seen

    seen = asyncio.run(scenario())
    assert seen["offline"] == 409
    assert seen["rotated"] == (
        200,
        {"identity": IDENTITY, "status": "Accepted", "new_password_pending": True},
    )
    assert seen["pending"] is True
    assert seen["old before"] == "Accepted"
    assert seen["station again"] == "Accepted"
    assert seen["pending after"] is False
    assert "HTTP 401" in seen["old after"]


def test_the_security_api_names_what_it_refuses_and_changes_nothing(sqlite_url: str) -> None:
    async def scenario() -> list[tuple[int, str]]:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url, log_level="warning")
        async with BackendServer(settings) as backend:
            backend.store.ensure_station(IDENTITY, backend.console.now())
            token = installer_of_station(backend)
            async with httpx.AsyncClient(
                base_url=f"{backend.api_url}stations/{IDENTITY}/",
                headers={"Authorization": f"Bearer {token}"},
            ) as api:
                answers = [
                    await api.put("security", json={"profile": 4}),
                    await api.put("security", json={"profile": 2}),  # no TLS on this backend
                    await api.put("security", json={"profile": 1}),  # no password yet
                    await api.put("security", json={"color": "red"}),
                    await api.get("security"),
                ]
                set_station_password(backend.store, IDENTITY, PASSWORD)
                answers.append(await api.put("security", json={"profile": 1, "pins_on_profile_0": True}))
            return [(a.status_code, a.text) for a in answers]

    answers = asyncio.run(scenario())
    assert answers[0][0] == 422
    assert "profile" in answers[0][1]
    assert answers[1][0] == 409
    assert "--tls-cert" in answers[1][1]
    assert answers[2][0] == 409
    assert "no password" in answers[2][1]
    assert answers[3][0] == 422
    assert "color" in answers[3][1]
    assert answers[4] == (
        200,
        '{"identity":"SIM-ROT","profile":0,"own_profile":false,"pins_on_profile_0":false,'
        '"has_password":false,"new_password_pending":false}',
    )
    assert answers[5][0] == 200
    assert '"profile":1,"own_profile":true,"pins_on_profile_0":true,"has_password":true' in answers[5][1]


# what the operator sends through the operations API (the conformance driver's way), by version
OPERATOR_ROTATION: dict[OcppVersion, tuple[str, dict[str, Any]]] = {
    OcppVersion.V16: ("ChangeConfiguration", {"key": "AuthorizationKey", "value": key_of_password(NEW)}),
    OcppVersion.V201: (
        "SetVariables",
        {
            "setVariableData": [
                {
                    "attributeValue": NEW,
                    "component": {"name": "SecurityCtrlr"},
                    "variable": {"name": "BasicAuthPassword"},
                }
            ]
        },
    ),
}


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_password_sent_through_the_operations_api_is_known_to_the_backend(
    sqlite_url: str, version: OcppVersion
) -> None:
    """TC_073_CSMS / TC_A_09_CSMS: whichever path the CALL takes, the station's accepted password opens
    its next connection."""

    async def scenario() -> list[str]:
        settings = BackendSettings(
            ocpp_port=0,
            api_port=0,
            database_url=sqlite_url,
            log_level="warning",
            security_profile=1,
            operator_token="op-token",
        )
        async with BackendServer(settings) as backend:
            set_station_password(backend.store, IDENTITY, PASSWORD)
            station = LiveStation(IDENTITY, version, backend.ocpp_url, security=SecurityProfile(1, PASSWORD))
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                action, payload = OPERATOR_ROTATION[version]
                async with httpx.AsyncClient(headers={"Authorization": "Bearer op-token"}) as api:
                    sent = await api.post(f"{backend.api_url}operations/{IDENTITY}/{action}", json=payload)
                assert sent.status_code == 200, sent.text
            finally:
                await station.close()
            return [await gets_in(backend, version, NEW), await gets_in(backend, version, PASSWORD)]

    new, old = asyncio.run(scenario())
    assert new == "Accepted"
    assert "HTTP 401" in old  # the station connected with the new one: the old one is gone


def test_password_set_reads_only_an_accepted_password() -> None:
    (_, key), (_, variables) = OPERATOR_ROTATION[OcppVersion.V16], OPERATOR_ROTATION[OcppVersion.V201]
    accepted = {"setVariableResult": [{**_target(), "attributeStatus": "Accepted"}]}
    rejected = {"setVariableResult": [{**_target(), "attributeStatus": "Rejected"}]}
    assert password_set(True, key, {"status": "Accepted"}) == NEW
    assert password_set(True, key, {"status": "Rejected"}) is None
    assert password_set(True, {"key": "HeartbeatInterval", "value": "60"}, {"status": "Accepted"}) is None
    assert password_set(False, variables, accepted) == NEW
    assert password_set(False, variables, rejected) is None
    assert (
        password_set(True, {"key": "AuthorizationKey", "value": PASSWORD}, {"status": "Accepted"}) == PASSWORD
    )


def _target() -> dict[str, Any]:
    return {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}
