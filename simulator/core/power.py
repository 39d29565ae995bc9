"""What an EVSE delivers: the least of every limit on it, and when that may change.

The EV asks for a power and accepts less as it fills (taper); the EVSE has a maximum power and a
maximum current per phase; the charging profiles in force set a limit (K01, 1.6 §3.13). Only an
authorized, running transaction is energized. The limits move with time (a schedule's next period,
the EV's state of charge), so the answer comes with the moment to look again.
"""

from __future__ import annotations

from simulator.core.charging_profiles import ProfileStore
from simulator.core.model import Evse, StationConfig


def deliverable_power(
    evse: Evse, config: StationConfig, profiles: ProfileStore, now: float, max_current_a: float | None = None
) -> tuple[float, float | None]:
    """(power in W now, when to re-evaluate or None); `max_current_a` is one the CSMS configured."""
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
        profile_limit = profiles.limit_w(evse.id, now, transaction.key, transaction.started_at)
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
