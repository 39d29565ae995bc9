"""The boot policies the operator chose and the stations held back at boot, kept in the database so
that a restarted backend still answers and holds each station as before (see `registration`).

Rare writes (an operator's choice; a boot answer that holds a station back or releases it), so each
is its own short transaction: delete, then insert — the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from evharness.reference_backend.domain.boot import BootPolicy, PolicyName, Registration
from evharness.reference_backend.persistence.tables import boot_holds, boot_policies


@dataclass(frozen=True, slots=True)
class BootState:
    policies: dict[str, BootPolicy]  # by identity: the operator's choices
    holds: dict[str, Registration]  # by identity: last answered Pending or Rejected


class BootRecords:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def load(self) -> BootState:
        with self.engine.connect() as conn:
            policies = {
                row.identity: BootPolicy(PolicyName(row.policy), row.retry_interval, row.trigger_boot)
                for row in conn.execute(sa.select(boot_policies))
            }
            holds = {row.identity: Registration(row.answer) for row in conn.execute(sa.select(boot_holds))}
        return BootState(policies, holds)

    def save_policy(self, identity: str, policy: BootPolicy | None) -> None:
        """Store the station's own policy; None: it follows the default again."""
        row: dict[str, object] | None = None
        if policy is not None:
            row = {
                "policy": policy.name.value,
                "retry_interval": policy.retry_interval,
                "trigger_boot": policy.trigger,
            }
        self._replace(boot_policies, identity, row)

    def save_hold(self, identity: str, answer: Registration | None) -> None:
        """Record the Pending or Rejected answer that holds the station back; None: it is not held."""
        self._replace(boot_holds, identity, None if answer is None else {"answer": answer.value})

    def _replace(self, table: sa.Table, identity: str, row: dict[str, object] | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.delete(table).where(table.c.identity == identity))
            if row is not None:
                conn.execute(sa.insert(table).values(identity=identity, **row))
