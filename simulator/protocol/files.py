"""Firmware and log requests whose payloads 1.6's security extension and 2.0.1 share (SignedUpdateFirmware
/ UpdateFirmware's `firmware`, GetLog), read into the station's neutral requests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evharness.ocppj.timefmt import parse_timestamp
from evharness.simulator.core.codec import StationView
from evharness.simulator.core.firmware import UpdateRequest
from evharness.simulator.core.logs import LogRequest

DEFAULT_RETRY_INTERVAL_S = 60.0  # when the CSMS gives no retryInterval


def firmware_request(payload: Mapping[str, Any], *, secure: bool = False) -> UpdateRequest:
    """The request of a 2.0.1 UpdateFirmware or a 1.6 SignedUpdateFirmware (same fields)."""
    firmware = payload["firmware"]
    install = firmware.get("installDateTime")
    return UpdateRequest(
        location=firmware["location"],
        retrieve_at=parse_timestamp(firmware["retrieveDateTime"]).timestamp(),
        request_id=payload["requestId"],
        install_at=None if install is None else parse_timestamp(install).timestamp(),
        retries=payload.get("retries", 0),
        retry_interval_s=float(payload.get("retryInterval", DEFAULT_RETRY_INTERVAL_S)),
        signing_certificate=firmware.get("signingCertificate"),
        signature=firmware.get("signature"),
        secure=secure,
    )


def get_log(view: StationView, payload: Mapping[str, Any], now: float) -> dict[str, Any]:
    """GetLog (2.0.1 N01, 1.6 security extension): the answer and the file's name."""
    request = LogRequest(
        location=payload["log"]["remoteLocation"],
        log_type=payload["logType"],
        request_id=payload["requestId"],
        retries=payload.get("retries", 0),
        retry_interval_s=float(payload.get("retryInterval", DEFAULT_RETRY_INTERVAL_S)),
    )
    status, filename = view.get_log(request, now)
    answer: dict[str, Any] = {"status": status}
    if filename is not None:
        answer["filename"] = filename[:255]
    return answer
