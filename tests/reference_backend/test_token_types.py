"""Every IdTokenEnumType is decided (issue 12): Central, eMAID, MacAddress, Local and EVCCID tokens an
operator provisioned, NoAuthorization as the station's own decision, non-hex codes, groups; on 2.0.1
with their type and on 1.6 as a bare idTag. Before, every type but KeyCode/ISO14443/ISO15693 was Invalid."""

from __future__ import annotations

import importlib.resources
import itertools
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.domain.authorization import (
    PROVISIONED_TYPES,
    TOKEN_TYPES,
    Facts,
    Identification,
    TokenSource,
    Verdict,
    decide,
    render_token_types,
)
from evharness.reference_backend.domain.provisioned_tokens import check_token
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.station_access import StationStore

from .helpers import T0, at, boot_16, boot_201, call

_ids = itertools.count(1)


def booted(store: Store, version: OcppVersion) -> CsmsConnection:
    connection = CsmsConnection(f"TT-{next(_ids)}", version, store, validate_outgoing=True)
    call(connection, "BootNotification", boot_16() if version is OcppVersion.V16 else boot_201())
    return connection


def provision(store: Store, connection: CsmsConnection, token_type: str, code: str, **more: Any) -> None:
    assert connection.station_id is not None
    spec = check_token(token_type, code, **more)
    with StationStore(store.engine).begin() as tx:
        tx.put_token(connection.station_id, spec.type, spec.code, spec.status, spec.expires_at, spec.group_id)


def authorize(connection: CsmsConnection, token_type: str, code: str) -> dict[str, Any]:
    token = {"idToken": code, "type": token_type}
    info: dict[str, Any] = call(connection, "Authorize", {"idToken": token})["idTokenInfo"]
    return info


def test_the_table_names_every_type_the_201_schema_has() -> None:
    path = importlib.resources.files("ocpp") / "v201" / "schemas" / "AuthorizeRequest.json"
    schema = orjson.loads(path.read_bytes())
    enum = set(schema["definitions"]["IdTokenEnumType"]["enum"])
    assert enum <= set(TOKEN_TYPES)
    assert set(TOKEN_TYPES) - enum == {"EVCCID"}  # 2.1's string type; some 2.0.1 editions list it


@pytest.mark.parametrize("token_type", PROVISIONED_TYPES)
def test_a_provisioned_token_of_each_type_is_decided_by_the_rules(store: Store, token_type: str) -> None:
    # EVCCID is a 2.1 type (2.1 takes any type string; 2.0.1's schema lists the others)
    connection = booted(store, OcppVersion.V21 if token_type == "EVCCID" else OcppVersion.V201)
    assert authorize(connection, token_type, "TAG-001") == {"status": "Unknown"}
    provision(store, connection, token_type, "TAG-001", group_id="FLEET-7")
    assert authorize(connection, token_type, "tag-001") == {
        "status": "Accepted",
        "groupIdToken": {"idToken": "FLEET-7", "type": "Central"},
    }
    other = "Local" if token_type == "Central" else "Central"
    assert authorize(connection, other, "TAG-001") == {"status": "Unknown"}  # the type is part of it


def test_status_and_expiry_of_a_provisioned_token(store: Store) -> None:
    connection = booted(store, OcppVersion.V201)
    provision(store, connection, "eMAID", "100000C01", status="inactive")
    provision(store, connection, "MacAddress", "00:1A:2B:3C:4D:5E", expires_at=T0 - timedelta(days=1))
    ahead = datetime(2030, 1, 1, tzinfo=UTC)
    provision(store, connection, "Local", "MASTERC47", expires_at=ahead)
    assert authorize(connection, "eMAID", "100000C01") == {"status": "Invalid"}
    assert authorize(connection, "MacAddress", "00:1A:2B:3C:4D:5E") == {"status": "Expired"}
    assert authorize(connection, "Local", "MASTERC47") == {
        "status": "Accepted",
        "cacheExpiryDateTime": "2030-01-01T00:00:00.000Z",
    }


