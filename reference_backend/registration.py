"""Boot policies of the backend: the default (`--boot-policy`) and the operator's per-station choices,
and how each station was last answered at boot. In memory: a restart forgets the per-station choices.

Sessions read the policy when a BootNotification arrives and record the answer, so a station that
reconnects without booting after a Pending or Rejected answer is still held back (B02.FR.09, B03.FR.07).
"""

from __future__ import annotations

from reference_backend.domain.boot import BootPolicy, PolicyName, Registration

HELD_BACK = frozenset({Registration.PENDING, Registration.REJECTED})


class BootPolicies:
    def __init__(self, default: BootPolicy | None = None) -> None:
        self.default = default or BootPolicy()
        self._by_station: dict[str, BootPolicy] = {}
        self._last_answer: dict[str, Registration] = {}

    def policy_for(self, identity: str) -> BootPolicy:
        return self._by_station.get(identity, self.default)

    def is_own(self, identity: str) -> bool:
        """Whether the station has its own policy (else it follows the default)."""
        return identity in self._by_station

    def set(self, identity: str, policy: BootPolicy) -> None:
        self._by_station[identity] = policy
        self._forget_hold_if_accepted(identity)

    def clear(self, identity: str) -> None:
        self._by_station.pop(identity, None)
        self._forget_hold_if_accepted(identity)

    def _forget_hold_if_accepted(self, identity: str) -> None:
        """The operator accepted the station: like any known station, it may reconnect without booting."""
        if self.policy_for(identity).name is PolicyName.ACCEPTED and self.held_back(identity):
            del self._last_answer[identity]

    def record(self, identity: str, answer: Registration) -> None:
        self._last_answer[identity] = answer

    def last_answer(self, identity: str) -> Registration | None:
        return self._last_answer.get(identity)

    def held_back(self, identity: str) -> bool:
        """Its last BootNotification was answered Pending or Rejected: it is not accepted yet."""
        return self._last_answer.get(identity) in HELD_BACK
