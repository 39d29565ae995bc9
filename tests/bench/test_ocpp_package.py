"""The `ocpp` package's CSMS, the bench's baseline, answers like a CSMS holding the scenarios' tokens."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from websockets.asyncio.client import connect

from evharness.bench.measure import Server, run_child


@pytest.fixture(scope="module")
def csms() -> Iterator[Server]:
    with Server.start(["ocpp-csms", "0"], "OCPP-CSMS") as server:
        yield server


async def call(url: str, protocol: str, action: str, payload: dict[str, object]) -> list[object]:
    async with connect(f"{url}/BASE-1", subprotocols=[protocol]) as websocket:  # type: ignore[list-item]
        await websocket.send(json.dumps([2, "m-1", action, payload]))
        answer: list[object] = json.loads(await websocket.recv())
        return answer


@pytest.mark.parametrize(
    ("code", "status"),
    [("#4821", "Accepted"), ("#7310", "Blocked"), ("0A1B2C3D", "Invalid"), ("CAFEBABE", "Invalid")],
)
def test_authorize_answers_the_scenarios_first_expected_status(csms: Server, code: str, status: str) -> None:
    answer16 = asyncio.run(call(csms.url, "ocpp1.6", "Authorize", {"idTag": code}))
    assert answer16 == [3, "m-1", {"idTagInfo": {"status": status}}]
    token = {"idToken": code, "type": "KeyCode" if code.startswith("#") else "ISO14443"}
    answer201 = asyncio.run(call(csms.url, "ocpp2.0.1", "Authorize", {"idToken": token}))
    assert answer201 == [3, "m-1", {"idTokenInfo": {"status": status}}]


def test_a_malformed_payload_gets_the_packages_callerror(csms: Server) -> None:
    answer = asyncio.run(call(csms.url, "ocpp1.6", "Authorize", {"idTag": 17}))
    assert answer[:3] == [4, "m-1", "TypeConstraintViolation"]


def test_the_ocpp_charge_point_loop_runs_against_it_without_errors(csms: Server) -> None:
    result = run_child(["ocpp-cp", csms.url, "3", "2", "OCPPCP", "04A2B3C4D5{n:04X}"], timeout=60).result
    assert (result["round_trips"], result["errors"]) == (3 * 2 * 4, 0), result
    assert result["cpu_s"] > 0
    assert result["wall_s"] > 0


def test_a_refused_card_is_counted_as_errors_by_the_charge_point_loop(csms: Server) -> None:
    result = run_child(["ocpp-cp", csms.url, "2", "1", "OCPPCP", "#7310"], timeout=60).result
    assert result["errors"] == 2, result  # Authorize and StartTransaction say Blocked on each connection
    assert all("2 refusals" in error for error in result["first_errors"]), result
