"""Boot policies of the backend: the default (`--boot-policy`) and the operator's per-station choices,
and which stations are held back because their last BootNotification was answered Pending or Rejected.

Connections read the policy when a BootNotification arrives and record the answer, so a station that
reconnects without booting after a Pending or Rejected answer is still held back (B02.FR.09, B03.FR.07).
With `BootRecords` both outlive a restart: every change is written through (database first, so a
failed write changes nothing) and `restore()` reads them back at start. Without, they live in memory.
"""

from __future__ import annotations

from evharness.reference_backend.domain.boot import BootPolicy, PolicyName, Registration
from evharness.reference_backend.persistence.boot_records import BootRecords

HELD_BACK = frozenset({Registration.PENDING, Registration.REJECTED})


class BootPolicies:
    def __init__(self, default: BootPolicy | None = None, records: BootRecords | None = None) -> None:
        self.default = default or BootPolicy()
        self.records = records
        self._by_station: dict[str, BootPolicy] = {}
        self._last_answer: dict[str, Registration] = {}

    def restore(self) -> None:
        """Read the stored choices and holds (the tables must exist)."""
        if self.records is not None:
            state = self.records.load()
            self._by_station = dict(state.policies)
            self._last_answer = dict(state.holds)

    def policy_for(self, identity: str) -> BootPolicy:
        return self._by_station.get(identity, self.default)

    def is_own(self, identity: str) -> bool:
        """Whether the station has its own policy (else it follows the default)."""
        return identity in self._by_station

    def set(self, identity: str, policy: BootPolicy) -> None:
        if self.records is not None:
            self.records.save_policy(identity, policy)
        self._by_station[identity] = policy
        self._forget_hold_if_accepted(identity)

    def clear(self, identity: str) -> None:
        if self.records is not None:
            self.records.save_policy(identity, None)
        self._by_station.pop(identity, None)
        self._forget_hold_if_accepted(identity)

    def _forget_hold_if_accepted(self, identity: str) -> None:
        """The operator accepted the station: like any known station, it may reconnect without booting."""
        if self.policy_for(identity).name is PolicyName.ACCEPTED and self.held_back(identity):
            self._hold(identity, None)

    def record(self, identity: str, answer: Registration) -> None:
        """The answer to the station's BootNotification; stored only when it holds or releases it."""
        held = answer if answer in HELD_BACK else None
        if held is not self._last_answer.get(identity) and (held is not None or self.held_back(identity)):
            self._hold(identity, held)
        self._last_answer[identity] = answer

    def _hold(self, identity: str, answer: Registration | None) -> None:
        if self.records is not None:
            self.records.save_hold(identity, answer)
        if answer is None:
            self._last_answer.pop(identity, None)
        else:
            self._last_answer[identity] = answer

    def last_answer(self, identity: str) -> Registration | None:
        return self._last_answer.get(identity)

    def held_back(self, identity: str) -> bool:
        """Its last BootNotification was answered Pending or Rejected: it is not accepted yet."""
        return self._last_answer.get(identity) in HELD_BACK