def test_no_authorization_is_the_stations_own_decision_and_an_unknown_type_is_invalid(store: Store) -> None:
    assert authorize(booted(store, OcppVersion.V201), "NoAuthorization", "") == {"status": "Accepted"}
    assert authorize(booted(store, OcppVersion.V21), "Foo", "X1") == {"status": "Invalid"}


def test_a_provisioned_token_already_charging_is_concurrent_at_a_start(store: Store) -> None:
    connection = booted(store, OcppVersion.V201)
    provision(store, connection, "Central", "TAG-001")
    token = {"idToken": "TAG-001", "type": "Central"}

    def started(tx: str, seq: int) -> dict[str, Any]:
        event = {
            "eventType": "Started",
            "timestamp": at(seq),
            "triggerReason": "Authorized",
            "seqNo": 0,
            "transactionInfo": {"transactionId": tx},
            "evse": {"id": seq, "connectorId": 1},
            "idToken": token,
        }
        info: dict[str, Any] = call(connection, "TransactionEvent", event, f"s{seq}")["idTokenInfo"]
        return info

    assert started("TX-1", 1) == {"status": "Accepted"}
    assert started("TX-2", 2) == {"status": "ConcurrentTx"}


def test_on_16_an_idtag_finds_a_provisioned_token_of_any_type(store: Store) -> None:
    connection = booted(store, OcppVersion.V16)
    assert call(connection, "Authorize", {"idTag": "TAG-001"})["idTagInfo"] == {"status": "Invalid"}
    provision(store, connection, "Central", "TAG-001", group_id="FLEET-7")
    assert call(connection, "Authorize", {"idTag": "TAG-001"})["idTagInfo"] == {
        "status": "Accepted",
        "parentIdTag": "FLEET-7",
    }


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"token_type": "KeyCode", "code": "1234"}, "type"),
        ({"token_type": "ISO14443", "code": "04A2B3C4"}, "type"),
        ({"token_type": "NoAuthorization", "code": "X"}, "type"),
        ({"token_type": "Magic", "code": "X"}, "type"),
        ({"token_type": "Central", "code": ""}, "code"),
        ({"token_type": "Central", "code": "#1234"}, "code"),
        ({"token_type": "Central", "code": "x" * 37}, "code"),
        ({"token_type": "Central", "code": "OK", "status": "gone"}, "status"),
        ({"token_type": "Central", "code": "OK", "expires_at": datetime(2030, 1, 1)}, "expires_at"),
        ({"token_type": "Central", "code": "OK", "group_id": "a group"}, "group_id"),
    ],
)
def test_a_token_that_breaks_a_rule_is_refused_naming_the_field(given: dict[str, Any], field: str) -> None:
    from evharness.reference_backend.domain.problems import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        check_token(**given)
    assert refused.value.field == field


def test_the_docs_show_the_token_types_as_the_code_has_them() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs/authorization.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- token-types:start -->\n(.*?)<!-- token-types:end -->", text, re.S)
    assert found, "docs/authorization.md has no <!-- token-types:start --> … <!-- token-types:end --> block"
    assert found.group(1) == render_token_types(), "regenerate the table from authorization.TOKEN_TYPES"


@given(
    st.builds(
        Facts,
        presented_type=st.none() | st.sampled_from(IdType),
        enabled_types=st.sampled_from([frozenset(), frozenset(IdType)]),
        identification=st.none()
        | st.builds(Identification, st.booleans(), st.booleans(), st.none(), st.booleans()),
        at_transaction_start=st.booleans(),
        now=st.just(T0),
        source=st.sampled_from(TokenSource),
    )
)
def test_the_source_decides_before_the_codes_rules(facts: Facts) -> None:
    """NoAuthorization is accepted and an unknown type refused whatever else holds; a provisioned
    token is never refused for the station's enabled identification types (those are PIN and RFID)."""
    verdict = decide(facts).verdict
    if facts.source is TokenSource.STATION:
        assert verdict is Verdict.ACCEPTED
    elif facts.source is TokenSource.UNSUPPORTED:
        assert verdict is Verdict.INVALID
    elif facts.source is TokenSource.PROVISIONED:
        anywhere = decide(replace(facts, enabled_types=frozenset(IdType), presented_type=IdType.RFID))
        assert verdict is anywhere.verdict
