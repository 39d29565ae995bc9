"""Charging profiles the CSMS installs, and the limit they put on an EVSE at a moment.

Rules (2.0.1 K01/K08, 1.6 §3.13): per purpose the valid profile with the highest stackLevel wins;
a TxProfile overrides the TxDefaultProfile for its transaction; the station-wide maximum profile
(ChargingStationMaxProfile / 1.6 ChargePointMaxProfile) caps whatever the others allow. A schedule
starts at `startSchedule` (Absolute), at the transaction's start (Relative) or at the last daily /
weekly recurrence (Recurring). Limits in A become W with the period's phase count at 230 V.
Adapters translate each version's payload into `ChargingProfile`; this module never sees JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core.meter import NOMINAL_VOLTAGE
from simulator.core.model import Evse

STATION_MAX = "StationMax"
TX_DEFAULT = "TxDefault"
TX = "Tx"
PURPOSES = {
    "ChargePointMaxProfile": STATION_MAX,
    "ChargingStationMaxProfile": STATION_MAX,
    "TxDefaultProfile": TX_DEFAULT,
    "TxProfile": TX,
}
RECURRENCE = {"Daily": 86_400.0, "Weekly": 604_800.0}


@dataclass(frozen=True, slots=True)
class Period:
    start_s: float
    limit: float
    phases: int = 3


@dataclass(frozen=True, slots=True)
class ChargingProfile:
    id: int
    evse_id: int  # 0: the whole station
    stack_level: int
    purpose: str  # STATION_MAX, TX_DEFAULT or TX
    kind: str  # Absolute, Relative, Recurring
    unit: str  # "A" or "W"
    periods: tuple[Period, ...]
    start: float | None = None
    duration_s: float | None = None
    recurrency: str | None = None
    valid_from: float | None = None
    valid_to: float | None = None
    transaction_id: str | None = None

    def schedule_start(self, now: float, transaction_start: float | None) -> float | None:
        if self.kind == "Relative":
            return transaction_start if transaction_start is not None else now
        if self.kind == "Recurring" and self.start is not None and self.recurrency in RECURRENCE:
            cycle = RECURRENCE[self.recurrency]
            return self.start + ((now - self.start) // cycle) * cycle
        return self.start if self.start is not None else now

    def limit_w(self, now: float, transaction_start: float | None) -> float | None:
        """This profile's limit at `now` in W, or None where it says nothing."""
        if (self.valid_from is not None and now < self.valid_from) or (
            self.valid_to is not None and now >= self.valid_to
        ):
            return None
        start = self.schedule_start(now, transaction_start)
        if start is None or now < start:
            return None
        offset = now - start
        if self.duration_s is not None and offset >= self.duration_s:
            return None
        current = [p for p in self.periods if p.start_s <= offset]
        if not current:
            return None
        period = current[-1]
        return to_watts(period.limit, self.unit, period.phases)

    def boundaries(self, now: float, until: float, transaction_start: float | None) -> list[float]:
        """Moments in (now, until] where this profile's limit may change."""
        start = self.schedule_start(now, transaction_start)
        moments = [self.valid_from, self.valid_to]
        if start is not None:
            moments += [start + p.start_s for p in self.periods]
            if self.duration_s is not None:
                moments.append(start + self.duration_s)
            if self.kind == "Recurring" and self.recurrency in RECURRENCE:
                moments.append(start + RECURRENCE[self.recurrency])
        return sorted(m for m in moments if m is not None and now < m <= until)


def to_watts(limit: float, unit: str, phases: int) -> float:
    return limit * NOMINAL_VOLTAGE * phases if unit == "A" else limit


