"""A station's state as JSON-able data: what the control API and `LiveStation.state()` report."""

from __future__ import annotations

import dataclasses
from typing import Any

from evharness.simulator.core.station import Station


def station_state(station: Station, now: float, frames: int = 10) -> dict[str, Any]:
    evses = []
    for evse in station.evses.values():
        evse.meter.advance(now)
        transaction = evse.transaction
        evses.append(
            {
                "id": evse.id,
                "operative": evse.operative,
                "connectors": [
                    {"id": c.id, "state": c.state.value, "plugged": c.plugged}
                    for c in evse.connectors.values()
                ],
                "transaction": None
                if transaction is None
                else {
                    "id": transaction.key,
                    "authorized": transaction.authorized,
                    "seq_no": transaction.seq_no,
                },
                "energy_wh": round(evse.meter.energy_wh, 3),
                "power_w": round(evse.meter.power_w, 1),
                "soc_percent": None if evse.ev is None else round(evse.ev.soc_percent, 2),
                "smart_charging": smart_charging_state(station, evse.id, now),
            }
        )
    return {
        "identity": station.identity,
        "protocol": station.version,
        "connected": station.connected,
        "boot_status": station.boot_status,
        "queued_transaction_messages": len(station.transactional_queue),
        "local_list_version": station.local_list.version,
        "charging_profiles": sorted(station.profiles.profiles),
        "certificates": certificates_state(station),
        "reservations": [
            {"id": r.id, "evse": r.evse_id, "expires_at": r.expires_at, "connector_type": r.connector_type}
            for r in station.reservations.held.values()
        ],
        "display_messages": [
            {
                "id": m.id,
                "priority": m.priority,
                "content": m.content,
                "language": m.language,
                "state": m.state,
            }
            for m in station.displayed(now)
        ],
        "firmware": firmware_state(station),
        "log_upload": {"state": station.logs.state.value, "status": station.logs.status_report()[0].value},
        "monitors": [
            {"id": m.id, "variable": m.name, "type": m.type, "value": m.value, "tripped": m.tripped}
            for m in station.monitoring.monitors.values()
        ],
        "costs": [  # what the CSMS told of each transaction's cost (docs/tariffs.md)
            {
                "transaction": c.transaction_id,
                "state": c.state.value,
                "total": None if c.total is None else str(c.total),
                "currency": c.currency,
                "shown": c.shown,
            }
            for c in station.costs.records.values()
        ],
        "faults": [kind for kind, _ in station.faults.injected],
        "evses": evses,
        "recent_frames": [
            {"direction": d, "frame": text, "at": at} for d, text, at in list(station.frame_log)[-frames:]
        ],
    }


def smart_charging_state(station: Station, evse_id: int, now: float) -> dict[str, Any]:
    """The charging profiles in force on an EVSE (its own and the station's) and the limit they
    put on it now (W; None: unlimited)."""
    transaction = station.evses[evse_id].transaction
    key = None if transaction is None else transaction.key
    started = None if transaction is None else transaction.started_at
    limit = station.profiles.limit_w(evse_id, now, key, started)
    negotiations = station.negotiations
    needs, chosen = negotiations.needs.get(evse_id), negotiations.schedules.get(evse_id)
    return {
        "limit_w": None if limit is None else round(limit, 1),
        "iso15118": {
            "state": negotiations.state(evse_id).value,
            "energy_wh": None if needs is None else round(needs.energy_wh),
            "departure_at": None if needs is None else needs.departure_at,
            "schedule": None if chosen is None else [[offset, round(w, 1)] for offset, w in chosen.periods],
        },
        "profiles": [
            {
                "id": p.id,
                "evse": p.evse_id,
                "purpose": p.purpose,
                "stack_level": p.stack_level,
                "source": p.source,
                "limit_w": None if (now_w := p.limit_w(now, started or now)) is None else round(now_w, 1),
            }
            for p in station.profiles.in_force(evse_id, now)
            if p.purpose != "Tx" or p.transaction_id in (None, key)
        ],
    }


def firmware_state(station: Station) -> dict[str, Any]:
    """The firmware the station runs and where an update stands (its last reported status)."""
    firmware = station.firmware
    return {
        "version": station.config.firmware_version,
        "state": firmware.state.value,
        "last_status": firmware.last_status.value,
        "request_id": firmware.last_request_id,
        "location": None if firmware.job is None else firmware.job.request.location,
    }


def certificates_state(station: Station) -> dict[str, Any]:
    """What the station's certificate store holds, and where each own certificate's renewal stands."""
    store = station.certificates
    return {
        "installed": [use.value for use, _, _ in store.ids(None)],
        "own": {own.value: {"expires_at": c.expires_at} for own, c in store.own.items()},
        "signing": {own.value: s.state.value for own, s in store.signing.items()},
        "choices": dataclasses.asdict(store.choices),
    }
