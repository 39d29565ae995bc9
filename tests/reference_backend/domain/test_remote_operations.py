"""`domain.remote_operations.build`: identifier fields (reservation group, transaction id) are sent as
given or refused naming the field — never cut or passed on when they are not 2.0.1 identifierStrings."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.reference_backend.domain.problems import InvalidInput
from evharness.reference_backend.domain.remote_operations import Request, build

IDENTIFIER = re.compile(r"[a-zA-Z0-9*\-_=:+|@.]{1,36}")
TOKEN = "04A1B2C3"

# (operation, on 1.6, field, the request with `value` in that field)
CASES = [
    ("reserve", True, "group", lambda v: Request(id_tag=TOKEN, reservation_id=1, group=v)),
    ("reserve", False, "group", lambda v: Request(id_tag=TOKEN, reservation_id=1, group=v)),
    ("remote-stop", False, "transaction_id", lambda v: Request(transaction_id=v)),
    ("set-display-message", False, "transaction_id", lambda v: Request(content="x", transaction_id=v)),
]
BAD = ["G R", "grp#1", "ÄBC", "x" * 37, "tx/1", "a\nb"]


@pytest.mark.parametrize(("operation", "on_16", "field", "make"), CASES)
@pytest.mark.parametrize("value", BAD)
def test_a_value_that_is_no_identifier_is_refused_naming_the_field(
    operation: str, on_16: bool, field: str, make: Callable[[str], Request], value: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        build(operation, on_16, make(value))
    assert refused.value.field == field


def test_a_group_longer_than_a_16_parent_id_tag_is_refused_not_cut() -> None:
    with pytest.raises(InvalidInput) as refused:
        build("reserve", True, Request(id_tag=TOKEN, reservation_id=1, group="G" * 21))
    assert refused.value.field == "group"


@given(st.from_regex(IDENTIFIER, fullmatch=True))
def test_an_identifier_is_sent_as_given(value: str) -> None:
    _, reserve = build("reserve", False, Request(id_tag=TOKEN, reservation_id=1, group=value))
    assert reserve["groupIdToken"]["idToken"] == value
    _, stop = build("remote-stop", False, Request(transaction_id=value))
    assert stop["transactionId"] == value
