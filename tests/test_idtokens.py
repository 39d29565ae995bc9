"""Identification codes (PIN and RFID): validation, canonical form and how each travels in OCPP."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evharness.idtokens import (
    PIN_MAX_DIGITS,
    PIN_MIN_DIGITS,
    RFID_UID_BYTES,
    WIRE_TYPE_TO_ID_TYPE,
    IdType,
    InvalidCode,
    WireToken,
    from_wire_201,
    guess_type_from_idtag,
    normalize,
    to_wire,
)

CANONICAL_PIN = re.compile(rf"#[0-9]{{{PIN_MIN_DIGITS},{PIN_MAX_DIGITS}}}")
CANONICAL_RFID = re.compile("|".join(f"[0-9A-F]{{{2 * n}}}" for n in RFID_UID_BYTES))

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, database=None)


@pytest.mark.parametrize("code", ["#1234", "#0000", "#12345678", "#00001", "#9876543"])
def test_valid_pins_are_kept_as_they_are(code: str) -> None:
    assert normalize(IdType.PIN, code) == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("1234", "must start with '#'"),
        ("", "must start with '#'"),
        (" #1234", "must start with '#'"),
        ("#", "digits only"),
        ("#12a4", "digits only"),
        ("#12 34", "digits only"),
        ("#1234 ", "digits only"),
        ("#1234\n", "digits only"),
        ("##1234", "digits only"),
        ("#-1234", "digits only"),
        ("#١٢٣٤", "digits only"),  # Arabic-Indic digits: not something a keypad sends as a KeyCode
        ("#１２３４", "digits only"),  # fullwidth digits
        ("#123", "4 to 8 digits, not 3"),
        ("#123456789", "4 to 8 digits, not 9"),
    ],
)
def test_invalid_pins_say_why(code: str, reason: str) -> None:
    with pytest.raises(InvalidCode, match=re.escape(reason)):
        normalize(IdType.PIN, code)


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("04A2B3C4", "04A2B3C4"),
        ("04a2b3c4", "04A2B3C4"),
        ("04a2B3c4D5e6F7", "04A2B3C4D5E6F7"),
        ("e004010012345678", "E004010012345678"),
        ("0102030405060708090a", "0102030405060708090A"),
    ],
)
def test_valid_rfid_uids_are_upper_cased(code: str, canonical: str) -> None:
    assert normalize(IdType.RFID, code) == canonical


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "hexadecimal"),
        ("04A2B3G4", "hexadecimal"),
        ("0x04A2B3C4", "hexadecimal"),
        ("04:A2:B3:C4", "hexadecimal"),
        ("04A2B3C4 ", "hexadecimal"),
        ("04A2B3C4\n", "hexadecimal"),
        ("#1234", "hexadecimal"),
        ("０４A2B3C4", "hexadecimal"),  # fullwidth digits
        ("04A2B3C", "(3.5 given)"),
        ("04A2B3", "(3 given)"),
        ("04A2B3C4D5", "(5 given)"),
        ("04A2B3C4D5E6F7A8B9C0D1", "(11 given)"),
    ],
)
def test_invalid_rfid_uids_say_why(code: str, reason: str) -> None:
    with pytest.raises(InvalidCode, match=re.escape(reason)):
        normalize(IdType.RFID, code)


def test_invalid_code_is_a_value_error() -> None:
    assert issubclass(InvalidCode, ValueError)


def _normalize_or_error(id_type: IdType, code: str) -> str | InvalidCode:
    try:
        return normalize(id_type, code)
    except InvalidCode as exc:
        return exc


# Strings close to valid codes, plus any text at all.
_pin_like = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["#", "", "##", " #"]),
    st.text(alphabet=st.characters(categories=["Nd"]) | st.sampled_from("0123456789a #"), max_size=10),
)
_rfid_like = st.text(
    alphabet=st.characters(categories=["Nd", "Lu", "Ll"]) | st.sampled_from("0123456789abcdefABCDEF"),
    max_size=22,
)
_codes = _pin_like | _rfid_like | st.text(max_size=24)


@given(id_type=st.sampled_from(IdType), code=_codes)
@PROPERTY_SETTINGS
def test_normalize_returns_the_canonical_form_or_says_why_not(id_type: IdType, code: str) -> None:
    canonical = _normalize_or_error(id_type, code)
    if isinstance(canonical, InvalidCode):
        assert str(canonical).strip()  # a refusal always says which rule was broken
        return
    if id_type is IdType.PIN:
        assert CANONICAL_PIN.fullmatch(canonical), canonical
        assert canonical == code
    else:
        assert CANONICAL_RFID.fullmatch(canonical), canonical
        assert canonical == code.upper()
    assert normalize(id_type, canonical) == canonical  # idempotent
    assert len(canonical) <= 20  # fits the 1.6 idTag (CiString20) and the 2.0.1 idToken (36)


@given(id_type=st.sampled_from(IdType), code=_codes)
@PROPERTY_SETTINGS
def test_codes_travel_with_the_right_wire_type(id_type: IdType, code: str) -> None:
    canonical = _normalize_or_error(id_type, code)
    if isinstance(canonical, InvalidCode):
        return
    token = to_wire(id_type, canonical)
    assert token.value == canonical
    assert token.value_201 == canonical.removeprefix("#")  # 2.0.1: an identifierString, no '#'
    assert from_wire_201(token.value_201, token.type_201) == canonical
    assert WIRE_TYPE_TO_ID_TYPE[token.type_201] is id_type
    assert guess_type_from_idtag(token.value) is id_type  # 1.6: only the idTag travels


@pytest.mark.parametrize(
    ("id_type", "code", "token"),
    [
        (IdType.PIN, "#1234", WireToken("#1234", "KeyCode")),
        (IdType.RFID, "04A2B3C4", WireToken("04A2B3C4", "ISO14443")),
        (IdType.RFID, "04A2B3C4D5E6F7", WireToken("04A2B3C4D5E6F7", "ISO14443")),
        (IdType.RFID, "E004010012345678", WireToken("E004010012345678", "ISO15693")),
        (IdType.RFID, "0102030405060708090A", WireToken("0102030405060708090A", "ISO14443")),
    ],
)
def test_to_wire(id_type: IdType, code: str, token: WireToken) -> None:
    assert to_wire(id_type, code) == token


@pytest.mark.parametrize(
    ("id_tag", "id_type"), [("#1234", IdType.PIN), ("04A2B3C4", IdType.RFID), ("", IdType.RFID)]
)
def test_guess_type_from_idtag(id_tag: str, id_type: IdType) -> None:
    assert guess_type_from_idtag(id_tag) is id_type
