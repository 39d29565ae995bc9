"""OCPP timestamps: UTC, millisecond precision, `Z` suffix (strict CSMSs refuse more digits)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

_FORMATTED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")  # what format_timestamp writes


def format_timestamp(epoch_seconds: float) -> str:
    # isoformat truncates to milliseconds as `microsecond // 1000` would, at two thirds of strftime's cost
    # (a station formats one or more per frame)
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="milliseconds") + "Z"


def parse_timestamp(text: str) -> datetime:
    """Parse an RFC 3339 timestamp as sent on the wire; naive input is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def restamp(value: Any, moment_of: Callable[[float], float]) -> Any:
    """`value` (a payload) with every timestamp `format_timestamp` wrote moved to `moment_of(it)`;
    the rest as it is. How a station shows wall-clock times while its own clock runs faster."""
    if isinstance(value, str):
        if not _FORMATTED.fullmatch(value):
            return value
        return format_timestamp(moment_of(parse_timestamp(value).timestamp()))
    if isinstance(value, list):
        return [restamp(item, moment_of) for item in value]
    if isinstance(value, dict):
        return {key: restamp(item, moment_of) for key, item in value.items()}
    return value
