"""What an EVSE delivers: the least of every limit on it, and when that may change.

The EV asks for a power and accepts less as it fills (taper); the EVSE has a maximum power and a
maximum current per phase; the charging profiles in force set a limit (K01, 1.6 §3.13). Only an
authorized, running transaction is energized. The limits move with time (a schedule's next period,
the EV's state of charge), so the answer comes with the moment to look again. A limit of the whole
station (ChargingStationMaxProfile, an external limit on EVSE 0) is shared by its EVSEs (`share`):
each gets what it can take up to an equal part, and what one leaves goes to the others.
"""

from __future__ import annotations

from evharness.simulator.core.charging_profiles import ProfileStore
from evharness.simulator.core.model import Evse, StationConfig


def deliverable_power(
    evse: Evse,
    config: StationConfig,
    profiles: ProfileStore,
    now: float,
    max_current_a: float | None = None,
    station_wide: bool = True,
) -> tuple[float, float | None]:
    """(power in W now, when to re-evaluate or None); `max_current_a` is one the CSMS configured;
    `station_wide` False: without the whole station's limits, which the caller shares out (`share`)."""
    evse.meter.advance(now)
    transaction = evse.transaction
    energized = (
        transaction is not None
        and not transaction.ended
        and (
            transaction.authorized
            or (transaction.energy_cap_wh is not None and evse.meter.energy_wh < transaction.energy_cap_wh)
        )
    )
    limits = [evse.ev_request_w, evse.max_power_w]
    for current in (config.max_current_a, max_current_a):
        if current is not None:
            limits.append(current * evse.meter.voltage_v * evse.meter.phases)
    review: list[float] = []
    if transaction is not None:
        profile_limit = profiles.limit_w(evse.id, now, transaction.key, transaction.started_at, station_wide)
        if profile_limit is not None:
            limits.append(profile_limit)
        change = profiles.next_change(now, transaction.started_at)
        if change is not None:
            review.append(change)
    if evse.ev is not None:
        evse.ev.update(evse.meter.energy_wh)
        limits.append(evse.ev.acceptance_w())
    if not energized:
        return 0.0, None
    power = max(0.0, min(limits))
    if evse.ev is not None and power > 0:
        review.append(now + config.power_review_s)
    return power, (min(review) if review else None)


def share(limit_w: float, wanted: dict[int, float]) -> dict[int, float]:
    """`limit_w` split between EVSEs wanting `wanted` W each: the fewest watts first, each at most
    an equal part of what is left (max-min fairness); nobody gets more than it wants."""
    given: dict[int, float] = {}
    left = max(0.0, limit_w)
    for count, (evse_id, want) in enumerate(sorted(wanted.items(), key=lambda item: item[1])):
        part = min(want, left / (len(wanted) - count))
        given[evse_id] = part
        left -= part
    return given
