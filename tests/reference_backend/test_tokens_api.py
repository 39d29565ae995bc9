"""Provisioning a station's tokens beyond PIN and RFID through the console API, under the permission
matrix (`manage_tokens`), and with `evharness tokens` on the database (issue 12); a 2.0.1 station
then gets them accepted over a real socket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from evharness.cli import main
from evharness.reference_backend.domain.permissions import Role

from .helpers import boot_201
from .live_console import Live, live_console

STATION = "TOK-1"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_console(tmp_path, STATION, (Role.FACILITY_OWNER, Role.CPO, Role.INSTALLER)) as running:
        yield running


def authorize_201(live: Live, token: dict[str, str]) -> dict[str, Any]:
    with connect(live.backend.ocpp_url + STATION, subprotocols=[Subprotocol("ocpp2.0.1")]) as ws:
        for message_id, action, payload in (
            ("b", "BootNotification", boot_201()),
            ("a", "Authorize", {"idToken": token}),
        ):
            ws.send(orjson.dumps([2, message_id, action, payload]).decode())
            answer = orjson.loads(ws.recv(timeout=30))
            while answer[0] == 2:  # the backend's own CALL (a local list sync): refused, not waited for
                ws.send(orjson.dumps([4, answer[1], "NotSupported", "", {}]).decode())
                answer = orjson.loads(ws.recv(timeout=30))
            assert answer[:2] == [3, message_id], answer
    info: dict[str, Any] = answer[2]["idTokenInfo"]
    return info


def test_the_roles_allowed_provision_list_and_remove_tokens(live: Live) -> None:
    central = {"idToken": "TAG-001", "type": "Central"}
    assert authorize_201(live, central) == {"status": "Unknown"}
    with live.client(Role.CPO) as cpo:
        made = cpo.post(
            f"stations/{STATION}/tokens", json={"type": "Central", "code": "TAG-001", "group_id": "FLEET-7"}
        )
        assert made.status_code == 201, made.text
        token = made.json()
        assert (token["type"], token["code"], token["status"], token["group_id"]) == (
            "Central",
            "TAG-001",
            "active",
            "FLEET-7",
        )
        again = cpo.post(
            f"stations/{STATION}/tokens", json={"type": "Central", "code": "tag-001", "status": "inactive"}
        )
        assert again.status_code == 200, again.text
        assert (again.json()["id"], again.json()["status"]) == (token["id"], "inactive")
    assert authorize_201(live, central) == {"status": "Invalid"}
    with live.client(Role.FACILITY_OWNER) as owner:
        assert (
            owner.post(f"stations/{STATION}/tokens", json={"type": "Central", "code": "TAG-001"}).status_code
            == 200
        )
        assert authorize_201(live, central) == {"status": "Accepted"}
        (listed,) = owner.get(f"stations/{STATION}/tokens").json()
        assert listed["code"] == "TAG-001"
        audit = owner.get(f"stations/{STATION}/audit").json()
        assert [a["subject"] for a in audit if a["kind"] == "token"] == ["Central TAG-001"] * 3
        assert owner.delete(f"stations/{STATION}/tokens/{token['id']}").status_code == 204
        assert owner.get(f"stations/{STATION}/tokens").json() == []
        assert owner.delete(f"stations/{STATION}/tokens/{token['id']}").status_code == 404
    assert authorize_201(live, central) == {"status": "Unknown"}


def test_a_role_without_manage_tokens_is_refused_and_nothing_changes(live: Live) -> None:
    with live.client(Role.INSTALLER) as installer:
        refused = installer.post(f"stations/{STATION}/tokens", json={"type": "eMAID", "code": "100000C01"})
        assert refused.status_code == 403
        assert "manage_tokens" in refused.json()["detail"]
        assert installer.get(f"stations/{STATION}/tokens").json() == []  # view_settings: every role


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "KeyCode", "code": "1234"}, "type"),
        ({"type": "NoAuthorization", "code": "X"}, "type"),
        ({"type": "Central", "code": "not an identifier"}, "code"),
        ({"type": "Central", "code": "OK", "group_id": "#1"}, "group_id"),
        ({"type": "Central", "code": "OK", "status": "maybe"}, "status"),
    ],
)
def test_a_bad_field_is_a_422_naming_it(live: Live, body: dict[str, str], field: str) -> None:
    with live.client(Role.CPO) as cpo:
        refused = cpo.post(f"stations/{STATION}/tokens", json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == field
        assert cpo.get(f"stations/{STATION}/tokens").json() == []


def test_the_cli_provisions_lists_and_removes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    base = ["--database-url", url, "--identity", "CLI-1"]
    assert (
        main(["station-password", "--database-url", url, "--identity", "CLI-1", "--password", "x" * 16]) == 0
    )
    assert (
        main(["tokens", "add", *base, "--type", "eMAID", "--code", "NL-TNM-C00122045-K", "--group", "G1"])
        == 0
    )
    assert main(["tokens", "add", *base, "--type", "Central", "--code", "#bad"]) == 2
    assert "code:" in capsys.readouterr().err
    assert main(["tokens", "list", *base]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed == ["eMAID\tNL-TNM-C00122045-K\tactive\texpires -\tgroup G1"]
    assert main(["tokens", "remove", *base, "--type", "eMAID", "--code", "nl-tnm-c00122045-k"]) == 0
    assert main(["tokens", "remove", *base, "--type", "eMAID", "--code", "NL-TNM-C00122045-K"]) == 1
    capsys.readouterr()
    assert main(["tokens", "list", *base]) == 0
    assert capsys.readouterr().out == ""
