"""A station's security settings (`tables.station_security`) and the move to a rotated password.

Rare writes (an operator's choice, a password rotation), each its own short transaction; one read per
connection attempt (`read`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from evharness.reference_backend.persistence.tables import station_security, stations


@dataclass(frozen=True, slots=True)
class StationSecurity:
    profile: int | None = None  # None: the backend's default
    pins_on_profile_0: bool = False
    new_password_hash: str | None = None
    upgrade_to: int | None = None


class SecurityRecords:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def read(self, identity: str) -> StationSecurity:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(station_security).where(station_security.c.identity == identity)
            ).first()
        if row is None:
            return StationSecurity()
        return StationSecurity(
            row.profile, bool(row.pins_on_profile_0), row.new_password_hash, row.upgrade_to
        )

    def save(self, identity: str, **changes: object) -> StationSecurity:
        """Change some of `profile`, `pins_on_profile_0`, `new_password_hash`; the others stay."""
        with self.engine.begin() as conn:
            key = station_security.c.identity == identity
            found = conn.execute(sa.select(station_security.c.identity).where(key)).first()
            if found is None:
                conn.execute(sa.insert(station_security).values(identity=identity, **changes))
            elif changes:
                conn.execute(sa.update(station_security).where(key).values(**changes))
        return self.read(identity)

    def save_for_station(self, station_id: int, **changes: object) -> None:
        """`save` for the station of this row id (the CALL recorders know the row, not the identity)."""
        with self.engine.connect() as conn:
            identity = conn.scalar(sa.select(stations.c.identity).where(stations.c.id == station_id))
        if identity is not None:
            self.save(identity, **changes)

    def take_new_password(self, identity: str) -> None:
        """The station connected with its new password: it becomes the one password (the old one
        stops working), in one transaction."""
        with self.engine.begin() as conn:
            key = station_security.c.identity == identity
            new_hash = conn.scalar(sa.select(station_security.c.new_password_hash).where(key))
            if new_hash is None:
                return
            conn.execute(
                sa.update(stations).where(stations.c.identity == identity).values(basic_auth_hash=new_hash)
            )
            conn.execute(sa.update(station_security).where(key).values(new_password_hash=None))
