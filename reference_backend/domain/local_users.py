"""Local users and their identifications (seed 001): the rules of a change and how it reads in the audit.

Pure functions shared by the console's use cases. A change is a mapping field → wanted value (a PATCH
body's given fields); `differences` keeps the fields whose value really changes, and `written` spells a
value for the audit trail. A code appears only through `label`, so a PIN is never written in clear.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from evharness.idtokens import IdType, InvalidCode, normalize
from evharness.redaction import mask
from evharness.reference_backend.domain.problems import InvalidInput
from evharness.reference_backend.domain.validation import check_name

Status = Literal["active", "inactive"]
STATUSES: tuple[str, ...] = get_args(Status)
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)
NULLABLE = frozenset({"expires_at"})  # null means "no expiry"; elsewhere null is a mistake


def check_code(id_type: IdType, code: str, field: str = "code") -> str:
    """The canonical code (RFID upper-case hex) or a 422 saying which rule it broke."""
    try:
        return normalize(id_type, code)
    except InvalidCode as exc:
        raise InvalidInput(field, str(exc)) from exc


def check_status(status: str, field: str = "status") -> Status:
    if status not in STATUSES:
        raise InvalidInput(field, f"must be one of {', '.join(STATUSES)}")
    return "active" if status == "active" else "inactive"


def check_expiry(expires_at: datetime | None, field: str = "expires_at") -> datetime | None:
    """An aware moment, in UTC; a naive one is refused: whose midnight would it be?"""
    if expires_at is None:
        return None
    if expires_at.utcoffset() is None:
        raise InvalidInput(field, "needs a UTC offset, e.g. 2026-12-31T23:59:59+01:00 or …Z")
    try:
        moment: datetime | None = expires_at.astimezone(UTC)
    except OverflowError:
        moment = None  # year 1 or 9999 shifted out of what a datetime holds
    if moment is None or not EARLIEST <= moment < LATEST:
        raise InvalidInput(field, "must lie between 1970-01-01 and 9999-01-01 (UTC)")
    return moment


def check_flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(field, "must be true or false")
    return value


Rules = Mapping[str, Callable[[Any, str], object]]  # field → check(value, field) → the value to store
USER_RULES: Rules = {"first_name": check_name, "last_name": check_name, "blocked": check_flag}
IDENTIFICATION_RULES: Rules = {"status": check_status, "expires_at": check_expiry}  # the code: `check_code`


def checked(rules: Rules, change: Mapping[str, object]) -> dict[str, object]:
    """Each field of a PATCH checked by its rule. A PATCH leaves out what it keeps, so an explicit null
    is a mistake except for the expiry (null: no expiry)."""
    for field, value in change.items():
        if field not in rules:
            raise InvalidInput(field, "cannot be changed here")
        if value is None and field not in NULLABLE:
            raise InvalidInput(field, "must not be null: leave the field out to keep its value")
    return {field: rules[field](value, field) for field, value in change.items()}


def differences(
    current: Mapping[str, object], wanted: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """field → (old, new) for each wanted value that differs from the current one."""
    return {field: (current[field], value) for field, value in wanted.items() if current[field] != value}


def written(field: str, value: object) -> str:
    """A value as the audit trail shows it."""
    if value is None:
        return "no expiry" if field == "expires_at" else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def label(id_type: IdType, code: str) -> str:
    """How an identification is named in audit entries and errors: `pin #****`, `rfid 04A1B2C3`."""
    return f"{id_type.value} {mask(id_type, code)}"
