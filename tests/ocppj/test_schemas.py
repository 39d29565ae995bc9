"""The official schemas, compiled: every action compiles, and problems name the field and the error kind."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.ocppj import schemas
from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.schemas import SchemaProblem, Validator
from evharness.ocppj.versions import OcppVersion

from .helpers import PROPERTY_SETTINGS, VERSIONS, valid_boot, valid_requests

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21


def _all_actions() -> list[tuple[OcppVersion, str]]:
    return [(version, action) for version in VERSIONS for action in sorted(schemas.known_actions(version))]


def _validator(version: OcppVersion, action: str, response: bool = False) -> Validator:
    validate = schemas.validator(version, action, response)
    assert validate is not None, (version, action, response)
    return validate


def _problem(version: OcppVersion, action: str, payload: Any, response: bool = False) -> SchemaProblem:
    problem = schemas.check(_validator(version, action, response), payload)
    assert problem is not None, payload
    return problem


@pytest.mark.parametrize(
    ("version", "some_actions", "count"),
    [
        (V16, {"BootNotification", "StartTransaction", "SetChargingProfile", "DataTransfer"}, 39),
        (V201, {"BootNotification", "TransactionEvent", "SetVariables", "Get15118EVCertificate"}, 64),
        (
            V21,
            {
                "BootNotification",
                "TransactionEvent",
                "OpenPeriodicEventStream",
                "PullDynamicScheduleUpdate",
                "NotifyPeriodicEventStream",  # the one SEND (unconfirmed) message
            },
            91,
        ),
    ],
)
def test_known_actions(version: OcppVersion, some_actions: set[str], count: int) -> None:
    actions = schemas.known_actions(version)
    assert some_actions <= actions
    assert len(actions) == count
    assert not any(a.endswith(("Request", "Response", ".json")) for a in actions)


@pytest.mark.parametrize(("version", "action"), _all_actions(), ids=lambda v: getattr(v, "value", v))
def test_every_request_and_response_schema_compiles_and_validates(version: OcppVersion, action: str) -> None:
    has_response = action not in schemas.unconfirmed_actions(version)  # a SEND is never answered
    for response in (False, True)[: 1 + has_response]:
        validate = _validator(version, action, response)
        assert schemas.validator(version, action, response) is validate  # compiled once, cached
        problem = schemas.check(validate, ["not", "an", "object"])
        assert problem is not None
        assert problem.kind is ErrorKind.TYPE_CONSTRAINT
        assert problem.field == "(payload)"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("action", ["NoSuchAction", "heartbeat", "HeartbeatRequest", "HeartbeatResponse", ""])
def test_unknown_actions_have_no_validator(version: OcppVersion, action: str) -> None:
    assert schemas.validator(version, action, response=False) is None
    assert schemas.validator(version, action, response=True) is None


@pytest.mark.parametrize("version", VERSIONS)
def test_a_valid_payload_has_no_problem(version: OcppVersion) -> None:
    assert schemas.check(_validator(version, "BootNotification"), valid_boot(version)) is None
    assert schemas.check(_validator(version, "Heartbeat"), {}) is None


@given(data=st.data())
@PROPERTY_SETTINGS
def test_generated_valid_payloads_pass(data: st.DataObject) -> None:
    version = data.draw(st.sampled_from(VERSIONS))
    action, payload = data.draw(valid_requests(version))
    assert schemas.check(_validator(version, action), payload) is None


def _mutated(payload: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(payload)
    node = result
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return result


_DELETE = object()

# (version, path, new value, kind, field, text the description must contain)
PROBLEMS_2X: list[tuple[list[str], Any, ErrorKind, str, str]] = [
    (["reason"], _DELETE, ErrorKind.OCCURRENCE_CONSTRAINT, "(payload)", "reason"),
    (["chargingStation", "model"], _DELETE, ErrorKind.OCCURRENCE_CONSTRAINT, "chargingStation", "model"),
    (["reason"], 5, ErrorKind.TYPE_CONSTRAINT, "reason", "string"),
    (["chargingStation", "model"], "m" * 21, ErrorKind.TYPE_CONSTRAINT, "chargingStation.model", "20"),
    (
        ["chargingStation", "modem"],
        {"imsi": "1" * 21},
        ErrorKind.TYPE_CONSTRAINT,
        "chargingStation.modem.imsi",
        "20",
    ),
    (["reason"], "Bogus", ErrorKind.PROPERTY_CONSTRAINT, "reason", "PowerUp"),
    (["extraField"], 1, ErrorKind.FORMAT, "(payload)", "extraField"),
    (["chargingStation", "colour"], "red", ErrorKind.FORMAT, "chargingStation", "colour"),
    (["customData"], {}, ErrorKind.OCCURRENCE_CONSTRAINT, "customData", "vendorId"),
]


@pytest.mark.parametrize("version", [V201, V21])
@pytest.mark.parametrize(("path", "value", "kind", "field", "mentions"), PROBLEMS_2X)
def test_schema_problems_name_the_field_and_kind_2x(
    version: OcppVersion, path: list[str], value: Any, kind: ErrorKind, field: str, mentions: str
) -> None:
    problem = _problem(version, "BootNotification", _mutated(valid_boot(version), path, value))
    assert problem.kind is kind
    assert problem.field == field
    assert mentions in problem.description
    assert not problem.description.startswith("data")  # fastjsonschema's "data." prefix is cleaned up


PROBLEMS_16: list[tuple[list[str], Any, ErrorKind, str, str]] = [
    (["chargePointVendor"], _DELETE, ErrorKind.OCCURRENCE_CONSTRAINT, "(payload)", "chargePointVendor"),
    (["chargePointModel"], 12, ErrorKind.TYPE_CONSTRAINT, "chargePointModel", "string"),
    (["chargePointModel"], "m" * 21, ErrorKind.TYPE_CONSTRAINT, "chargePointModel", "20"),
    (["reason"], "PowerUp", ErrorKind.FORMAT, "(payload)", "reason"),
]


@pytest.mark.parametrize(("path", "value", "kind", "field", "mentions"), PROBLEMS_16)
def test_schema_problems_name_the_field_and_kind_16(
    path: list[str], value: Any, kind: ErrorKind, field: str, mentions: str
) -> None:
    problem = _problem(V16, "BootNotification", _mutated(valid_boot(V16), path, value))
    assert problem.kind is kind
    assert problem.field == field
    assert mentions in problem.description


def test_nested_list_fields_are_named_with_their_index() -> None:
    payload = {
        "connectorId": 1,
        "transactionId": 7,
        "meterValue": [
            {"timestamp": "2024-05-01T12:00:00.000Z", "sampledValue": [{"value": "1", "unit": "Parsec"}]}
        ],
    }
    problem = _problem(V16, "MeterValues", payload)
    assert problem.kind is ErrorKind.PROPERTY_CONSTRAINT
    assert problem.field == "meterValue[0].sampledValue[0].unit"


@pytest.mark.parametrize(
    ("version", "action", "payload", "kind", "field"),
    [
        (V16, "Heartbeat", {"currentTime": "yesterday"}, ErrorKind.TYPE_CONSTRAINT, "currentTime"),
        (
            V201,
            "BootNotification",
            {"status": "Accepted", "currentTime": "2024-05-01T12:00:00Z", "interval": 1.5},
            ErrorKind.TYPE_CONSTRAINT,
            "interval",
        ),
        (
            V201,
            "BootNotification",
            {"status": "Accepted", "currentTime": "2024-05-01T12:00:00Z"},
            ErrorKind.OCCURRENCE_CONSTRAINT,
            "(payload)",
        ),
        (
            V21,
            "Authorize",
            {"idTokenInfo": {"status": "Maybe"}},
            ErrorKind.PROPERTY_CONSTRAINT,
            "idTokenInfo.status",
        ),
    ],
)
def test_response_problems(
    version: OcppVersion, action: str, payload: Any, kind: ErrorKind, field: str
) -> None:
    problem = _problem(version, action, payload, response=True)
    assert problem.kind is kind
    assert problem.field == field


def test_array_occurrence_rules_map_to_occurrence_constraint() -> None:
    payload = {"evseId": 1, "meterValue": []}  # 1..* meterValue
    problem = _problem(V201, "MeterValues", payload)
    assert problem.kind is ErrorKind.OCCURRENCE_CONSTRAINT
    assert problem.field == "meterValue"


def test_float_multiple_of_is_dropped_so_decimal_limits_pass() -> None:
    """21.4 is no exact binary multiple of 0.1; the official 1.6 text would refuse every such limit."""
    payload: dict[str, Any] = {
        "connectorId": 1,
        "csChargingProfiles": {
            "chargingProfileId": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {
                "chargingRateUnit": "A",
                "minChargingRate": 6.1,
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 21.4}],
            },
        },
    }
    assert schemas.check(_validator(V16, "SetChargingProfile"), payload) is None
    payload["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"] = "21.4"
    assert _problem(V16, "SetChargingProfile", payload).kind is ErrorKind.TYPE_CONSTRAINT


def test_the_schema_text_is_unchanged_apart_from_float_multiple_of() -> None:
    schema = {"a": {"multipleOf": 0.1, "type": "number"}, "b": [{"multipleOf": 5}], "multipleOf": 2}
    assert schemas._drop_float_multiple_of(schema) == {
        "a": {"type": "number"},
        "b": [{"multipleOf": 5}],
        "multipleOf": 2,
    }
