"""Binds matrix.feature: one request per action, tried by every role holder and by a stranger."""

from __future__ import annotations

import itertools
from typing import Any

from pytest_bdd import parsers, scenarios, then, when

from features.onboarding.conftest import World
from features.roles.conftest import CAST, CLAIM, snapshot

scenarios("matrix.feature")

_cards = itertools.count(0x10000000)

# action → (method, path under /api/stations/{identity} or an absolute /api path, body)
SETTINGS_CHANGE = {
    "configure": {"phases": 3},
    "configure_accessories": {"load_balancer_max_current": 40},
    "set_max_current": {"max_current": 20},
    "set_prices": {"price_per_kwh": "0.35"},
    "set_charging_times": {"charging_times": "22:00-06:00"},
    "set_priorities": {"priority": 2},
    "set_identification_types": {"identification_types": ["pin", "rfid"]},
}
OPERATIONS = {
    "remote_start_stop": ("remote-start", {"id_tag": "04A1B2C3"}),
    "reset": ("reset", {"type": "soft"}),
    "unlock_connector": ("unlock", {}),
    "change_availability": ("availability", {"operative": True}),
    "trigger_message": ("trigger", {"message": "Heartbeat"}),
    "clear_cache": ("clear-cache", {}),
    "reserve": ("reserve", {"id_tag": "04A1B2C3"}),
    "set_display_messages": ("set-display-message", {"content": "Welcome"}),
    "data_transfer": ("data-transfer", {"vendor_id": "org.evharness"}),
    "manage_certificates": ("certificates", {}),
    "update_firmware": ("update-firmware", {"location": "http://127.0.0.1:9/fw.bin"}),
    "retrieve_logs": ("get-log", {"location": "http://127.0.0.1:9/logs/"}),
    "manage_monitoring": ("monitoring-level", {"severity": 5}),
    "customer_information": ("customer-information", {"customer_identifier": "customer-1"}),
}


def request_for(world: World, action: str, identity: str) -> tuple[str, str, Any]:
    station = f"/api/stations/{identity}"
    if action in SETTINGS_CHANGE:
        return "PATCH", f"{station}/settings", SETTINGS_CHANGE[action]
    if action in OPERATIONS:
        operation, body = OPERATIONS[action]
        return "POST", f"{station}/operations/{operation}", body
    card = f"{next(_cards):08X}"
    pin = f"#{next(_cards) % 10**6:06d}"
    others: dict[str, tuple[str, str, Any]] = {
        "plan_installation": (
            "POST",
            f"/api/installations/{world.values['Garage']}/stations",
            {"identity": identity, "claim_code": CLAIM},
        ),
        "send_handover": ("POST", f"{station}/handover", {"email": f"new-{card.lower()}@example.com"}),
        "assign_cpo": ("PUT", f"{station}/cpo", {"company_id": world.values["Grid CPO"]}),
        "manage_local_users": (
            "POST",
            f"{station}/pin-codes",
            {"code": pin, "first_name": "L", "last_name": "U"},
        ),
        "add_rfid_card": (
            "POST",
            f"{station}/rfid-cards",
            {"uid": card, "first_name": "R", "last_name": "C"},
        ),
        "manage_tokens": ("POST", f"{station}/tokens", {"type": "Central", "code": f"TAG-{card}"}),
        "view_settings": ("GET", f"{station}/settings", None),
        "end_transaction": ("POST", f"{station}/transactions/1/end", {"reason": "stuck"}),
        "set_security": ("PUT", f"{station}/security", {"pins_on_profile_0": True}),
    }
    return others[action]


@when(parsers.parse('each role tries {action} on station "{identity}"'), target_fixture="tried")
def each_role_tries(world: World, action: str, identity: str) -> dict[str, tuple[int, str, bool]]:
    tried = {}
    for role, person in [*CAST.items(), ("none", "Zed")]:
        method, path, body = request_for(world, action, identity)
        before = snapshot(world)
        answer = world.call(method, path, person, body)
        tried[role] = (answer.status_code, answer.text, snapshot(world) == before)
    return tried


@then(parsers.parse("exactly {allowed} may, and the others are refused without a change"))
def exactly(tried: dict[str, tuple[int, str, bool]], allowed: str) -> None:
    may = {role.strip() for role in allowed.split(",")}
    for role, (status, text, unchanged) in tried.items():
        if role in may:
            assert status != 403, f"{role} was refused: {text}"
            assert status < 500, f"{role}: {status} {text}"
        else:
            assert status == 403, f"{role} was not refused: {status} {text}"
            assert unchanged, f"the refusal of {role} changed the database"
            assert f"your roles there: {role if role != 'none' else 'none'}" in text, text
