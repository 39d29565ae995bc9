"""The whole reference CSMS in one object: store, OCPP-J server and console API on one event loop.

backend = BackendServer(BackendSettings(ocpp_port=0, api_port=0, database_url=url))
await backend.start()      # backend.ocpp_url → "ws://127.0.0.1:PORT/ocpp/"
...
await backend.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

import uvicorn

from evharness.reference_backend.api import create_app
from evharness.reference_backend.api.state import ApiState
from evharness.reference_backend.boot_policies import BootPolicies
from evharness.reference_backend.console.context import Console, OidcSettings
from evharness.reference_backend.console.mail import Mailer, OutboxMailer, SmtpMailer
from evharness.reference_backend.console.station_access import Stations
from evharness.reference_backend.console.station_security import StationSecurityUseCases
from evharness.reference_backend.contract_sources import contract_source
from evharness.reference_backend.domain.certificates import Authority, authority_problem
from evharness.reference_backend.domain.local_list import MessageLimits
from evharness.reference_backend.domain.security_profiles import PROFILES
from evharness.reference_backend.local_lists import sync_local_list
from evharness.reference_backend.metrics import CsmsMetrics
from evharness.reference_backend.operations import Link, Operations
from evharness.reference_backend.passwords import REMOVED
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.boot_records import BootRecords
from evharness.reference_backend.persistence.console import ConsoleStore
from evharness.reference_backend.persistence.station_access import StationStore
from evharness.reference_backend.pushing import push_settings
from evharness.reference_backend.security import SecurityPolicy
from evharness.reference_backend.server import PATH_PREFIX, OcppServer
from evharness.reference_backend.settings import BackendSettings

log = logging.getLogger(__name__)


class _ApiServer(uvicorn.Server):
    """uvicorn without its signal handlers: the backend's own handlers rule (and tests have none)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class BackendServer:
    def __init__(self, settings: BackendSettings) -> None:
        self.settings = settings
        if settings.station_passwords:  # ignored, its stations would fail to authenticate
            raise ValueError(REMOVED)
        self.security = SecurityPolicy(
            settings.security_profile, settings.tls_cert, settings.tls_key, settings.tls_ca
        )
        self.authority = operator_authority(
            settings.ca_cert, settings.ca_key
        )  # checked before anything opens
        contracts = contract_source(settings.contract_source)  # checked before anything opens
        self.store = Store.from_url(settings.database_url)
        self.store.contract_source = contracts
        self.operations = Operations()
        self.boot_policies = BootPolicies(settings.default_boot_policy, BootRecords(self.store.engine))
        self.ocpp = OcppServer(
            self.store,
            settings.host,
            settings.ocpp_port,
            tls_port=settings.tls_port,
            heartbeat_interval=settings.heartbeat_interval,
            validate_outgoing=settings.validate_outgoing,
            operations=self.operations,
            boot_policies=self.boot_policies,
            security=self.security,
        )
        self.console = build_console(settings, self.store)
        self.metrics = CsmsMetrics(lambda: len(self.ocpp.connections))
        self.metrics.time_commits(self.store.engine)
        self.ocpp.frames = self.metrics.frames
        self.stations = Stations(self.console, StationStore(self.store.engine), self.operations)
        self.ocpp.on_registered = self._push_pending
        self.stations.on_identifications_changed = self._schedule_list_sync
        self.list_limits: dict[str, MessageLimits] = {}  # by identity, read on each registration
        # One list sync at a time per station: two quick console changes must not both plan from the
        # same "last sent" state and send the same version twice.
        self._list_locks: dict[str, asyncio.Lock] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.api_port = 0
        self._api: _ApiServer | None = None
        self._api_task: asyncio.Task[None] | None = None

    @property
    def ocpp_port(self) -> int:
        return self.ocpp.port

    @property
    def ocpp_url(self) -> str:
        """Append the station identity to connect: `f"{backend.ocpp_url}{station_id}"`; wss:// when
        the default profile needs TLS."""
        return self.ocpp_wss_url if PROFILES[self.settings.security_profile].tls else self.ocpp_ws_url

    @property
    def ocpp_ws_url(self) -> str:
        return f"ws://{self.settings.host}:{self.ocpp_port}{PATH_PREFIX}"

    @property
    def ocpp_wss_url(self) -> str:
        """The wss:// address (RuntimeError when the backend has no certificate)."""
        port = self.ocpp.tls_port
        if port is None:
            raise RuntimeError("no wss:// without --tls-cert and --tls-key")
        return f"wss://{self.settings.host}:{port}{PATH_PREFIX}"

    @property
    def api_url(self) -> str:
        return f"http://{self.settings.host}:{self.api_port}/api/"

    @property
    def connected_stations(self) -> frozenset[str]:
        return frozenset(self.ocpp.connections)

    async def start(self) -> None:
        """Create the tables, read the stored boot policies, then listen on both ports (port 0: a free one,
        see `ocpp_port`, `api_port`)."""
        self.store.create_schema()
        self.boot_policies.restore()
        if self.authority is not None:
            self.store.use_certificate_authority(self.authority, datetime.now(UTC))
        self.operations.bind(asyncio.get_running_loop())
        self._loop = asyncio.get_running_loop()
        for warning in self.security_warnings():
            log.warning("%s", warning)
        await self.ocpp.start()
        try:
            await self._start_api()
        except BaseException:
            await self.ocpp.stop()
            raise

    async def stop(self) -> None:
        """Close station connections, stop the API, send queued mail, dispose of the engine."""
        await self.ocpp.stop()
        if self._api is not None and self._api_task is not None:
            self._api.should_exit = True
            await self._api_task
            self._api = self._api_task = None
        await asyncio.to_thread(self.console.close)  # queued mail goes out first
        self.store.dispose()

    async def __aenter__(self) -> BackendServer:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.stop()

    async def _start_api(self) -> None:
        # Bind here, so the real port is known at once even when asked for port 0.
        listener = socket.create_server((self.settings.host, self.settings.api_port))
        self.api_port = listener.getsockname()[1]
        self.console.public_url = self.settings.public_url or f"http://{self.settings.host}:{self.api_port}"
        app = create_app(
            ApiState(
                self.console,
                self.stations,
                self.store,
                self.operations,
                self.boot_policies,
                self.settings.operator_token,
                lambda: len(self.ocpp.connections),
                self.metrics,
                StationSecurityUseCases(
                    self.ocpp.gate.records,
                    self.settings.security_profile,
                    self.security.unavailable,
                    self.store.basic_auth_hash,
                ),
            )
        )
        config = uvicorn.Config(
            app,
            lifespan="off",
            log_config=None,
            log_level=self.settings.log_level,
            access_log=False,
            # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: only configured proxies here
            proxy_headers=self.settings.forwarded_allow_ips is not None,
            forwarded_allow_ips=self.settings.forwarded_allow_ips or "",
        )
        self._api = _ApiServer(config)
        self._api_task = asyncio.create_task(self._api.serve(sockets=[listener]))
        while not self._api.started:
            if self._api_task.done():
                await self._api_task  # raises what stopped it
                raise RuntimeError("the console API stopped during start-up")
            await asyncio.sleep(0.005)

    def security_warnings(self) -> list[str]:
        """What an operator must know at start-up about this backend's security (printed, logged)."""
        warnings = []
        if self.settings.security_profile == 0:
            warnings.append(
                "stations without a profile of their own connect with no security (profile 0): anyone can "
                "connect as them; their local lists hold no PINs unless allowed per station "
                "(PUT /api/stations/{id}/security; docs/security.md)"
            )
        if not self.security.tls:
            warnings.append("no wss:// (no --tls-cert): stations cannot use security profiles 2 and 3")
        return warnings

    async def _push_pending(self, link: Link) -> None:
        """A station registered on a new connection: push the settings it has not taken yet."""
        await push_settings(link, self.stations.store, self.console.now)
        await self.sync_local_list(link.identity, ask=True)

    async def sync_local_list(self, identity: str, *, ask: bool = False) -> str | None:
        """Send the station the local list entries that changed (Full if it must); see `local_lists`."""
        async with self._list_locks.setdefault(identity, asyncio.Lock()):
            link = self.operations.registered_link(identity)
            if link is None:
                return None  # it gets the list when it next registers
            pins = self.ocpp.gate.pins_allowed(identity)
            return await sync_local_list(
                link, self.store, self.console.now, ask=ask, limits=self.list_limits, pins_allowed=pins
            )

    def _schedule_list_sync(self, identity: str) -> None:
        """From a console thread (or the loop): sync the station's list in the background."""
        if self._loop is not None and self.operations.registered_link(identity) is not None:
            asyncio.run_coroutine_threadsafe(self.sync_local_list(identity), self._loop)


