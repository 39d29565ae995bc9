"""Property: for generated users, role sets and actions, the API allows exactly what the matrix allows,
and a refused call leaves every table as it was (sessions aside: the caller is logged in).

A whole reference backend runs on a background loop over a real SQLite file, called over HTTP; the station
is not connected, so an allowed remote operation answers 409 (offline) — allowed all the same. An action
with several routes (local users, PIN codes, RFID cards, reading) takes one of them per example.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.console.station_access import Stations
from evharness.reference_backend.domain.onboarding import CompanyDetails
from evharness.reference_backend.domain.permissions import STATION_ROLES, Action, Role, is_allowed
from evharness.reference_backend.domain.remote_operations import ACTIONS as OPERATION_ACTIONS
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.persistence.tables import metadata
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.portal import BackgroundLoop

IDENTITY = "PROP-1"
CLAIM = "CLAIM-PROP-1"
_numbers = itertools.count(1)


@dataclass
class Api:
    client: httpx.Client
    console: Console
    stations: Stations
    installation: int
    cpo: int
    local_user: int


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    folder: Path = tmp_path_factory.mktemp("station-permissions")
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{folder / 'api.sqlite3'}",
        outbox_dir=str(folder / "outbox"),
        log_level="warning",
    )
    with BackgroundLoop("station-permissions") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        stations, console = backend.stations, backend.console
        now = console.now()
        with stations.store.begin() as tx:
            owner = tx.add_company(CompanyDetails("Owner AS", "NO"), "customer_business", "active", now)
            cpo = tx.add_company(CompanyDetails("Grid CPO", "NO"), "cpo", "active", now)
            installation = tx.add_installation(owner, "Garage", now)
            station = tx.add_station(IDENTITY, now)
            tx.register(station, token_hash(CLAIM), None, now)
            local_user = tx.add_local_user(station, "Lou", "Cal", blocked=False)
        with httpx.Client(base_url=backend.api_url.removesuffix("/api/"), timeout=30) as client:
            yield Api(client, console, stations, installation, cpo, local_user)
        loop.run(backend.stop())


def a_user_with(api: Api, roles: frozenset[Role]) -> str:
    """A confirmed user holding `roles` on the station (email grants); their session token."""
    number = next(_numbers)
    email = f"user-{number}@example.com"
    token = new_token()
    now = api.console.now()
    with api.stations.store.begin() as tx:
        user = tx.add_user(email, f"User {number}", None, now, confirmed=True)
        tx.add_session(token_hash(token), user, now, now + timedelta(hours=1))
        station = tx.station(IDENTITY)
        assert station is not None
        for role in roles:
            tx.add_grant(station.id, {"role": role, "email": email}, None, now, "property test")
    return token


def request_for(api: Api, action: Action) -> tuple[str, str, Any]:
    n = next(_numbers)
    base = f"/api/stations/{IDENTITY}"
    settings_change = {
        Action.CONFIGURE: {"phases": 1 + 2 * (n % 2)},
        Action.CONFIGURE_ACCESSORIES: {"load_balancer_max_current": n % 100},
        Action.SET_MAX_CURRENT: {"max_current": 6 + n % 20},
        Action.SET_PRICES: {"price_per_kwh": f"0.{n % 90 + 10}"},
        Action.SET_CHARGING_TIMES: {"charging_times": f"{n % 24:02d}:00-06:00"},
        Action.SET_PRIORITIES: {"priority": n % 10},
        Action.SET_IDENTIFICATION_TYPES: {"identification_types": ["pin"] if n % 2 else ["rfid"]},
    }
    if action in settings_change:
        return "PATCH", f"{base}/settings", settings_change[action]
    # one operation per action, read from the backend's own table: a new operation is covered as it lands
    operations = {permission: name for name, permission in reversed(OPERATION_ACTIONS.items())}
    if action in operations:
        body = {"id_tag": "04A1B2C3", "content": "Welcome", "vendor_id": "org.evharness"}
        return "POST", f"{base}/operations/{operations[action]}", body
    user = f"{base}/local-users/{api.local_user}"
    others: dict[Action, tuple[str, str, Any]] = {
        Action.PLAN_INSTALLATION: (
            "POST",
            f"/api/installations/{api.installation}/stations",
            {"identity": IDENTITY, "claim_code": CLAIM},
        ),
        Action.SEND_HANDOVER: ("POST", f"{base}/handover", {"email": f"owner-{n}@example.com"}),
        Action.END_TRANSACTION: ("POST", f"{base}/transactions/1/end", {"reason": "stuck"}),
        Action.ASSIGN_CPO: ("PUT", f"{base}/cpo", {"company_id": api.cpo}),
        Action.MANAGE_LOCAL_USERS: [
            ("POST", f"{base}/pin-codes", {"code": f"#{n:06d}", "first_name": "L", "last_name": "U"}),
            ("POST", f"{base}/local-users", {"first_name": "L", "last_name": f"U{n}"}),
            ("POST", f"{user}/identifications", {"type": "pin", "code": f"#{n:06d}"}),
            ("PATCH", user, {"last_name": f"Cal{n}"}),
            ("POST", f"{user}/{'block' if n % 2 else 'unblock'}", None),
        ][n % 5],
        Action.ADD_RFID_CARD: [
            ("POST", f"{base}/rfid-cards", {"uid": f"{n:08X}", "first_name": "R", "last_name": "C"}),
            ("POST", f"{user}/identifications", {"type": "rfid", "code": f"{n:08X}"}),
        ][n % 2],
        Action.SET_SECURITY: [
            ("PUT", f"{base}/security", {"pins_on_profile_0": bool(n % 2)}),
            ("POST", f"{base}/password", None),  # offline here: 409 once allowed
        ][n % 2],
        Action.MANAGE_TOKENS: [
            ("POST", f"{base}/tokens", {"type": "Central", "code": f"CENTRAL-{n}"}),
            ("DELETE", f"{base}/tokens/{n}", None),
        ][n % 2],
        Action.VIEW_SETTINGS: [
            ("GET", f"{base}/settings", None),
            ("GET", f"{base}/local-users", None),
            ("GET", user, None),
        ][n % 3],
    }
    return others[action]


def snapshot(api: Api) -> dict[str, list[str]]:
    with api.stations.store.engine.connect() as conn:
        return {
            name: sorted(map(repr, conn.execute(sa.select(table)).all()))
            for name, table in metadata.tables.items()
            if name != "sessions"
        }


STATION_ACTIONS = [a for a in Action if a is not Action.MANAGE_MEMBERS]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(roles=st.frozensets(st.sampled_from(STATION_ROLES)), action=st.sampled_from(STATION_ACTIONS))
def test_the_api_allows_exactly_what_the_matrix_allows(
    api: Api, roles: frozenset[Role], action: Action
) -> None:
    token = a_user_with(api, roles)
    method, path, body = request_for(api, action)
    before = snapshot(api)
    answer = api.client.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})
    if is_allowed(action, roles):
        assert answer.status_code != 403, answer.text
        assert answer.status_code < 500, answer.text
    else:
        assert answer.status_code == 403, answer.text
        assert action.value in answer.json()["detail"]
        assert f"your roles there: {', '.join(sorted(roles)) or 'none'}" in answer.json()["detail"]
        assert snapshot(api) == before
