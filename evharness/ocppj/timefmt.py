"""OCPP timestamps: UTC, millisecond precision, `Z` suffix (strict CSMSs refuse more digits)."""

from __future__ import annotations

from datetime import UTC, datetime


def format_timestamp(epoch_seconds: float) -> str:
    # isoformat truncates to milliseconds as `microsecond // 1000` would, at two thirds of strftime's cost
    # (a station formats one or more per frame)
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="milliseconds") + "Z"


def parse_timestamp(text: str) -> datetime:
    """Parse an RFC 3339 timestamp as sent on the wire; naive input is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
