"""Who may do what on a charging station: ONE permission matrix, action × role (DESIGN §2, seed 000).

Theory of operation: `MATRIX` maps every action to the roles allowed to perform it. Every check in
the console API goes through `refusal(action, roles)` (the routes declare `requires(Action.…)`), and
`render_markdown()` writes the same table into `docs/roles.md`; a test fails when the two differ.
The seed's rule — each role's actions are its own — is the absence of a role from a row (the facility
owner is not in `set_max_current`); its exceptions are the rows every role holds (`add_rfid_card`,
`view_settings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    INSTALLER = "installer"
    PARTNER_TECH_SUPPORT = "partner_tech_support"
    FACILITY_OWNER = "facility_owner"
    EVSE_OWNER = "evse_owner"
    CPO = "cpo"
    COMPANY_ADMIN = "company_admin"  # memberships only: not a role on a station


STATION_ROLES: tuple[Role, ...] = tuple(r for r in Role if r is not Role.COMPANY_ADMIN)


class Action(StrEnum):
    PLAN_INSTALLATION = "plan_installation"
    CONFIGURE = "configure"
    CONFIGURE_ACCESSORIES = "configure_accessories"
    SET_MAX_CURRENT = "set_max_current"
    SEND_HANDOVER = "send_handover"
    ASSIGN_CPO = "assign_cpo"
    SET_PRICES = "set_prices"
    SET_CHARGING_TIMES = "set_charging_times"
    SET_PRIORITIES = "set_priorities"
    SET_IDENTIFICATION_TYPES = "set_identification_types"
    MANAGE_LOCAL_USERS = "manage_local_users"
    ADD_RFID_CARD = "add_rfid_card"
    MANAGE_TOKENS = "manage_tokens"
    VIEW_SETTINGS = "view_settings"
    REMOTE_START_STOP = "remote_start_stop"
    END_TRANSACTION = "end_transaction"
    RESET = "reset"
    UNLOCK_CONNECTOR = "unlock_connector"
    CHANGE_AVAILABILITY = "change_availability"
    TRIGGER_MESSAGE = "trigger_message"
    CLEAR_CACHE = "clear_cache"
    SET_SECURITY = "set_security"
    RESERVE = "reserve"
    SET_DISPLAY_MESSAGES = "set_display_messages"
    DATA_TRANSFER = "data_transfer"
    MANAGE_CERTIFICATES = "manage_certificates"
    UPDATE_FIRMWARE = "update_firmware"
    RETRIEVE_LOGS = "retrieve_logs"
    MANAGE_MONITORING = "manage_monitoring"
    CUSTOMER_INFORMATION = "customer_information"
    MANAGE_MEMBERS = "manage_members"


INS, TEC, FAC, EVO, CPO, ADM = (
    Role.INSTALLER,
    Role.PARTNER_TECH_SUPPORT,
    Role.FACILITY_OWNER,
    Role.EVSE_OWNER,
    Role.CPO,
    Role.COMPANY_ADMIN,
)

# action → (what it covers, the roles allowed). The one table; everything else reads it.
MATRIX: dict[Action, tuple[str, frozenset[Role]]] = {
    Action.PLAN_INSTALLATION: ("plan the installation, add or remove stations", frozenset({INS, FAC})),
    Action.CONFIGURE: ("configure, commission, test & verify (phases)", frozenset({INS, TEC})),
    Action.CONFIGURE_ACCESSORIES: (
        "configure accessories (load balancer: the installation's site limit, on each of its stations)",
        frozenset({INS, TEC}),
    ),
    Action.SET_MAX_CURRENT: (
        "set the maximum charging current (setting, ChargingStationMaxProfile)",
        frozenset({INS, TEC}),
    ),
    Action.SEND_HANDOVER: ("send the handover invitation to the EVSE owner", frozenset({FAC})),
    Action.ASSIGN_CPO: ("assign the station to a charge point operator", frozenset({FAC})),
    Action.SET_PRICES: (
        "set prices and the tariff (energy, time, session fee, currency, texts per language)",
        frozenset({FAC, CPO}),
    ),
    Action.SET_CHARGING_TIMES: ("set charging times (TxDefaultProfile charging profiles)", frozenset({FAC})),
    Action.SET_PRIORITIES: ("set priorities (a running transaction's TxProfile)", frozenset({FAC})),
    Action.SET_IDENTIFICATION_TYPES: (
        "set the supported identification types (PIN, RFID)",
        frozenset({FAC, EVO}),
    ),
    Action.MANAGE_LOCAL_USERS: ("manage local users and PIN codes", frozenset({FAC, EVO})),
    Action.ADD_RFID_CARD: ("add RFID cards (exception: every role)", frozenset({INS, TEC, FAC, EVO, CPO})),
    Action.MANAGE_TOKENS: (
        "provision and remove the station's tokens beyond PIN and RFID (Central, eMAID, MacAddress, …)",
        frozenset({FAC, EVO, CPO}),
    ),
    Action.VIEW_SETTINGS: (
        "see settings, meter values, roles, the audit trail, charging profiles and schedules"
        " (exception: every role)",
        frozenset({INS, TEC, FAC, EVO, CPO}),
    ),
    Action.REMOTE_START_STOP: ("remote start / stop a transaction", frozenset({TEC, CPO})),
    Action.END_TRANSACTION: (
        "end a stuck transaction in the CSMS's records, with a reason (the station is not asked)",
        frozenset({TEC, CPO}),
    ),
    Action.RESET: ("reset the station", frozenset({TEC, CPO})),
    Action.UNLOCK_CONNECTOR: ("unlock a connector", frozenset({INS, TEC, CPO})),
    Action.CHANGE_AVAILABILITY: ("change availability", frozenset({INS, TEC, CPO})),
    Action.TRIGGER_MESSAGE: ("trigger a message (check communication)", frozenset({INS, TEC, CPO})),
    Action.CLEAR_CACHE: ("clear the authorization cache", frozenset({INS, TEC, CPO})),
    Action.SET_SECURITY: (
        "set the OCPP security profile, PINs in local lists on profile 0, rotate the station password",
        frozenset({INS, TEC}),
    ),
    Action.RESERVE: (
        "reserve an EVSE for a driver's token, and cancel the reservation",
        frozenset({FAC, EVO, CPO}),
    ),
    Action.SET_DISPLAY_MESSAGES: (
        "set, read and clear the messages a station shows its drivers (tariff text per language)",
        frozenset({FAC, CPO}),
    ),
    Action.DATA_TRANSFER: ("send a vendor DataTransfer to the station", frozenset({INS, TEC})),
    Action.MANAGE_CERTIFICATES: (
        "install, list and delete the station's certificates; have it renew its own",
        frozenset({INS, TEC, CPO}),
    ),
    Action.UPDATE_FIRMWARE: ("update the station's firmware", frozenset({INS, TEC})),
    Action.RETRIEVE_LOGS: ("retrieve the station's logs and diagnostics", frozenset({INS, TEC, CPO})),
    Action.MANAGE_MONITORING: ("set up, report and clear variable monitoring", frozenset({INS, TEC})),
    Action.CUSTOMER_INFORMATION: (
        "get or clear the data the station holds about a customer",
        frozenset({FAC, CPO}),
    ),
    Action.MANAGE_MEMBERS: ("manage company memberships", frozenset({ADM})),
}


def allowed_roles(action: Action) -> frozenset[Role]:
    return MATRIX[action][1]


def is_allowed(action: Action, roles: Iterable[Role]) -> bool:
    return not allowed_roles(action).isdisjoint(roles)


def refusal(action: Action, roles: Iterable[Role], subject: str) -> str | None:
    """Why the holder of `roles` may not perform `action` on `subject`, or None if they may."""
    held = sorted(roles)
    if is_allowed(action, held):
        return None
    needed = ", ".join(sorted(allowed_roles(action)))
    have = ", ".join(held) if held else "none"
    return f"{action.value} on {subject} needs one of the roles {needed}; your roles there: {have}"


def render_markdown() -> str:
    """The matrix as a markdown table: `docs/roles.md` holds exactly this between its markers."""
    columns = list(Role)
    lines = [
        "| action | what | " + " | ".join(r.value for r in columns) + " |",
        "|---|---|" + "---|" * len(columns),
    ]
    for action, (what, roles) in MATRIX.items():
        marks = " | ".join("✓" if r in roles else "" for r in columns)
        lines.append(f"| `{action.value}` | {what} | {marks} |")
    return "\n".join(lines) + "\n"
