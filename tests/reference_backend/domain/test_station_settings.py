"""Station settings and remote operations as data: bad input names its field; every CALL built is valid
against the official OCPP schema of its version."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.ocppj import schemas
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.permissions import Role
from evharness.reference_backend.domain.problems import InvalidInput
from evharness.reference_backend.domain.remote_operations import ACTIONS, HASH_FIELDS, Request, build
from evharness.reference_backend.domain.remote_operations import V16 as ON_16
from evharness.reference_backend.domain.station_roles import Grant, Person, roles_of
from evharness.reference_backend.domain.station_settings import SETTINGS, actions_for, parse_changes

GOOD: dict[str, tuple[Any, str]] = {
    "max_current": (16, "16"),
    "phases": (1, "1"),
    "load_balancer_max_current": (0, "0"),
    "price_per_kwh": ("0.3500", "0.35"),
    "tariff": (" Night ", "Night"),
    "currency": ("EUR", "EUR"),
    "charging_times": ("22:00-06:00", "22:00-06:00"),
    "priority": (9, "9"),
    "identification_types": (["rfid", "pin"], "pin,rfid"),
}
BAD: dict[str, list[Any]] = {
    "max_current": [5, 81, "16", True, 16.5, None],
    "phases": [2, "3", True],
    "load_balancer_max_current": [-1, 1001],
    "price_per_kwh": ["-1", "abc", "NaN", "Infinity", 101, True, None],
    "tariff": ["", "x" * 51, 3, "a\nb"],
    "currency": ["eur", "XYZ", 978, None],
    "charging_times": ["24:00-06:00", "22-06", 2200],
    "priority": [10, -1],
    "identification_types": [["nfc"], ["pin", "pin"], "pin"],
}


def test_every_setting_has_examples() -> None:
    assert set(GOOD) == set(SETTINGS) == set(BAD)


@pytest.mark.parametrize(("name", "value", "stored"), [(n, v, s) for n, (v, s) in GOOD.items()])
def test_good_values_are_stored_as_text(name: str, value: Any, stored: str) -> None:
    assert parse_changes({name: value}) == {name: stored}


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, values in BAD.items() for v in values])
def test_bad_values_name_their_field(name: str, value: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_changes({name: value})
    assert refused.value.field == name


def test_unknown_settings_and_empty_changes_are_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_changes({"colour": "red"})
    assert refused.value.field == "colour"
    with pytest.raises(InvalidInput):
        parse_changes({})


@given(st.dictionaries(st.sampled_from(sorted(SETTINGS)), st.none() | st.integers() | st.text()))
def test_any_value_is_parsed_or_refused_naming_a_field(body: dict[str, Any]) -> None:
    field = None
    try:
        parse_changes(body)
    except InvalidInput as refused:
        field = refused.field
    assert field is None or field in body or field == "settings"


def test_actions_for_a_change_come_from_the_settings_table() -> None:
    assert [a.value for a in actions_for(["max_current", "tariff", "price_per_kwh"])] == [
        "set_max_current",
        "set_prices",
    ]


PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
MONITOR = {
    "value": 10.0,
    "type": "Delta",
    "severity": 5,
    "component": {"name": "EVSE"},
    "variable": {"name": "Power"},
}


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
@pytest.mark.parametrize("operation", sorted(ACTIONS))
def test_every_remote_operation_is_a_valid_call(version: OcppVersion, operation: str) -> None:
    transaction = "17" if version is OcppVersion.V16 else "tx-17"
    request = Request(
        id_tag="#1234",
        transaction_id=transaction,
        type="hard",
        operative=False,
        message="MeterValues",
        reservation_id=7,
        group="FLEET",
        message_id=3,
        content="Welcome",
        language="en",
        state="Idle",
        vendor_id="org.evharness",
        data_message_id="Echo",
        data="hi",
        certificate_type="CSMSRootCertificate",
        certificate=PEM,
        certificate_hash=dict.fromkeys(HASH_FIELDS, "00ab") | {"hashAlgorithm": "SHA256"},
        location="https://files.example/fw-2.0.bin",
        severity=5,
        monitors=(MONITOR,),
        monitor_ids=(1, 2),
        customer_identifier="customer-1",
    )
    if version is OcppVersion.V16 and operation not in ON_16:  # display messages, monitoring …
        with pytest.raises(InvalidInput) as refused:
            build(operation, True, request)
        assert refused.value.field == "operation"
        return
    action, payload = build(operation, version is OcppVersion.V16, request)
    validate = schemas.validator(version, action, response=False)
    assert validate is not None
    assert schemas.check(validate, payload) is None, (action, payload)


@pytest.mark.parametrize(
    ("operation", "request_", "field"),
    [
        ("remote-start", Request(), "id_tag"),
        ("remote-start", Request(id_tag="#12"), "id_tag"),
        ("remote-stop", Request(transaction_id="abc"), "transaction_id"),
        ("reset", Request(type="warm"), "type"),
        ("trigger", Request(message="Authorize"), "message"),
        ("reserve", Request(id_tag="04A1B2C3"), "reservation_id"),
        ("reserve", Request(id_tag="04A1B2C3", reservation_id=1, expires_in=5), "expires_in"),
        ("cancel-reservation", Request(), "reservation_id"),
        ("data-transfer", Request(), "vendor_id"),
        ("install-certificate", Request(certificate=PEM), "certificate_type"),
        (
            "install-certificate",
            Request(certificate_type="V2GCertificateChain", certificate=PEM),
            "certificate_type",
        ),
        (
            "install-certificate",
            Request(certificate_type="MORootCertificate", certificate=PEM),
            "certificate_type",
        ),
        (
            "install-certificate",
            Request(certificate_type="CSMSRootCertificate", certificate="x"),
            "certificate",
        ),
        ("certificates", Request(), "certificate_type"),
        ("delete-certificate", Request(certificate_hash={"hashAlgorithm": "SHA256"}), "certificate_hash"),
        ("renew-certificate", Request(which="v2g"), "which"),
        ("update-firmware", Request(), "location"),
        ("update-firmware", Request(location="no-url"), "location"),
        ("update-firmware", Request(location="http://f/x", retrieve_at="soon"), "retrieve_at"),
        ("update-firmware", Request(location="http://f/x", signature="AAAA"), "signing_certificate"),
        ("update-firmware", Request(location="http://f/x", retries=-1), "retries"),
        ("get-log", Request(location="http://f/", log_type="everything"), "log_type"),
        ("customer-information", Request(), "operation"),
    ],
)
def test_bad_operation_requests_name_their_field(operation: str, request_: Request, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build(operation, True, request_)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("operation", "request_", "field"),
    [
        ("set-display-message", Request(), "content"),
        ("set-display-message", Request(content="Hi", priority="Top"), "priority"),
        ("set-display-message", Request(content="Hi", format="PDF"), "format"),
        ("set-display-message", Request(content="Hi", state="Sleeping"), "state"),
        ("clear-display-message", Request(), "message_id"),
    ],
)
def test_bad_display_message_requests_name_their_field(operation: str, request_: Request, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build(operation, False, request_)
    assert refused.value.field == field


def test_roles_come_from_grants_and_the_installer_company_acts_until_one_is_allocated() -> None:
    ada = Person(1, "ada@example.com", frozenset({10, 20}))
    grants = [Grant(Role.FACILITY_OWNER, company_id=10), Grant(Role.EVSE_OWNER, email="ada@example.com")]
    assert roles_of(ada, grants, candidate_installer=20) == {
        Role.FACILITY_OWNER,
        Role.EVSE_OWNER,
        Role.INSTALLER,
    }
    allocated = [*grants, Grant(Role.INSTALLER, company_id=30, user_id=9)]
    assert roles_of(ada, allocated, candidate_installer=20) == {Role.FACILITY_OWNER, Role.EVSE_OWNER}
    stranger = Person(2, "bob@example.com", frozenset())
    assert roles_of(stranger, allocated, candidate_installer=20) == frozenset()
