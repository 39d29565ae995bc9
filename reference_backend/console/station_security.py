"""A station's security as its installer or the supplier's support sets it (`set_security`).

The profile the station must connect with (docs/security.md: refused below it at the upgrade), and
whether its local list may hold PINs while it connects without security. Checked first — a profile
this backend cannot serve (no TLS, no CA) or a password profile for a station without a password is
refused, naming the field — then stored and audited. It applies from the station's next connection.

`rotate_password` gives a connected station a new Basic-auth password (`domain.password_rotation`):
its hash is stored once the station accepted it, beside the old one, which works until the station
connects with the new one. The password itself is never shown, stored or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from evharness.reference_backend.console.station_access import StationAccess, Stations
from evharness.reference_backend.domain.credentials import BasicAuth
from evharness.reference_backend.domain.password_rotation import ROTATION, new_password
from evharness.reference_backend.domain.problems import Conflict, InvalidInput
from evharness.reference_backend.domain.security_profiles import PROFILES, profile_problem
from evharness.reference_backend.persistence.station_security import SecurityRecords, StationSecurity


@dataclass(frozen=True)
class SecurityView:
    identity: str
    profile: int  # the one enforced
    own_profile: bool  # False: the backend's default applies
    pins_on_profile_0: bool
    has_password: bool
    new_password_pending: bool  # rotated, the station has not connected with it yet


@dataclass(frozen=True)
class RotationView:
    identity: str
    status: str  # the station's answer: Accepted, Rejected …, or CallError / timeout
    new_password_pending: bool


@dataclass
class StationSecurityUseCases:
    """What the console needs of the backend's security: its records, its default, what it serves."""

    records: SecurityRecords
    default_profile: int
    unavailable: Callable[[int], str | None]  # why the backend cannot serve a profile; None if it can
    password_hash: Callable[[str], str | None]  # the station's stored hash (the database, the one store)

    def view(self, access: StationAccess) -> SecurityView:
        own = self.records.read(access.identity)
        return self._view(access.identity, own)

    def set(
        self, stations: Stations, access: StationAccess, profile: int | None, pins_on_profile_0: bool | None
    ) -> SecurityView:
        identity = access.identity
        changes: dict[str, object] = {}
        if profile is not None:
            problem = profile_problem(profile)
            if problem is not None:
                raise InvalidInput("profile", problem)
            why = self.unavailable(profile)
            if why is not None:
                raise Conflict(f"profile: {why}")
            own = self.records.read(identity)
            if PROFILES[profile].basic_auth is BasicAuth.REQUIRED and not (
                self.password_hash(identity) or own.new_password_hash
            ):
                raise Conflict(
                    f"profile: station {identity} has no password yet (rotate one while it is connected: "
                    f"POST /api/stations/{identity}/password; or `evharness station-password`)"
                )
            changes["profile"] = profile
        if pins_on_profile_0 is not None:
            changes["pins_on_profile_0"] = pins_on_profile_0
        before = self.records.read(identity)
        after = self.records.save(identity, **changes)
        now = stations.now()
        with stations.store.begin() as tx:
            for name in changes:
                old, new = getattr(before, name), getattr(after, name)
                if old != new:
                    subject = f"security.{name}"
                    tx.audit(
                        access.station.id, access.caller.id, "setting", subject, str(old), str(new), None, now
                    )
        return self._view(identity, after)

    def _view(self, identity: str, own: StationSecurity) -> SecurityView:
        return SecurityView(
            identity,
            self.default_profile if own.profile is None else own.profile,
            own.profile is not None,
            own.pins_on_profile_0,
            self.password_hash(identity) is not None,
            own.new_password_hash is not None,
        )

    def rotate_password(self, stations: Stations, access: StationAccess) -> RotationView:
        identity = access.identity
        ops = stations.operations
        version = ops.version_of(identity) if ops is not None else None
        if ops is None or version is None:
            raise Conflict(f"station {identity} is offline: a new password needs a connected station")
        rotation = ROTATION[version]
        password = new_password()
        outcome = ops.call_from_thread(identity, rotation.action, rotation.request(password))
        status = rotation.status(outcome.payload) if outcome.payload is not None else outcome.status
        # an accepted password's hash is stored by the CALL path itself (`handlers.functions.ANSWERS`)
        with stations.store.begin() as tx:
            tx.audit(
                access.station.id, access.caller.id, "operation", "rotate_password", None, rotation.action,
                status, stations.now(),
            )  # fmt: skip
        return RotationView(identity, status, self.records.read(identity).new_password_hash is not None)
