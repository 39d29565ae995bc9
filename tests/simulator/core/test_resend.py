"""A state report the CSMS failed is sent again with the state as it is then (issue 20); one failed
for a format problem, or never implemented, is not. Transaction messages keep their own retries."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for

INTERVAL = 60.0  # OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent], the default
VERSIONS = [OcppVersion.V16, OcppVersion.V201]


class Peer:
    """A bare CSMS: answers each station CALL with `{}` unless told to fail the next report on
    connector 1; keeps the station's CALLs."""

    def __init__(self, version: OcppVersion) -> None:
        self.clock = ManualClock()
        self.station = Station(
            "RS-1", adapter_for(version), StationConfig(serial_number="RS-1"), self.clock.now()
        )
        self.calls: list[list[Any]] = []
        self.fail_with: str | None = None  # a CALLERROR code, or "timeout"

    def run(self, seconds: float = 0.0) -> None:
        """Exchange frames until quiet, then let `seconds` pass deadline by deadline."""
        target = self.clock.now() + seconds
        while True:
            self._exchange()
            deadline = self.station.next_deadline()
            if deadline is None or deadline > target:
                self.clock.set(target)
                self.station.tick(self.clock.now())
                self._exchange()
                return
            self.clock.set(deadline)
            self.station.tick(self.clock.now())

    def _exchange(self) -> None:
        while texts := self.station.data_to_send():
            for text in texts:
                self._answer(orjson.loads(text))

    def _answer(self, frame: list[Any]) -> None:
        if frame[0] != 2:
            return
        self.calls.append(frame)
        payload = frame[3]
        if frame[2] == "StatusNotification" and payload.get("connectorId") == 1 and self.fail_with:
            code, self.fail_with = self.fail_with, None
            if code != "timeout":
                error = [4, frame[1], code, "Call already in progress", {}]
                self.station.receive(orjson.dumps(error), self.clock.now())
            return
        answer: dict[str, Any] = {}
        if frame[2] == "BootNotification":
            answer = {
                "status": "Accepted",
                "interval": 3600,
                "currentTime": format_timestamp(self.clock.now()),
            }
        self.station.receive(orjson.dumps([3, frame[1], answer]), self.clock.now())

    def reports_on_1(self) -> list[str]:
        return [
            str(f[3].get("connectorStatus", f[3].get("status")))
            for f in self.calls
            if f[2] == "StatusNotification" and f[3].get("connectorId") == 1
        ]


def rpc_framework_error(version: OcppVersion) -> str:
    return "ProtocolError" if version is OcppVersion.V16 else "RpcFrameworkError"  # 1.6 has none


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
@pytest.mark.parametrize("code", ["RpcFrameworkError", "InternalError", "GenericError", "timeout"])
def test_a_failed_status_notification_is_sent_again(version: OcppVersion, code: str) -> None:
    peer = Peer(version)
    peer.fail_with = rpc_framework_error(version) if code == "RpcFrameworkError" else code
    peer.station.connection_made(peer.clock.now())
    peer.station.boot(peer.clock.now())
    peer.run(INTERVAL * 2)
    assert peer.reports_on_1() == ["Available", "Available"]
    assert peer.station.idle


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_report_is_sent_again_with_the_state_now_never_a_stale_one(version: OcppVersion) -> None:
    peer = Peer(version)
    peer.station.connection_made(peer.clock.now())
    peer.station.boot(peer.clock.now())
    peer.run()
    peer.fail_with = "InternalError"
    peer.station.plug_in(1, 1, peer.clock.now())  # Occupied / Preparing: reported, and failed
    peer.run(INTERVAL * 2)
    *_, failed, again = peer.reports_on_1()
    assert failed == again != "Available"
    assert peer.station.idle


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
@pytest.mark.parametrize("kind", ["format", "NotImplemented", "NotSupported"])
def test_a_report_refused_for_its_format_or_as_unknown_is_not_repeated(
    version: OcppVersion, kind: str
) -> None:
    peer = Peer(version)
    format_code = "FormationViolation" if version is OcppVersion.V16 else "FormatViolation"
    peer.fail_with = format_code if kind == "format" else kind
    peer.station.connection_made(peer.clock.now())
    peer.station.boot(peer.clock.now())
    peer.run(INTERVAL * 3)
    assert peer.reports_on_1() == ["Available"]
