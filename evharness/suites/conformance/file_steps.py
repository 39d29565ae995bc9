"""Steps of the firmware (2.0.1 L, 1.6 Firmware Management and the security extension's signed
firmware) and diagnostics (2.0.1 N, 1.6 GetDiagnostics / GetLog) cases; `conftest.py` imports them.

The operator makes the CSMS send UpdateFirmware, GetLog, monitoring and customer-information requests
through the driver; the tool-station then reports what a station would — the statuses of the update
or the upload, the monitoring report, the customer's data, an event — with the request id the CSMS
really sent, and the CSMS's answers are checked.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pytest_bdd import parsers, when

from evharness.conformance.session import Conformance
from evharness.ocppj.timefmt import format_timestamp

FIELD = re.compile(r'"<(requestId|now)>"')


def request_id(octt: Conformance) -> int | None:
    """The requestId of the CALL the operator last made the CSMS send, if it had one."""
    call = octt.csms_call
    if call is None:
        return None
    value = call.payload.get("requestId")
    return value if isinstance(value, int) else None


def _filled(octt: Conformance, text: str) -> dict[str, Any]:
    """`"<requestId>"` → the CSMS's requestId (0 when it sent none), `"<now>"` → the time now."""

    def value(match: re.Match[str]) -> str:
        if match[1] == "now":
            return json.dumps(format_timestamp(octt.now()))
        return json.dumps(request_id(octt) or 0)

    filled: dict[str, Any] = json.loads(FIELD.sub(value, text))
    return filled


@when(parsers.parse('the station reports "{action:w}" with status "{status:w}" for the request'))
def reports_for_the_request(octt: Conformance, action: str, status: str) -> None:
    payload: dict[str, Any] = {"status": status}
    number = request_id(octt)
    if number is not None:
        payload["requestId"] = number
    octt.send(action, payload)


@when(parsers.parse("the station sends {action:w} with the payload {payload}"))
def sends_payload(octt: Conformance, action: str, payload: str) -> None:
    octt.send(action, _filled(octt, payload))
