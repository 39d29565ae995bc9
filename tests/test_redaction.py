"""Masking PINs in frame text and log records: a 1.6 idTag `#1234`, a 2.0.1 KeyCode IdToken with or
without the `#`, in either key order, inside JSON, a repr or escaped JSON; card UIDs stay readable."""

from __future__ import annotations

import logging
import sys

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.idtokens import IdType
from evharness.redaction import (
    MASK,
    RedactingFilter,
    frame_for_people,
    guard_loggers,
    mask,
    mask_token,
    redact,
)


def frame(action: str, payload: object) -> str:
    return orjson.dumps([2, "5f0c2f5e-9d3c-4f7e-8f0a-2b1f1e4d6c7a", action, payload]).decode()


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (frame("Authorize", {"idTag": "#1234"}), "#1234"),
        (frame("StartTransaction", {"connectorId": 1, "idTag": "#98765432", "meterStart": 0}), "#98765432"),
        (frame("Authorize", {"idToken": {"idToken": "#1234", "type": "KeyCode"}}), "#1234"),
        (frame("Authorize", {"idToken": {"idToken": "1234", "type": "KeyCode"}}), '"1234"'),
        (frame("Authorize", {"idToken": {"type": "KeyCode", "idToken": "556677"}}), '"556677"'),
        ('{"idToken": {"idToken": "4321", "type": "KeyCode"}}', '"4321"'),  # with spaces
        (repr(frame("Authorize", {"idToken": {"idToken": "8080", "type": "KeyCode"}})), '"8080"'),
        (
            orjson.dumps(frame("Authorize", {"idToken": {"idToken": "2468", "type": "KeyCode"}})).decode(),
            "2468",
        ),
        ("StopTransaction for #2222 refused", "#2222"),
    ],
)
def test_pins_in_frame_text_are_masked(text: str, secret: str) -> None:
    assert secret in text
    cleaned = redact(text)
    assert secret not in cleaned
    assert MASK in cleaned


def test_card_uids_and_the_rest_of_the_frame_stay_readable() -> None:
    card = frame("Authorize", {"idToken": {"idToken": "04A2B3C4", "type": "ISO14443"}})
    assert redact(card) == card
    pin = frame("Authorize", {"idToken": {"idToken": "1234", "type": "KeyCode"}})
    assert orjson.loads(redact(pin))[3] == {"idToken": {"idToken": MASK, "type": "KeyCode"}}


@given(st.from_regex(r"#[0-9]{4,8}", fullmatch=True), st.sampled_from(["idTag", "info", "x"]))
def test_any_pin_anywhere_is_masked(pin: str, key: str) -> None:
    assert pin not in redact(frame("DataTransfer", {key: f"code {pin}!"}))


def test_mask_hides_pins_and_keycodes_only() -> None:
    assert mask(IdType.PIN, "#4821") == MASK
    assert mask(None, "#4821") == MASK
    assert mask(IdType.RFID, "04A2B3C4") == "04A2B3C4"
    assert mask_token("4821", "KeyCode") == MASK  # a KeyCode without '#' is a PIN all the same
    assert mask_token("04A2B3C4", "ISO14443") == "04A2B3C4"


def test_the_filter_rewrites_a_record_before_any_handler() -> None:
    record = logging.LogRecord(
        "websockets.client", logging.DEBUG, __file__, 1, "> %s", ('TEXT {"idTag":"#1234"}',), None
    )
    assert RedactingFilter().filter(record)
    assert record.getMessage() == '> TEXT {"idTag":"#****"}'
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "%s connected", ("CP-1",), None)
    RedactingFilter().filter(plain)
    assert plain.args == ("CP-1",)  # nothing to hide: left as it was


def test_guarding_a_logger_twice_adds_one_filter() -> None:
    guard_loggers(("evharness.test.guarded",))
    guard_loggers(("evharness.test.guarded",))
    assert len(logging.getLogger("evharness.test.guarded").filters) == 1


def test_a_traceback_quoting_a_pin_is_masked() -> None:
    try:
        raise KeyError('{"idTag":"#1234"}')
    except KeyError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RedactingFilter().filter(record)
    assert record.exc_text is not None
    assert "#1234" not in logging.Formatter().format(record)
    assert MASK in record.exc_text


def test_a_station_shows_its_own_tokens_and_masks_what_the_csms_sent() -> None:
    sent = frame("Authorize", {"idTag": "#4821"})
    assert frame_for_people("out", sent) == sent  # the tester's own test data
    local_list = frame("SendLocalList", {"localAuthorizationList": [{"idTag": "#7310"}]})
    assert "#7310" not in frame_for_people("in", local_list)


@pytest.mark.parametrize("direction", ["in", "out"])
def test_passwords_a_csms_sets_are_masked_both_ways(direction: str) -> None:
    v16 = frame("ChangeConfiguration", {"key": "AuthorizationKey", "value": "0123456789abcdef"})
    v201 = frame(
        "SetVariables",
        {"setVariableData": [{"attributeValue": "s3cret-passw0rd!", "component": {"name": "SecurityCtrlr"},
                              "variable": {"name": "BasicAuthPassword"}}]},
    )  # fmt: skip
    for text, secret in ((v16, "0123456789abcdef"), (v201, "s3cret-passw0rd!")):
        shown = frame_for_people(direction, text)
        assert secret not in shown
        assert MASK in shown
        orjson.loads(shown)
