"""The 2.0.1 identifierString rule (issue 20): checked on every payload received and sent, on top of
the official schemas, which give only the length. A PIN `#4821` is no identifierString; its digits are."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.ocppj import schemas
from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.rpc import CallReceived
from evharness.ocppj.versions import OcppVersion
from tests.ocppj.helpers import PROPERTY_SETTINGS, endpoint

ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-_=:+|@."
WITH_RULE = (OcppVersion.V201, OcppVersion.V21)

allowed_text = st.text(alphabet=ALLOWED, max_size=36)
broken_text = st.tuples(
    st.text(alphabet=ALLOWED, max_size=17),
    st.characters(blacklist_characters=ALLOWED, codec="utf-8"),
    st.text(alphabet=ALLOWED, max_size=17),
).map("".join)


def authorize(value: str) -> str:
    return orjson.dumps([2, "c-1", "Authorize", {"idToken": {"idToken": value, "type": "KeyCode"}}]).decode()


@pytest.mark.parametrize("version", WITH_RULE, ids=lambda v: v.value)
@given(value=broken_text)
@PROPERTY_SETTINGS
def test_a_character_outside_the_identifier_string_set_is_a_format_violation(
    version: OcppVersion, value: str
) -> None:
    rpc = endpoint(version)
    assert rpc.receive(authorize(value), 0.0) == []
    (answer,) = rpc.data_to_send()
    _, message_id, code, description, details = orjson.loads(answer)
    assert (message_id, code) == ("c-1", "FormatViolation")
    assert details == {"field": "idToken.idToken"}
    assert "identifierString" in description


@pytest.mark.parametrize("version", WITH_RULE, ids=lambda v: v.value)
@given(value=allowed_text)
@PROPERTY_SETTINGS
def test_identifier_strings_pass(version: OcppVersion, value: str) -> None:
    rpc = endpoint(version)
    (event,) = rpc.receive(authorize(value), 0.0)
    assert isinstance(event, CallReceived)


@pytest.mark.parametrize(
    ("action", "response", "payload", "field"),
    [
        ("RequestStopTransaction", False, {"transactionId": "tx #1"}, "transactionId"),
        ("GetTransactionStatus", False, {"transactionId": "a/b"}, "transactionId"),
        (
            "TransactionEvent",
            True,
            {"idTokenInfo": {"status": "Accepted", "groupIdToken": {"idToken": "#G1", "type": "Central"}}},
            "idTokenInfo.groupIdToken.idToken",
        ),
        (
            "GetVariables",
            False,
            {"getVariableData": [{"component": {"name": "Tx Ctrlr"}, "variable": {"name": "Timeout"}}]},
            "getVariableData[0].component.name",
        ),
    ],
)
def test_every_identifier_string_field_is_checked(
    action: str, response: bool, payload: dict[str, object], field: str
) -> None:
    validate = schemas.validator(OcppVersion.V201, action, response)
    assert validate is not None
    problem = schemas.check(validate, payload)
    assert problem is not None
    assert (problem.kind, problem.field) == (ErrorKind.FORMAT, field)


def test_1_6_keeps_the_pin_with_its_hash() -> None:
    """1.6 has no identifierString: the idTag is a CiString20, `#4821` is fine."""
    validate = schemas.validator(OcppVersion.V16, "Authorize", response=False)
    assert validate is not None
    assert schemas.check(validate, {"idTag": "#4821"}) is None


def test_our_own_pin_is_refused_before_it_leaves() -> None:
    """With its own payloads checked, a 2.0.1 endpoint cannot send a KeyCode `#4821`."""
    rpc = endpoint(OcppVersion.V201, validate_outgoing=True)
    with pytest.raises(ValueError, match="identifierString"):
        rpc.send_call("Authorize", {"idToken": {"idToken": "#4821", "type": "KeyCode"}}, 0.0)