def build_console(settings: BackendSettings, store: Store, *, background_mail: bool = True) -> Console:
    """The console's use cases over the backend's database, mailing through SMTP or the outbox."""
    mailer: Mailer = (
        SmtpMailer(settings.smtp_url, settings.mail_from)
        if settings.smtp_url
        else OutboxMailer(Path(settings.outbox_dir), settings.mail_from)
    )
    oidc = None
    if settings.oidc_issuer:
        oidc = OidcSettings(
            settings.oidc_issuer, settings.oidc_client_id or "", settings.oidc_client_secret or ""
        )
    return Console(
        ConsoleStore(store.engine),
        mailer,
        link_ttl=timedelta(seconds=settings.link_ttl),
        login_limit_account=settings.login_limit_account,
        login_limit_client=settings.login_limit_client,
        oidc=oidc,
        background_mail=background_mail,
    )


def operator_authority(cert_path: str | None, key_path: str | None) -> Authority | None:
    """The operator's CA (--ca-cert, --ca-key), checked; None: the backend's own. ValueError naming the
    option when only one is given or the pair cannot sign."""
    if cert_path is None and key_path is None:
        return None
    if cert_path is None or key_path is None:
        raise ValueError("--ca-cert and --ca-key go together")
    authority = Authority(
        Path(cert_path).read_text(encoding="utf-8"), Path(key_path).read_text(encoding="utf-8")
    )
    problem = authority_problem(authority, datetime.now(UTC).timestamp())
    if problem is not None:
        raise ValueError(f"--ca-cert {cert_path}: {problem}")
    return authority
