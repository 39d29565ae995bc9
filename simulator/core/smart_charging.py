"""What the CSMS asks of the station's charging profiles (2.0.1 K05/K09/K10, 1.6 §5.5/§5.11): tables.

Theory of operation: the profiles live in `charging_profiles.ProfileStore`; this module decides the
answers. GetChargingProfiles (K09) selects by `Criteria`: the ids given select those profiles and
nothing else (K09.FR.03); otherwise every given field must match — an EVSE > 0 its own profiles
(K09.FR.04), EVSE 0 the station's (K09.FR.05), no EVSE all of them. What it finds goes
to the CSMS in ReportChargingProfiles, one message per EVSE and chargingLimitSource (both are fields
of the message), sorted by stackLevel, `tbc` on all but the last (K09.FR.01/02); nothing found is
answered NoProfiles (`REPORT`). ClearChargingProfile (K10) is answered from `CLEAR`. A profile
that comes with a remote start (K05, 1.6 §5.11) is checked in the order of `START_CHECKS`; the first
refusal found answers Rejected. A tester who sets SmartChargingCtrlr.Enabled false gets a station
without smart charging: those CALLs are answered CALLERROR NotSupported (TC_K_15). Nothing here
knows a payload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from evharness.ocppj.vocabulary import Status
from evharness.simulator.core.charging_profiles import TX, ChargingProfile

ENABLED = "SmartChargingCtrlr.Enabled"  # false: the station does not do smart charging (TC_K_15)
ReportStatus = Literal["Accepted", "NoProfiles"]
ClearStatus = Literal["Accepted", "Unknown"]


class Found(Enum):
    SOME = "some"
    NONE = "none"


REPORT: dict[Found, ReportStatus] = {Found.SOME: Status.ACCEPTED, Found.NONE: "NoProfiles"}
CLEAR: dict[Found, ClearStatus] = {Found.SOME: Status.ACCEPTED, Found.NONE: Status.UNKNOWN}


@dataclass(frozen=True, slots=True)
class Criteria:
    """GetChargingProfiles' request in neutral words (None / empty: not given)."""

    evse_id: int | None = None
    purpose: str | None = None
    stack_level: int | None = None
    ids: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()

    def matches(self, profile: ChargingProfile) -> bool:
        if self.ids:
            return profile.id in self.ids
        return (
            (self.evse_id is None or profile.evse_id == self.evse_id)
            and (self.purpose is None or profile.purpose == self.purpose)
            and (self.stack_level is None or profile.stack_level == self.stack_level)
            and (not self.sources or profile.source in self.sources)
        )


@dataclass(frozen=True, slots=True)
class ReportPage:
    """One ReportChargingProfiles: the profiles of one EVSE from one source."""

    request_id: int
    evse_id: int
    source: str
    profiles: tuple[ChargingProfile, ...]
    tbc: bool


def report(request_id: int, criteria: Criteria, profiles: list[ChargingProfile]) -> list[ReportPage]:
    """The pages that answer GetChargingProfiles (none: NoProfiles)."""
    groups: dict[tuple[int, str], list[ChargingProfile]] = {}
    for profile in sorted(profiles, key=lambda p: (p.evse_id, p.source, p.stack_level, p.id)):
        if criteria.matches(profile):
            groups.setdefault((profile.evse_id, profile.source), []).append(profile)
    last = len(groups) - 1
    return [
        ReportPage(request_id, evse_id, source, tuple(found), number < last)
        for number, ((evse_id, source), found) in enumerate(groups.items())
    ]


def found(pages: list[ReportPage] | list[ChargingProfile]) -> Found:
    return Found.SOME if pages else Found.NONE


class StartRefusal(Enum):
    """Why a remote start's charging profile is refused (the start then is: Rejected)."""

    UNKNOWN_PURPOSE = "unknown_purpose"  # a purpose the station does not implement
    NOT_TX_PROFILE = "not_tx_profile"  # K05.FR.02, 1.6 §5.11: only a TxProfile
    NAMES_TRANSACTION = "names_transaction"  # K05: its transaction does not exist yet


START_CHECKS: list[tuple[StartRefusal, Callable[[ChargingProfile | None], bool]]] = [
    (StartRefusal.UNKNOWN_PURPOSE, lambda p: p is None),
    (StartRefusal.NOT_TX_PROFILE, lambda p: p is not None and p.purpose != TX),
    (StartRefusal.NAMES_TRANSACTION, lambda p: p is not None and p.transaction_id is not None),
]


def start_refusal(profile: ChargingProfile | None) -> StartRefusal | None:
    """The first refusal of a profile that came with RequestStartTransaction / RemoteStart
    (`profile` None: its purpose is unknown to the station)."""
    return next((refusal for refusal, holds in START_CHECKS if holds(profile)), None)
