"""Eve's local users and their identifications, through the console API only.

A scenario names people ("Lea") and codes ("#4711"); the console gives them ids. `LocalUsers` keeps
both maps for one station so steps can speak of names and codes. The `STATES` table says how each
state a feature names is set up: data, not branching in the steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from features.onboarding.conftest import World
from features.roles.conftest import ok

KINDS = {"PIN code": "pin", "RFID card": "rfid", "PIN": "pin", "card": "rfid"}
OTHER_TYPE = {"pin": "rfid", "rfid": "pin"}
SHORTCUTS = {"pin": ("pin-codes", "code"), "rfid": ("rfid-cards", "uid")}  # one call: a user and a code


@dataclass(frozen=True, slots=True)
class State:
    """How an identification is set up for a state the features name."""

    known: bool = True
    status: str = "active"
    expires_in_days: int | None = None  # its expiry date, from today (negative: in the past)
    blocked: bool = False  # its user is blocked
    type_disabled: bool = False  # the station's owner disabled its identification type


STATES: dict[str, State] = {
    "active": State(),
    "inactive": State(status="inactive"),
    "past its expiry date": State(expires_in_days=-1),
    "valid for another month": State(expires_in_days=30),
    "held by a blocked user": State(blocked=True),
    "unknown at the station": State(known=False),
    "of a type the station does not accept": State(type_disabled=True),
}


def days_from_now(days: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


@dataclass
class LocalUsers:
    world: World
    identity: str
    owner: str = "Eve"
    users: dict[str, int] = field(default_factory=dict)  # first name → local user id
    codes: dict[str, tuple[str, int]] = field(default_factory=dict)  # code → (first name, id)
    expiries: dict[str, datetime] = field(default_factory=dict)  # code → the expiry date Eve set

    @property
    def base(self) -> str:
        return f"/api/stations/{self.identity}/local-users"

    def user(self, name: str) -> int:
        if name not in self.users:
            body = {"first_name": name, "last_name": "Driver"}
            self.users[name] = ok(self.world, "POST", self.base, self.owner, body)["id"]
        return self.users[name]

    def add(self, name: str, kind: str, code: str, **extra: Any) -> None:
        """A new identification of `name`'s; the local user is created on first use."""
        path = f"{self.base}/{self.user(name)}/identifications"
        body = {"type": KINDS[kind], "code": code, **extra}
        self.codes[code] = (name, ok(self.world, "POST", path, self.owner, body)["id"])

    def add_at_once(self, name: str, kind: str, code: str) -> None:
        """A new local user with one code, in one call (`/pin-codes`, `/rfid-cards`)."""
        endpoint, field_name = SHORTCUTS[KINDS[kind]]
        body = {field_name: code, "first_name": name, "last_name": "Driver"}
        answer = ok(self.world, "POST", f"/api/stations/{self.identity}/{endpoint}", self.owner, body)
        self.users[name] = answer["local_user_id"]
        self.codes[code] = (name, answer["id"])

    def block(self, name: str, blocked: bool = True) -> None:
        verb = "block" if blocked else "unblock"
        ok(self.world, "POST", f"{self.base}/{self.users[name]}/{verb}", self.owner)

    def identification_path(self, code: str) -> str:
        name, identification = self.codes[code]
        return f"{self.base}/{self.users[name]}/identifications/{identification}"

    def remove(self, code: str) -> None:
        ok(self.world, "DELETE", self.identification_path(code), self.owner)
        del self.codes[code]

    def set_up(self, kind: str, code: str, state: State, name: str = "Lea") -> None:
        """`code` in `state` at this station, as `STATES` describes it."""
        if not state.known:
            return
        extra: dict[str, Any] = {"status": state.status}
        if state.expires_in_days is not None:
            self.expiries[code] = days_from_now(state.expires_in_days)
            extra["expires_at"] = self.expiries[code].isoformat()
        self.add(name, kind, code, **extra)
        if state.blocked:
            self.block(name)
        if state.type_disabled:
            body = {"identification_types": [OTHER_TYPE[KINDS[kind]]]}
            ok(self.world, "PATCH", f"/api/stations/{self.identity}/settings", "Fred", body)
