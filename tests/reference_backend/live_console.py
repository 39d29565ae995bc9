"""A real backend on port 0 with one station and a logged-in user per role on it, for console API tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.permissions import Role
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.portal import BackgroundLoop


@dataclass
class Live:
    backend: BackendServer
    base: str
    tokens: dict[Role, str]

    def client(self, role: Role | None = None, token: str | None = None) -> httpx.Client:
        bearer = token if token is not None else self.tokens[role] if role is not None else ""
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {bearer}"}, timeout=30)


@contextmanager
def live_console(
    tmp_path: Path, station: str, roles: Iterable[Role], operator_token: str | None = None
) -> Iterator[Live]:
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{tmp_path / 'console.sqlite3'}",
        outbox_dir=str(tmp_path / "outbox"),
        operator_token=operator_token,
    )
    with BackgroundLoop("live-console") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        now = backend.console.now()
        tokens = {}
        with backend.stations.store.begin() as tx:
            station_id = tx.add_station(station, now)
            for role in roles:
                email = f"{role.value}@example.com"
                user = tx.add_user(email, role.value, None, now, confirmed=True)
                tokens[role] = new_token()
                tx.add_session(token_hash(tokens[role]), user, now, now + timedelta(hours=1))
                tx.add_grant(station_id, {"role": role, "email": email}, None, now, "test")
        try:
            yield Live(backend, backend.api_url.removesuffix("/api/") + "/api/", tokens)
        finally:
            loop.run(backend.stop())
