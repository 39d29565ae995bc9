"""PIN codes are never written to logs in clear: a whole PIN session between a live station and the
reference backend, on 1.6 and 2.0.1, with every logger at DEBUG (websockets prints each frame), and the
conformance harness's frame log and report. The station's own frame evidence and control-API view show
what the station sent (the tester's own test data, issue 13) and mask what the CSMS sent (its local
list's PINs)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evharness.conformance import report
from evharness.conformance.checks import Frame, Side, render
from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence.records import ProvisionedIdentification
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.state import station_state
from tests.reference_backend.test_local_list_sync import synced, until

PIN = "#7319"  # provisioned, so it also travels in the SendLocalList
VERSIONS = [OcppVersion.V16, OcppVersion.V201]


class Row:
    """A conformance report row, as `report.write` reads it."""

    def __init__(self, reason: str, log: str) -> None:
        self.case_id, self.title, self.nodeid = "TC_C_01_CSMS", "PIN", "features/x.feature::pin"
        self.verdict, self.duration, self.reason, self.log = "FAIL", 0.1, reason, log


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_pin_session_leaves_no_pin_in_any_log(
    sqlite_url: str, version: OcppVersion, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: every logger, websockets' frame lines included
    wire: list[tuple[str, str, float]] = []

    async def scenario() -> None:
        settings = BackendSettings(ocpp_port=0, api_port=0, database_url=sqlite_url)
        async with BackendServer(settings) as backend:
            station_id, _ = backend.store.ensure_station("SIM-PIN", datetime.now(UTC))
            backend.ocpp.gate.records.save("SIM-PIN", pins_on_profile_0=True)  # docs/security.md
            backend.store.provision(station_id, [ProvisionedIdentification(IdType.PIN, PIN, "Ada", "Pin")])
            station = LiveStation(
                "SIM-PIN", version, backend.ocpp_url, on_frame=lambda d, t, at: wire.append((d, t, at))
            )
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                await until(lambda: synced(backend, station, station_id, 1))
                await station.plug_in()
                assert await station.present_token(IdType.PIN, PIN) == "Accepted"
                assert await station.charge(energy_kwh=1) > 0
                await station.stop()
                await station.unplug()
                assert station.failures() == []
                evidence = [(direction, text) for direction, text, _ in station.station.frame_log]
                view = str(station_state(station.station, station.clock.now(), frames=64))
            finally:
                await station.close()
        harness_log = render([Frame(Side.STATION if d == "out" else Side.CSMS, t, at) for d, t, at in wire])
        page = report.write(tmp_path, [Row(f"expected Accepted for {PIN}", harness_log)], 0.0)
        files = [page.read_text(), *(f.read_text() for f in (tmp_path / "logs").iterdir())]

        # on 1.6 the idTag is the PIN; on 2.0.1 a KeyCode IdToken carries its digits (issue 20)
        spoken = PIN if version is OcppVersion.V16 else f'"{PIN.removeprefix("#")}"'
        assert any(spoken in text for _, text, _ in wire)  # the PIN did travel, in clear, on the wire
        assert any(r.name.startswith("websockets") and "TEXT" in r.getMessage() for r in caplog.records)
        assert PIN not in caplog.text
        assert spoken not in caplog.text
        assert all(PIN not in r.getMessage() for r in caplog.records)
        assert any(spoken in text for direction, text in evidence if direction == "out")  # the tester's own
        received = [text for direction, text in evidence if direction == "in"]
        assert any("SendLocalList" in text for text in received)
        assert all(PIN not in text and spoken not in text for text in received)  # the CSMS's list: masked
        assert "****" in view
        assert all(PIN not in text for text in files)

    asyncio.run(scenario())
