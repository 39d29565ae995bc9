"""The console API of a station's local users and their identifications, over HTTP on a live backend.

A whole reference backend runs on a background loop over a real SQLite file; role holders get email
grants on the stations. Refusals are checked by reading every table back (sessions aside). The sync
hook is the backend's own, wrapped only to count its calls.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.domain.permissions import Role
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.persistence.tables import metadata
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.portal import BackgroundLoop

HOLDERS = {  # who → (station, role); "stranger" holds nothing
    "owner": ("LU-1", Role.FACILITY_OWNER),
    "evse_owner": ("LU-1", Role.EVSE_OWNER),
    "installer": ("LU-1", Role.INSTALLER),
    "cpo": ("LU-1", Role.CPO),
    "other_owner": ("LU-2", Role.FACILITY_OWNER),
}
_codes = itertools.count(1000)


@dataclass
class Api:
    backend: BackendServer
    loop: BackgroundLoop
    client: httpx.Client
    tokens: dict[str, str]
    synced: list[str] = field(default_factory=list)

    def call(self, who: str, method: str, path: str, body: Any = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.request(method, f"/api/stations/{path}", json=body, headers=headers)

    def ok(self, who: str, method: str, path: str, body: Any = None) -> Any:
        answer = self.call(who, method, path, body)
        assert answer.status_code < 300, f"{method} {path} as {who}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None

    def user(self, station: str = "LU-1", who: str = "owner", **extra: Any) -> dict[str, Any]:
        body = {"first_name": "Ada", "last_name": "Lovelace"} | extra
        created: dict[str, Any] = self.ok(who, "POST", f"{station}/local-users", body)
        return created

    def snapshot(self) -> dict[str, list[str]]:
        with self.backend.store.engine.connect() as conn:
            return {
                name: sorted(map(repr, conn.execute(sa.select(table)).all()))
                for name, table in metadata.tables.items()
                if name != "sessions"
            }


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    folder: Path = tmp_path_factory.mktemp("local-users")
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{folder / 'api.sqlite3'}",
        outbox_dir=str(folder / "outbox"),
        log_level="warning",
    )
    with BackgroundLoop("local-users") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        tokens: dict[str, str] = {}
        now = backend.console.now()
        with backend.stations.store.begin() as tx:
            stations = {
                name: tx.add_station(name, now) for name in ("LU-1", "LU-2", "SYNC-1.6", "SYNC-2.0.1")
            }
            for who in [*HOLDERS, "stranger"]:
                email = f"{who}@example.com"
                user = tx.add_user(email, who, None, now, confirmed=True)
                tokens[who] = new_token()
                tx.add_session(token_hash(tokens[who]), user, now, now + timedelta(hours=1))
                if who in HOLDERS:
                    station, role = HOLDERS[who]
                    tx.add_grant(stations[station], {"role": role, "email": email}, None, now, "test")
            for name in ("SYNC-1.6", "SYNC-2.0.1"):
                grant = {"role": Role.FACILITY_OWNER, "email": "owner@example.com"}
                tx.add_grant(stations[name], grant, None, now, "test")
        with httpx.Client(base_url=backend.api_url.removesuffix("/api/"), timeout=30) as client:
            found = Api(backend, loop, client, tokens)
            hook = backend.stations.on_identifications_changed
            assert hook is not None

            def counted(identity: str) -> None:
                found.synced.append(identity)
                hook(identity)

            backend.stations.on_identifications_changed = counted
            yield found
        loop.run(backend.stop())


def a_pin() -> str:
    return f"#{next(_codes)}"


def a_uid() -> str:
    return f"{next(_codes):08X}"


# -- the round trip ----------------------------------------------------------------------------------


def test_a_local_user_is_created_read_changed_blocked_and_deleted(api: Api) -> None:
    created = api.user(first_name="  Ada ")
    assert created == {
        "id": created["id"],
        "first_name": "Ada",
        "last_name": "Lovelace",
        "blocked": False,
        "identifications": [],
    }
    path = f"LU-1/local-users/{created['id']}"
    assert api.ok("installer", "GET", path) == created  # every role may see
    assert created in api.ok("cpo", "GET", "LU-1/local-users")

    renamed = api.ok("evse_owner", "PATCH", path, {"last_name": "Byron"})
    assert (renamed["first_name"], renamed["last_name"], renamed["blocked"]) == ("Ada", "Byron", False)
    assert api.ok("owner", "POST", f"{path}/block")["blocked"] is True
    assert api.ok("owner", "GET", path)["blocked"] is True
    assert api.ok("owner", "POST", f"{path}/unblock")["blocked"] is False
    assert api.ok("owner", "PATCH", path, {"blocked": True, "first_name": "Augusta"})["blocked"] is True

    assert api.call("owner", "DELETE", path).status_code == 204
    gone = api.call("owner", "GET", path)
    assert gone.status_code == 404
    assert f"no local user {created['id']} at station LU-1" in gone.json()["detail"]
    assert created["id"] not in [u["id"] for u in api.ok("owner", "GET", "LU-1/local-users")]


def test_identifications_show_pins_masked_and_cards_normalized(api: Api) -> None:
    user = api.user()
    base = f"LU-1/local-users/{user['id']}/identifications"
    pin = a_pin()
    added = api.ok("owner", "POST", base, {"type": "pin", "code": pin})
    assert added == {
        "id": added["id"],
        "type": "pin",
        "code": "#****",
        "status": "active",
        "expires_at": None,
    }
    uid = a_uid().lower()
    card = api.ok(
        "owner",
        "POST",
        base,
        {"type": "rfid", "code": uid, "status": "inactive", "expires_at": "2030-06-01T12:00:00+02:00"},
    )
    assert card == {
        "id": card["id"],
        "type": "rfid",
        "code": uid.upper(),
        "status": "inactive",
        "expires_at": "2030-06-01T10:00:00Z",
    }
    read = api.ok("owner", "GET", f"LU-1/local-users/{user['id']}")
    assert read["identifications"] == [added, card]
    assert pin not in json.dumps(api.ok("owner", "GET", "LU-1/local-users"))

    changed = api.ok("owner", "PATCH", f"{base}/{card['id']}", {"status": "active", "expires_at": None})
    assert (changed["status"], changed["expires_at"], changed["code"]) == ("active", None, uid.upper())
    expiring = api.ok("owner", "PATCH", f"{base}/{added['id']}", {"expires_at": "2031-01-01T00:00:00Z"})
    assert (expiring["code"], expiring["status"], expiring["expires_at"]) == (
        "#****",
        "active",
        "2031-01-01T00:00:00Z",
    )
    assert api.call("owner", "DELETE", f"{base}/{added['id']}").status_code == 204
    assert [i["id"] for i in api.ok("owner", "GET", f"LU-1/local-users/{user['id']}")["identifications"]] == [
        card["id"]
    ]


def test_deleting_a_user_removes_their_identifications(api: Api) -> None:
    user = api.user()
    uid = a_uid()
    api.ok("owner", "POST", f"LU-1/local-users/{user['id']}/identifications", {"type": "rfid", "code": uid})
    assert api.call("owner", "DELETE", f"LU-1/local-users/{user['id']}").status_code == 204
    # The code is free again: a new user may hold it.
    other = api.user()
    api.ok("owner", "POST", f"LU-1/local-users/{other['id']}/identifications", {"type": "rfid", "code": uid})


def test_the_older_routes_take_status_and_expiry_and_name_the_user(api: Api) -> None:
    uid = a_uid()
    body = {"uid": uid, "first_name": "Bo", "last_name": "Card", "status": "inactive"}
    card = api.ok("cpo", "POST", "LU-1/rfid-cards", body | {"expires_at": "2030-01-01T00:00:00+00:00"})
    user = api.ok("cpo", "GET", f"LU-1/local-users/{card['local_user_id']}")
    assert user["identifications"] == [
        {
            "id": card["id"],
            "type": "rfid",
            "code": uid,
            "status": "inactive",
            "expires_at": "2030-01-01T00:00:00Z",
        }
    ]
    pin = api.ok("owner", "POST", "LU-1/pin-codes", {"code": a_pin(), "first_name": "Cy", "last_name": "Pin"})
    shown = api.ok("owner", "GET", f"LU-1/local-users/{pin['local_user_id']}")["identifications"]
    assert [(i["id"], i["code"], i["status"]) for i in shown] == [(pin["id"], "#****", "active")]


def test_every_change_is_audited_with_pins_masked(api: Api) -> None:
    pin = a_pin()
    user = api.user(first_name="Dee")
    path = f"LU-1/local-users/{user['id']}"
    added = api.ok("owner", "POST", f"{path}/identifications", {"type": "pin", "code": pin})
    api.ok("owner", "POST", f"{path}/block")
    api.ok("owner", "PATCH", f"{path}/identifications/{added['id']}", {"status": "inactive"})
    assert api.call("owner", "DELETE", path).status_code == 204
    trail = api.ok("installer", "GET", "LU-1/audit")
    assert pin not in json.dumps(trail)
    mine = [
        (a["actor_email"], a["kind"], a["subject"], a["old"], a["new"])
        for a in trail
        if f"local user {user['id']}" in f"{a['subject']} {a['reason']}"
    ]
    assert mine == [
        ("owner@example.com", "local_user", f"local user {user['id']}", None, "Dee Lovelace"),
        ("owner@example.com", "identification", "pin #****", None, "active, no expiry"),
        ("owner@example.com", "local_user", f"local user {user['id']}: blocked", "no", "yes"),
        ("owner@example.com", "identification", "pin #****: status", "active", "inactive"),
        (
            "owner@example.com",
            "local_user",
            f"local user {user['id']}",
            "Dee Lovelace (blocked); pin #****",
            None,
        ),
    ]


def test_a_change_syncs_once_and_a_request_that_changes_nothing_does_not(api: Api) -> None:
    before = len(api.synced)
    user = api.user()
    path = f"LU-1/local-users/{user['id']}"
    api.ok("owner", "POST", f"{path}/block")
    assert api.synced[before:] == ["LU-1", "LU-1"]
    api.ok("owner", "POST", f"{path}/block")  # blocked already
    api.ok("owner", "PATCH", path, {"first_name": "Ada"})  # the same name
    api.ok("owner", "PATCH", path, {})
    assert api.synced[before:] == ["LU-1", "LU-1"]


# -- who may --------------------------------------------------------------------------------------------


def test_every_role_may_add_an_rfid_card_but_only_the_owners_manage_users_and_pins(api: Api) -> None:
    user = api.user()
    path = f"LU-1/local-users/{user['id']}"
    for who in ("installer", "cpo"):
        card = api.ok(who, "POST", f"{path}/identifications", {"type": "rfid", "code": a_uid()})
        assert card["type"] == "rfid"
    card_id = card["id"]
    refused = [
        ("POST", "LU-1/local-users", {"first_name": "No", "last_name": "Way"}),
        ("PATCH", path, {"first_name": "No"}),
        ("POST", f"{path}/block", None),
        ("POST", f"{path}/unblock", None),
        ("DELETE", path, None),
        ("POST", f"{path}/identifications", {"type": "pin", "code": a_pin()}),
        ("PATCH", f"{path}/identifications/{card_id}", {"status": "inactive"}),
        ("DELETE", f"{path}/identifications/{card_id}", None),
    ]
    for who in ("installer", "cpo"):
        for method, target, body in refused:
            before = api.snapshot()
            answer = api.call(who, method, target, body)
            assert answer.status_code == 403, (who, method, target, answer.text)
            detail = answer.json()["detail"]
            assert (
                "manage_local_users on station LU-1 needs one of the roles evse_owner, facility_owner"
                in detail
            )
            assert f"your roles there: {HOLDERS[who][1]}" in detail
            assert api.snapshot() == before
    for method, target, body in [("GET", "LU-1/local-users", None), ("GET", path, None)]:
        answer = api.call("stranger", method, target, body)
        assert answer.status_code == 403, answer.text
        assert "view_settings" in answer.json()["detail"]


# -- refusals change nothing -----------------------------------------------------------------------------


def fields_named(answer: httpx.Response) -> list[str]:
    return [answer.json()["field"]]


@pytest.fixture
def held(api: Api) -> dict[str, Any]:
    """A user at LU-1 with a PIN and a card, another user, and a user at LU-2."""
    user = api.user()
    base = f"LU-1/local-users/{user['id']}/identifications"
    pin, uid = a_pin(), a_uid()
    return {
        "user": user["id"],
        "pin": pin,
        "uid": uid,
        "pin_id": api.ok("owner", "POST", base, {"type": "pin", "code": pin})["id"],
        "card_id": api.ok("owner", "POST", base, {"type": "rfid", "code": uid})["id"],
        "other": api.user()["id"],
        "foreign": api.user("LU-2", "other_owner")["id"],
    }


NOT_FOUND = [
    ("GET", "LU-1/local-users/{missing}", None, "no local user {missing} at station LU-1"),
    ("PATCH", "LU-1/local-users/{foreign}", {"blocked": True}, "no local user {foreign} at station LU-1"),
    ("POST", "LU-1/local-users/{foreign}/block", None, "no local user {foreign}"),
    ("DELETE", "LU-1/local-users/{foreign}", None, "no local user {foreign}"),
    (
        "POST",
        "LU-1/local-users/{missing}/identifications",
        {"type": "rfid", "code": "0A0B0C0D"},
        "no local user",
    ),
    (
        "PATCH",
        "LU-1/local-users/{other}/identifications/{card_id}",
        {"status": "inactive"},
        "no identification {card_id} of local user {other} at station LU-1",
    ),
    ("DELETE", "LU-1/local-users/{user}/identifications/{missing}", None, "no identification {missing}"),
    ("GET", "NOPE/local-users", None, "no station 'NOPE'"),
]


@pytest.mark.parametrize(("method", "path", "body", "detail"), NOT_FOUND, ids=lambda v: str(v)[:40])
def test_unknown_or_foreign_users_and_identifications_are_not_found(
    api: Api, held: dict[str, Any], method: str, path: str, body: Any, detail: str
) -> None:
    names = held | {"missing": 2**31 - 1}
    before = api.snapshot()
    answer = api.call("owner", method, path.format(**names), body)
    assert answer.status_code == 404, answer.text
    assert detail.format(**names) in answer.json()["detail"]
    assert api.snapshot() == before


def test_a_code_the_station_knows_is_a_conflict_whatever_its_case(api: Api, held: dict[str, Any]) -> None:
    base = f"LU-1/local-users/{held['other']}/identifications"
    for body in ({"type": "rfid", "code": held["uid"].lower()}, {"type": "pin", "code": held["pin"]}):
        before = api.snapshot()
        answer = api.call("owner", "POST", base, body)
        assert answer.status_code == 409, answer.text
        assert held["pin"] not in answer.text
        assert api.snapshot() == before
    assert "rfid " + held["uid"] in api.call("cpo", "POST", base, {"type": "rfid", "code": held["uid"]}).text
    card = {"uid": held["uid"], "first_name": "Dup", "last_name": "Card"}
    assert api.call("cpo", "POST", "LU-1/rfid-cards", card).status_code == 409
    # the same code at another station is fine
    api.ok(
        "other_owner",
        "POST",
        f"LU-2/local-users/{held['foreign']}/identifications",
        {"type": "pin", "code": held["pin"]},
    )


INVALID = [  # (method, path, body, field, words in the message)
    ("POST", "{ids}", {"type": "pin", "code": "1234"}, "code", "must start with '#'"),
    ("POST", "{ids}", {"type": "pin", "code": "#12"}, "code", "4 to 8 digits, not 2"),
    ("POST", "{ids}", {"type": "pin", "code": "#12a4"}, "code", "digits only"),
    ("POST", "{ids}", {"type": "rfid", "code": "XYZ12345"}, "code", "hexadecimal"),
    ("POST", "{ids}", {"type": "rfid", "code": "0A0B0C"}, "code", "(3 given)"),
    ("POST", "{ids}", {"type": "nfc", "code": "0A0B0C0D"}, "type", ""),
    ("POST", "{ids}", {"type": "rfid", "code": "0A0B0C0D", "status": "paused"}, "status", ""),
    (
        "POST",
        "{ids}",
        {"type": "rfid", "code": "0A0B0C0D", "expires_at": "2030-01-01T00:00:00"},
        "expires_at",
        "",
    ),
    ("POST", "{ids}", {"type": "rfid", "code": "0A0B0C0D", "colour": "red"}, "colour", ""),
    ("PATCH", "{ids}/{card_id}", {"code": "0A0B0C0E"}, "code", ""),
    ("PATCH", "{ids}/{card_id}", {"status": None}, "status", "must not be null"),
    ("PATCH", "{ids}/{card_id}", {"expires_at": "2030-01-01"}, "expires_at", ""),
    ("PATCH", "{ids}/{card_id}", {"expires_at": "0001-01-01T00:00:00+01:00"}, "expires_at", "between 1970"),
    ("PATCH", "{user}", {"first_name": None}, "first_name", "must not be null"),
    ("PATCH", "{user}", {"last_name": "   "}, "last_name", "must not be empty"),
    ("PATCH", "{user}", {"blocked": "maybe"}, "blocked", ""),
    ("PATCH", "{user}", {"nick": "x"}, "nick", ""),
    ("POST", "", {"first_name": "A"}, "last_name", ""),
    ("POST", "", {"first_name": "A", "last_name": "B", "role": "x"}, "role", ""),
    ("POST", "", {"first_name": "A" * 101, "last_name": "B"}, "first_name", "longer than 100"),
]


@pytest.mark.parametrize(("method", "path", "body", "field", "words"), INVALID, ids=lambda v: str(v)[:40])
def test_bad_input_is_refused_naming_the_field(
    api: Api, held: dict[str, Any], method: str, path: str, body: Any, field: str, words: str
) -> None:
    names = held | {"ids": f"{held['user']}/identifications"}
    before = api.snapshot()
    answer = api.call("owner", method, f"LU-1/local-users/{path.format(**names)}".rstrip("/"), body)
    assert answer.status_code == 422, answer.text
    assert fields_named(answer) == [field], answer.text
    assert words in answer.text
    assert api.snapshot() == before


def test_the_older_routes_name_their_own_fields(api: Api) -> None:
    before = api.snapshot()
    answer = api.call("owner", "POST", "LU-1/rfid-cards", {"uid": "XYZ", "first_name": "A", "last_name": "B"})
    assert (answer.status_code, fields_named(answer)) == (422, ["uid"]), answer.text
    answer = api.call("owner", "POST", "LU-1/pin-codes", {"code": "#1", "first_name": "A", "last_name": "B"})
    assert (answer.status_code, fields_named(answer)) == (422, ["code"]), answer.text
    naive = {"code": a_pin(), "first_name": "A", "last_name": "B", "expires_at": "2030-01-01T00:00:00"}
    answer = api.call("owner", "POST", "LU-1/pin-codes", naive)
    assert (answer.status_code, fields_named(answer)) == (422, ["expires_at"]), answer.text
    assert api.snapshot() == before


def test_a_refused_body_is_not_echoed_so_a_pin_never_comes_back(api: Api) -> None:
    """FastAPI's own 422 would repeat the submitted body (`input`) for a missing field; ours names the
    field and nothing else."""
    pin = a_pin()
    answer = api.call("owner", "POST", "LU-1/pin-codes", {"code": pin, "first_name": "A"})
    assert (answer.status_code, fields_named(answer)) == (422, ["last_name"]), answer.text
    assert pin not in answer.text
    assert set(answer.json()) == {"detail", "field"}  # the one error shape


def test_a_pin_code_is_edited_validated_audited_and_never_shown(api: Api) -> None:
    """Issue 18 (seed 001: the EVSE owner may "view and edit" a PIN code): PATCH code changes a PIN with the
    rules of a new one; the answer, every read and the audit trail show it masked; a bad or taken code
    changes nothing."""
    user = api.user(first_name="Pim")
    base = f"LU-1/local-users/{user['id']}/identifications"
    old, new = a_pin(), a_pin()
    added = api.ok("evse_owner", "POST", base, {"type": "pin", "code": old})
    synced = len(api.synced)
    changed = api.ok("evse_owner", "PATCH", f"{base}/{added['id']}", {"code": new})
    assert api.synced[synced:] == ["LU-1"]  # the station's local list gets the new code
    assert (changed["id"], changed["code"], changed["status"]) == (added["id"], "#****", "active")
    with api.backend.store.engine.connect() as conn:
        codes = conn.execute(
            sa.text("select code from identifications where id = :id"), {"id": added["id"]}
        ).all()
    assert codes == [(new,)]
    trail = json.dumps(api.ok("installer", "GET", "LU-1/audit"))
    assert old not in trail
    assert new not in trail
    assert '"subject": "pin #****: code"' in trail
    before = api.snapshot()
    for body in ({"code": "#12"}, {"code": "1234"}, {"code": None}):  # too short, no '#', null
        answer = api.call("evse_owner", "PATCH", f"{base}/{added['id']}", body)
        assert (answer.status_code, answer.json().get("field")) == (422, "code"), answer.text
        assert new not in answer.text
    assert api.snapshot() == before
    taken = api.ok("evse_owner", "POST", base, {"type": "pin", "code": a_pin()})
    before = api.snapshot()
    with api.backend.store.engine.connect() as conn:
        (taken_code,) = conn.execute(
            sa.text("select code from identifications where id = :id"), {"id": taken["id"]}
        ).one()
    answer = api.call("evse_owner", "PATCH", f"{base}/{added['id']}", {"code": taken_code})
    assert answer.status_code == 409, answer.text
    assert taken_code not in answer.text
    assert api.snapshot() == before
    refused = api.call("installer", "PATCH", f"{base}/{added['id']}", {"code": a_pin()})
    assert refused.status_code == 403
