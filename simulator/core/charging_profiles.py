"""Charging profiles the CSMS installs (and the external limits an EMS sets), and the limit they put
on an EVSE at a moment.

Rules (2.0.1 K01/K08, 1.6 §3.13): per purpose the valid profile with the highest stackLevel that has
a period for the moment wins (a higher one with nothing to say then lets the next lower one speak);
a TxProfile overrides the TxDefaultProfile for its transaction, an EVSE's own TxDefaultProfile the
station-wide one (EVSE 0); the station-wide maximum (ChargingStationMaxProfile / 1.6
ChargePointMaxProfile) and the external constraints (ChargingStationExternalConstraints, set by an
EMS or the grid operator, K11–K13: each one holds, whatever its stack level) cap whatever the
others allow: the limit is the least of the purposes. A schedule starts at `startSchedule`
(Absolute), at the transaction's start (Relative — for a composite schedule without a transaction,
at its start) or at the last daily / weekly recurrence of `startSchedule` (Recurring). Limits in A
become W with the period's phase count at 230 V. Adapters translate each version's payload into
`ChargingProfile`; this module never sees JSON.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from evharness.simulator.core.meter import NOMINAL_VOLTAGE
from evharness.simulator.core.model import Evse

STATION_MAX = "StationMax"
TX_DEFAULT = "TxDefault"
TX = "Tx"
EXTERNAL = "External"  # ChargingStationExternalConstraints: an EMS's or the grid's, never the CSMS's
PURPOSES = {
    "ChargePointMaxProfile": STATION_MAX,
    "ChargingStationMaxProfile": STATION_MAX,
    "TxDefaultProfile": TX_DEFAULT,
    "TxProfile": TX,
    "ChargingStationExternalConstraints": EXTERNAL,
}
CSO = "CSO"  # chargingLimitSource of what the CSMS installs (K09); an EMS's: EMS, SO, Other
RECURRENCE = {"Daily": 86_400.0, "Weekly": 604_800.0}
HORIZON_S = 86_400.0  # how far ahead the station looks for the next change of a limit


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
    purpose: str  # STATION_MAX, TX_DEFAULT, TX or EXTERNAL
    kind: str  # Absolute, Relative, Recurring
    unit: str  # "A" or "W"
    periods: tuple[Period, ...]
    start: float | None = None
    duration_s: float | None = None
    recurrency: str | None = None
    valid_from: float | None = None
    valid_to: float | None = None
    transaction_id: str | None = None
    source: str = CSO  # chargingLimitSource: who installed it
    schedule_id: int = 1  # 2.0.1 ChargingScheduleType.id, reported back as it came
    min_rate: float | None = None  # minChargingRate, reported back as it came

    def schedule_start(self, at: float, anchor: float) -> float:
        """Where the schedule in force at `at` begins; `anchor` is the transaction's start."""
        if self.kind == "Relative" or self.start is None:
            return anchor
        cycle = RECURRENCE.get(self.recurrency or "") if self.kind == "Recurring" else None
        if cycle is None:
            return self.start
        return self.start + math.floor((at - self.start) / cycle) * cycle

    def valid(self, at: float) -> bool:
        return (self.valid_from is None or at >= self.valid_from) and (
            self.valid_to is None or at < self.valid_to
        )

    def limit_w(self, at: float, anchor: float) -> float | None:
        """This profile's limit at `at` in W, or None where it says nothing."""
        if not self.valid(at):
            return None
        offset = at - self.schedule_start(at, anchor)
        if offset < 0 or (self.duration_s is not None and offset >= self.duration_s):
            return None
        current = [p for p in self.periods if p.start_s <= offset]
        if not current:
            return None
        period = current[-1]
        return to_watts(period.limit, self.unit, period.phases)

    def boundaries(self, now: float, until: float, anchor: float) -> list[float]:
        """Moments in (now, until] where this profile's limit may change."""
        moments = [self.valid_from, self.valid_to]
        cycle = RECURRENCE.get(self.recurrency or "") if self.kind == "Recurring" else None
        starts = [self.schedule_start(now, anchor)]
        if cycle is not None and self.start is not None:
            first = self.schedule_start(now, anchor)
            starts = [first + k * cycle for k in range(int((until - first) // cycle) + 2)]
        for start in starts:
            moments += [start + p.start_s for p in self.periods]
            if self.duration_s is not None:
                moments.append(start + self.duration_s)
            if cycle is not None:
                moments.append(start + cycle)
        return sorted({m for m in moments if m is not None and now < m <= until})


def to_watts(limit: float, unit: str, phases: int) -> float:
    return limit * NOMINAL_VOLTAGE * phases if unit == "A" else limit


@dataclass
class ProfileStore:
    profiles: dict[int, ChargingProfile] = field(default_factory=dict)
    max_stack_level: int = 10
    max_entries: int | None = None  # SmartChargingCtrlr.Entries / MaxChargingProfilesInstalled
    max_periods: int | None = None  # SmartChargingCtrlr.PeriodsPerSchedule / ChargingScheduleMaxPeriods

    def install(self, profile: ChargingProfile) -> bool:
        """K01.FR.05: a profile with the same id, or the same purpose, stack level and EVSE (a
        TxProfile: of the EVSE's one transaction), is replaced; one that is not `well_formed` or
        beyond the station's room is refused."""
        if not self.well_formed(profile):
            return False
        replaced = [
            old.id
            for old in self.profiles.values()
            if old.id == profile.id
            or (old.purpose, old.stack_level, old.evse_id, old.source)
            == (profile.purpose, profile.stack_level, profile.evse_id, profile.source)
        ]
        if self.max_entries is not None and len(self.profiles) - len(replaced) >= self.max_entries:
            return False
        for key in replaced:
            del self.profiles[key]
        self.profiles[profile.id] = profile
        return True

    def well_formed(self, profile: ChargingProfile) -> bool:
        """Within the station's stack levels and periods per schedule; periods from 0 on, in
        increasing order (K01.FR.31/35)."""
        starts = [p.start_s for p in profile.periods]
        return (
            profile.stack_level <= self.max_stack_level
            and bool(starts)
            and starts[0] == 0
            and all(a < b for a, b in itertools.pairwise(starts))
            and (self.max_periods is None or len(starts) <= self.max_periods)
        )

    def clear(
        self,
        profile_id: int | None = None,
        evse_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
    ) -> list[ChargingProfile]:
        """ClearChargingProfile (K10, 1.6 §5.5): the profile with `profile_id` (the other criteria
        then ignored), or every one that matches all criteria given; never an external limit, which
        only its source releases (K10.FR.06). The profiles removed."""
        matched = [
            p
            for p in self.profiles.values()
            if p.source == CSO
            and (
                p.id == profile_id
                if profile_id is not None
                else (evse_id is None or p.evse_id == evse_id)
                and (purpose is None or p.purpose == purpose)
                and (stack_level is None or p.stack_level == stack_level)
            )
        ]
        for profile in matched:
            del self.profiles[profile.id]
        return matched

    def end_transaction(self, evse_id: int, transaction_id: str) -> None:
        """K01.FR.05 / 1.6 §3.13.1: a TxProfile lives as long as its transaction."""
        for profile in list(self.profiles.values()):
            if profile.purpose == TX and (
                profile.transaction_id == transaction_id
                or (profile.transaction_id is None and profile.evse_id == evse_id)
            ):
                del self.profiles[profile.id]

    def limit_w(
        self,
        evse_id: int,
        now: float,
        transaction_id: str | None,
        transaction_start: float | None,
        station_wide: bool = True,
    ) -> float | None:
        """The power limit on `evse_id` (0: the station's grid connection) at `now` from every
        installed profile, or None if unlimited; without a transaction only the caps apply.
        `station_wide` False leaves out the limits of the whole station (`station_limit_w`)."""
        anchor = transaction_start if transaction_start is not None else now
        return self._limit(evse_id, now, transaction_id, anchor, transaction_id is not None, station_wide)

    def station_limit_w(self, now: float) -> float | None:
        """What the whole station may draw at `now` (the station maximum, the external limits on
        EVSE 0), or None if unlimited: its EVSEs share it (`simulator.core.power.share`)."""
        return self._limit(0, now, None, now, False)

    def next_change(self, now: float, anchor: float, horizon_s: float = HORIZON_S) -> float | None:
        moments = [m for p in self.profiles.values() for m in p.boundaries(now, now + horizon_s, anchor)]
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
        """(offset from now in s, limit in W) periods of the composite schedule (K08, 1.6 §3.13.4):
        for an EVSE without a transaction, what a transaction starting now would get."""
        anchor = transaction_start if transaction_start is not None else now
        charging = evse_id != 0
        moments = {now}
        for profile in self.profiles.values():
            moments.update(profile.boundaries(now, now + duration_s - 1e-9, anchor))
        periods: list[tuple[float, float]] = []
        for moment in sorted(moments):
            limit = self._limit(evse_id, moment, transaction_id, anchor, charging)
            value = ceiling_w if limit is None else min(limit, ceiling_w)
            if not periods or periods[-1][1] != value:
                periods.append((moment - now, value))
        return periods

    def in_force(self, evse_id: int, now: float) -> list[ChargingProfile]:
        """The profiles that apply to `evse_id` now (valid, its own or the station's), for people."""
        return sorted(
            (p for p in self.profiles.values() if p.evse_id in (0, evse_id) and p.valid(now)),
            key=lambda p: (p.purpose, -p.stack_level, p.id),
        )

    def _limit(
        self,
        evse_id: int,
        at: float,
        transaction_id: str | None,
        anchor: float,
        charging: bool,
        station_wide: bool = True,
    ) -> float | None:
        evses = {0, evse_id} if station_wide else {evse_id}
        limits = [self._winner(STATION_MAX, {0}, at, None, anchor) if station_wide else None]
        limits += [  # each external constraint (one per source and EVSE) holds on its own
            p.limit_w(at, anchor)
            for p in self.profiles.values()
            if p.purpose == EXTERNAL and p.evse_id in evses
        ]
        if charging:
            tx = self._winner(TX, {evse_id}, at, transaction_id, anchor) if transaction_id else None
            for scope in ({evse_id}, {0}):
                if tx is None:
                    tx = self._winner(TX_DEFAULT, scope, at, None, anchor)
            limits.append(tx)
        present = [limit for limit in limits if limit is not None]
        return min(present) if present else None

    def _winner(
        self, purpose: str, evses: set[int], at: float, transaction_id: str | None, anchor: float
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
            limit = profile.limit_w(at, anchor)
            if limit is not None:
                return limit
        return None


def admissible(profile: ChargingProfile, evses: dict[int, Evse]) -> bool:
    """SetChargingProfile's rules before installing (K01.FR.09/22, 1.6 §5.16 / §3.13): an EVSE the
    station has; the station-wide maximum only on EVSE 0; a TxProfile only on an EVSE with a
    transaction (the one it names, if it names one); never ChargingStationExternalConstraints,
    which only an EMS or the grid operator sets (K01, K11)."""
    if profile.evse_id != 0 and profile.evse_id not in evses:
        return False
    if profile.purpose == EXTERNAL or (profile.purpose == STATION_MAX and profile.evse_id != 0):
        return False
    if profile.purpose == TX:
        evse = evses.get(profile.evse_id)
        transaction = evse.transaction if evse is not None else None
        if transaction is None or (
            profile.transaction_id is not None and profile.transaction_id != transaction.key
        ):
            return False
    return True
