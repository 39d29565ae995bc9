"""OCPP timestamps: UTC, exactly three fractional digits, `Z`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.ocppj import schemas
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp

from .helpers import PROPERTY_SETTINGS, VERSIONS

WIRE_FORMAT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")

# 1970-01-01 … 9999-12-31T23:59:59.999: the range a real OCPP timestamp lives in.
EPOCHS = st.floats(min_value=0, max_value=253402300799.999, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("epoch", "text"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (0.5, "1970-01-01T00:00:00.500Z"),
        (1700000000.123456, "2023-11-14T22:13:20.123Z"),
        (1700000000.9999, "2023-11-14T22:13:20.999Z"),  # cut, never rounded up into the next second
        (1714564800, "2024-05-01T12:00:00.000Z"),
        (951782400, "2000-02-29T00:00:00.000Z"),
    ],
)
def test_format_timestamp_examples(epoch: float, text: str) -> None:
    assert format_timestamp(epoch) == text


@given(epoch=EPOCHS)
@PROPERTY_SETTINGS
def test_format_timestamp_has_three_fraction_digits_and_z(epoch: float) -> None:
    text = format_timestamp(epoch)
    assert WIRE_FORMAT.fullmatch(text), text
    back = parse_timestamp(text)
    assert back.tzinfo is not None
    assert back.utcoffset() == timedelta(0)
    # millisecond precision, cut towards the past (allowing for float rounding of large epochs)
    assert -1e-4 <= epoch - back.timestamp() < 1e-3 + 1e-4


@given(epoch=EPOCHS)
@PROPERTY_SETTINGS
def test_formatted_timestamps_pass_the_official_date_time_format(epoch: float) -> None:
    text = format_timestamp(epoch)
    for version in VERSIONS:
        validate = schemas.validator(version, "Heartbeat", response=True)
        assert validate is not None
        assert schemas.check(validate, {"currentTime": text}) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:00:00Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01T12:00:00z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01T12:00:00.250Z", datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)),
        ("2024-05-01T14:00:00+02:00", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01T12:00:00", datetime(2024, 5, 1, 12, tzinfo=UTC)),  # naive: taken as UTC
    ],
)
def test_parse_timestamp(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed.tzinfo is not None


def test_parse_timestamp_keeps_the_offset_it_was_given() -> None:
    parsed = parse_timestamp("2024-05-01T14:00:00+02:00")
    assert parsed.utcoffset() == timezone(timedelta(hours=2)).utcoffset(None)


@pytest.mark.parametrize("text", ["", "yesterday", "2024-13-01T00:00:00Z", "2024-05-01T25:00:00Z"])
def test_parse_timestamp_refuses_garbage(text: str) -> None:
    with pytest.raises(ValueError, match=r"Invalid isoformat|out of range|must be in"):
        parse_timestamp(text)
