"""A simulated station against a strict CSMS over real websockets (issue 20): valid 2.0.1 primitive
types in everything it sends (a PIN's KeyCode is its digits), and every CSMS CALL answered before
what it causes goes out — on 1.6 and 2.0.1 alike."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.core.model import StationConfig
from tests.strict_csms import StationSide, strict_csms, until

VERSIONS = [OcppVersion.V16, OcppVersion.V201]

INOPERATIVE: dict[OcppVersion, Payload] = {
    OcppVersion.V16: {"connectorId": 1, "type": "Inoperative"},
    OcppVersion.V201: {"operationalStatus": "Inoperative", "evse": {"id": 1}},
}


def after(side: StationSide, message_id: str) -> list[Any]:
    """The station's frames after it received our CALL `message_id`."""
    index = next(i for i, (d, f) in enumerate(side.frames) if d == "out" and f[0] == 2 and f[1] == message_id)
    return [f for d, f in side.frames[index + 1 :] if d == "in"]


def our_call(side: StationSide, action: str) -> str:
    (message_id,) = [f[1] for d, f in side.frames if d == "out" and f[0] == 2 and f[2] == action]
    return str(message_id)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_change_availability_is_answered_before_its_status_notification(version: OcppVersion) -> None:
    async def scenario() -> tuple[StationSide, Payload | str]:
        async with strict_csms(version) as csms:
            station = LiveStation("STRICT-1", version, csms.url)
            await station.connect()
            try:
                assert await station.boot() == "Accepted"
                side = await csms.station("STRICT-1")
                answer = await csms.call("STRICT-1", "ChangeAvailability", INOPERATIVE[version])
                await station.settle()
                await asyncio.sleep(0.05)
                return side, answer
            finally:
                await station.close()

    side, answer = asyncio.run(scenario())
    assert answer == {"status": "Accepted"}
    first, *rest = after(side, our_call(side, "ChangeAvailability"))
    assert first[0] == 3, first  # the CALLRESULT first ...
    status = [f[3] for f in rest if f[0] == 2 and f[2] == "StatusNotification"]
    state = "status" if version is OcppVersion.V16 else "connectorStatus"
    assert [s[state] for s in status] == ["Unavailable"]  # ... then what it caused
    assert side.violations == []


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_a_remote_stop_is_answered_before_the_transaction_ends(version: OcppVersion) -> None:
    async def scenario() -> StationSide:
        async with strict_csms(version) as csms:
            station = LiveStation("STRICT-2", version, csms.url)
            await station.connect()
            try:
                await station.boot()
                await station.plug_in()
                assert await station.present_token(IdType.RFID, "04A2B3C4") == "Accepted"
                await station.charge(seconds=300, power_kw=7.0)
                transaction = station.transaction()
                assert transaction is not None
                side = await csms.station("STRICT-2")
                if version is OcppVersion.V16:
                    stop: Payload = {"transactionId": transaction.csms_id}
                    action = "RemoteStopTransaction"
                else:
                    stop, action = {"transactionId": transaction.local_id}, "RequestStopTransaction"
                assert await csms.call("STRICT-2", action, stop) == {"status": "Accepted"}
                await station.settle()
                await asyncio.sleep(0.05)
                return side
            finally:
                await station.close()

    side = asyncio.run(scenario())
    action = "RemoteStopTransaction" if version is OcppVersion.V16 else "RequestStopTransaction"
    first, *rest = after(side, our_call(side, action))
    assert first[0] == 3, first
    ended = "StopTransaction" if version is OcppVersion.V16 else "TransactionEvent"
    assert ended in [f[2] for f in rest if f[0] == 2]
    assert side.violations == []


@pytest.mark.parametrize("version", [OcppVersion.V201, OcppVersion.V21], ids=lambda v: v.value)
def test_a_pin_session_passes_a_strict_csms(version: OcppVersion) -> None:
    """A strict CSMS refuses `{"idToken": "#4821", "type": "KeyCode"}` with FormatViolation."""

    async def scenario() -> StationSide:
        async with strict_csms(version) as csms:
            station = LiveStation("STRICT-3", version, csms.url)
            await station.connect()
            try:
                await station.boot()
                await station.plug_in()
                assert await station.present_token(IdType.PIN, "#4821") == "Accepted"
                await station.charge(seconds=600, power_kw=7.0)
                await station.stop()
                await station.unplug()
                assert station.failures() == []
                return await csms.station("STRICT-3")
            finally:
                await station.close()

    side = asyncio.run(scenario())
    assert side.violations == []
    (authorize,) = side.calls("Authorize")
    assert authorize["idToken"] == {"idToken": "4821", "type": "KeyCode"}
    tokens = {e["idToken"]["idToken"] for e in side.calls("TransactionEvent") if "idToken" in e}
    assert tokens == {"4821"}


def test_a_full_inventory_report_arrives_in_valid_pages_over_a_real_socket() -> None:
    """B07.FR.07/08 on the wire: the station answers GetBaseReport first, then sends its whole device model
    in NotifyReport pages a strict CSMS accepts: one requestId, seqNo 0, 1 … without a gap, tbc on all but
    the last, at most ItemsPerMessage[GetReport] rows each, every (component, variable) once."""

    async def scenario() -> tuple[StationSide, Payload | str, int]:
        async with strict_csms(OcppVersion.V201) as csms:
            config = StationConfig(serial_number="STRICT-REPORT", evses=8, connectors_per_evse=2)
            station = LiveStation("STRICT-REPORT", OcppVersion.V201, csms.url, config=config)
            await station.connect()
            try:
                await station.boot()
                side = await csms.station("STRICT-REPORT")
                answer = await csms.call(
                    "STRICT-REPORT", "GetBaseReport", {"requestId": 41, "reportBase": "FullInventory"}
                )
                await until(
                    lambda: any(not p["tbc"] for p in side.calls("NotifyReport")),
                    "the last NotifyReport page",
                )
                limit = station.station.device.number("DeviceDataCtrlr.ItemsPerMessage[GetReport]")
                return side, answer, limit
            finally:
                await station.close()

    side, answer, limit = asyncio.run(scenario())
    assert answer == {"status": "Accepted"}
    first = after(side, our_call(side, "GetBaseReport"))[0]
    assert first[0] == 3  # the answer before the first page
    pages = side.calls("NotifyReport")
    assert len(pages) > 1, "the report should need more than one page"
    assert [p["seqNo"] for p in pages] == list(range(len(pages)))
    assert {p["requestId"] for p in pages} == {41}
    assert [p["tbc"] for p in pages] == [True] * (len(pages) - 1) + [False]
    assert all(0 < len(p["reportData"]) <= limit for p in pages)
    rows = [
        (
            r["component"]["name"],
            r["component"].get("instance"),
            str(r["component"].get("evse")),
            r["variable"]["name"],
            r["variable"].get("instance"),
        )
        for p in pages
        for r in p["reportData"]
    ]
    assert len(rows) == len(set(rows))
    assert side.violations == []
