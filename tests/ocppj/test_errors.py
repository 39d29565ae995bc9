"""CALLERROR codes per OCPP version (catalog §4.2), including the 1.6-J typos kept by the errata."""

from __future__ import annotations

import pytest

from evharness.ocppj.errors import (
    ACCEPTED_SPELLINGS,
    ANSWERS_UNKNOWN_MESSAGE_TYPE,
    ERROR_CODES,
    ErrorKind,
    error_code,
    kind_of,
)
from evharness.ocppj.versions import OcppVersion

from .helpers import VERSIONS

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21

CODES_16 = {
    "NotImplemented",
    "NotSupported",
    "InternalError",
    "ProtocolError",
    "SecurityError",
    "FormationViolation",
    "PropertyConstraintViolation",
    "OccurenceConstraintViolation",
    "TypeConstraintViolation",
    "GenericError",
}
CODES_2X = {
    "NotImplemented",
    "NotSupported",
    "InternalError",
    "ProtocolError",
    "SecurityError",
    "FormatViolation",
    "PropertyConstraintViolation",
    "OccurrenceConstraintViolation",
    "TypeConstraintViolation",
    "GenericError",
    "MessageTypeNotSupported",
    "RpcFrameworkError",
}


@pytest.mark.parametrize(("version", "codes"), [(V16, CODES_16), (V201, CODES_2X), (V21, CODES_2X)])
def test_each_version_emits_exactly_its_own_codes(version: OcppVersion, codes: set[str]) -> None:
    assert set(ERROR_CODES[version].values()) == codes


@pytest.mark.parametrize("version", VERSIONS)
def test_every_kind_has_a_code_in_every_version(version: OcppVersion) -> None:
    assert set(ERROR_CODES[version]) == set(ErrorKind)


def test_16_keeps_the_typos() -> None:
    assert error_code(V16, ErrorKind.FORMAT) == "FormationViolation"
    assert error_code(V16, ErrorKind.OCCURRENCE_CONSTRAINT) == "OccurenceConstraintViolation"


@pytest.mark.parametrize("version", [V201, V21])
def test_2x_spells_the_codes_right(version: OcppVersion) -> None:
    assert error_code(version, ErrorKind.FORMAT) == "FormatViolation"
    assert error_code(version, ErrorKind.OCCURRENCE_CONSTRAINT) == "OccurrenceConstraintViolation"
    assert error_code(version, ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED) == "MessageTypeNotSupported"
    assert error_code(version, ErrorKind.RPC_FRAMEWORK) == "RpcFrameworkError"


def test_16_has_no_2x_only_codes_and_falls_back_to_protocol_error() -> None:
    assert error_code(V16, ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED) == "ProtocolError"
    assert error_code(V16, ErrorKind.RPC_FRAMEWORK) == "ProtocolError"


def test_receivers_accept_both_occurrence_spellings_on_201_only() -> None:
    assert kind_of(V201, "OccurrenceConstraintViolation") is ErrorKind.OCCURRENCE_CONSTRAINT
    assert kind_of(V201, "OccurenceConstraintViolation") is ErrorKind.OCCURRENCE_CONSTRAINT
    assert kind_of(V16, "OccurenceConstraintViolation") is ErrorKind.OCCURRENCE_CONSTRAINT
    assert kind_of(V16, "OccurrenceConstraintViolation") is None
    assert kind_of(V21, "OccurrenceConstraintViolation") is ErrorKind.OCCURRENCE_CONSTRAINT
    assert kind_of(V21, "OccurenceConstraintViolation") is None


def test_the_wrong_format_spelling_is_not_a_code_of_that_version() -> None:
    assert kind_of(V16, "FormatViolation") is None
    assert kind_of(V16, "FormationViolation") is ErrorKind.FORMAT
    assert kind_of(V201, "FormationViolation") is None
    assert kind_of(V201, "FormatViolation") is ErrorKind.FORMAT


@pytest.mark.parametrize("version", VERSIONS)
def test_kind_of_reads_back_every_code_a_version_emits(version: OcppVersion) -> None:
    for code in ERROR_CODES[version].values():
        kind = kind_of(version, code)
        assert kind is not None
        assert error_code(version, kind) == code
        assert code in ACCEPTED_SPELLINGS[version][kind]


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_codes_have_no_kind(version: OcppVersion) -> None:
    for code in ("", "notimplemented", "Rejected", "FormatViolation ", "MessageTypeNotSupported!"):
        assert kind_of(version, code) is None


def test_only_201_answers_an_unknown_message_type() -> None:
    assert ANSWERS_UNKNOWN_MESSAGE_TYPE == {V16: False, V201: True, V21: False}