@dataclass
class ProfileStore:
    profiles: dict[int, ChargingProfile] = field(default_factory=dict)
    max_stack_level: int = 10

    def install(self, profile: ChargingProfile) -> bool:
        """K01.FR.05: a profile with the same id, or the same purpose, stack level and EVSE, is replaced."""
        if profile.stack_level > self.max_stack_level or not profile.periods:
            return False
        for old in list(self.profiles.values()):
            same_slot = (old.purpose, old.stack_level, old.evse_id) == (
                profile.purpose,
                profile.stack_level,
                profile.evse_id,
            )
            if old.id == profile.id or (same_slot and old.purpose != TX):
                del self.profiles[old.id]
        self.profiles[profile.id] = profile
        return True

    def clear(
        self,
        profile_id: int | None = None,
        evse_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
    ) -> bool:
        """Remove the matching profiles; whether any matched (K10)."""
        matched = [
            p.id
            for p in self.profiles.values()
            if (profile_id is None or p.id == profile_id)
            and (evse_id is None or p.evse_id == evse_id)
            and (purpose is None or p.purpose == purpose)
            and (stack_level is None or p.stack_level == stack_level)
        ]
        for key in matched:
            del self.profiles[key]
        return bool(matched)

    def end_transaction(self, transaction_id: str) -> None:
        """K01.FR.05 / 1.6 §3.13.1: a TxProfile lives as long as its transaction."""
        for key in [p.id for p in self.profiles.values() if p.purpose == TX]:
            profile = self.profiles[key]
            if profile.transaction_id in (None, transaction_id):
                del self.profiles[key]

    def limit_w(
        self, evse_id: int, now: float, transaction_id: str | None, transaction_start: float | None
    ) -> float | None:
        """The power limit on `evse_id` at `now` from every installed profile, or None if unlimited."""
        limits: list[float] = []
        station = self._winner(STATION_MAX, {0, evse_id}, now, None, transaction_start)
        if station is not None:
            limits.append(station)
        if transaction_id is not None:
            tx = self._winner(TX, {evse_id, 0}, now, transaction_id, transaction_start)
            if tx is None:
                tx = self._winner(TX_DEFAULT, {evse_id}, now, None, transaction_start)
            if tx is None:
                tx = self._winner(TX_DEFAULT, {0}, now, None, transaction_start)
            if tx is not None:
                limits.append(tx)
        return min(limits) if limits else None

    def next_change(
        self, now: float, transaction_start: float | None, horizon_s: float = 86_400.0
    ) -> float | None:
        moments = [
            m for p in self.profiles.values() for m in p.boundaries(now, now + horizon_s, transaction_start)
        ]
        return min(moments) if moments else None

    def composite(
        self,
        evse_id: int,
        now: float,
        duration_s: float,
        transaction_id: str | None,
        transaction_start: float | None,
        ceiling_w: float,
    ) -> list[tuple[float, float]]:
        """(offset from now in s, limit in W) periods of the composite schedule (K08)."""
        moments = [now]
        for profile in self.profiles.values():
            moments += profile.boundaries(now, now + duration_s - 1e-9, transaction_start)
        periods: list[tuple[float, float]] = []
        for moment in sorted(set(moments)):
            limit = self.limit_w(evse_id, moment, transaction_id, transaction_start)
            value = ceiling_w if limit is None else min(limit, ceiling_w)
            if not periods or periods[-1][1] != value:
                periods.append((moment - now, value))
        return periods

    def _winner(
        self,
        purpose: str,
        evses: set[int],
        now: float,
        transaction_id: str | None,
        transaction_start: float | None,
    ) -> float | None:
        candidates = sorted(
            (
                p
                for p in self.profiles.values()
                if p.purpose == purpose
                and p.evse_id in evses
                and (purpose != TX or p.transaction_id in (None, transaction_id))
            ),
            key=lambda p: p.stack_level,
            reverse=True,
        )
        for profile in candidates:
            limit = profile.limit_w(now, transaction_start)
            if limit is not None:
                return limit
        return None


def admissible(profile: ChargingProfile, evses: dict[int, Evse]) -> bool:
    """SetChargingProfile's rules before installing (K01.FR.09/22, 1.6 §5.16 / §3.13): an EVSE the
    station has; the station-wide maximum only on EVSE 0; a TxProfile only on an EVSE with a
    transaction (the one it names, if it names one)."""
    if profile.evse_id != 0 and profile.evse_id not in evses:
        return False
    if profile.purpose == STATION_MAX and profile.evse_id != 0:
        return False
    if profile.purpose == TX:
        evse = evses.get(profile.evse_id)
        transaction = evse.transaction if evse is not None else None
        if transaction is None or (
            profile.transaction_id is not None and profile.transaction_id != transaction.key
        ):
            return False
    return True
