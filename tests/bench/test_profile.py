"""Reading py-spy's raw stacks: own time, time with callees and packages, as shares of the samples."""

from __future__ import annotations

from evharness.bench.profile import summarize

LOOP = "<module> (evharness/__main__.py);run (asyncio/runners.py)"
HANDLE = f"{LOOP};handle (reference_backend/ocpp_server.py)"
RAW = f"""\
{HANDLE};execute (sqlalchemy/engine/base.py) 6
{HANDLE};loads (orjson) 2
{LOOP};send (websockets/asyncio/connection.py) 2
a line py-spy never writes
"""


def test_summarize_gives_own_and_inclusive_shares_and_packages() -> None:
    summary = summarize(RAW)
    assert summary["samples"] == 10
    assert summary["own"] == [
        ["execute (sqlalchemy/engine/base.py)", 60.0],
        ["loads (orjson)", 20.0],
        ["send (websockets/asyncio/connection.py)", 20.0],
    ]
    inclusive = dict(summary["inclusive"])
    assert "<module> (evharness/__main__.py)" not in inclusive  # under every sample: scaffolding
    assert inclusive["handle (reference_backend/ocpp_server.py)"] == 80.0
    assert summary["packages"] == [["sqlalchemy", 60.0], ["orjson", 20.0], ["websockets", 20.0]]


def test_a_frame_that_recurses_counts_once_in_its_time_with_callees() -> None:
    summary = summarize("f (m.py);f (m.py);g (m.py) 3\nh (m.py) 1\n")
    assert dict(summary["inclusive"]) == {"f (m.py)": 75.0, "g (m.py)": 75.0, "h (m.py)": 25.0}
    assert summary["packages"] == [["m", 100.0]]


def test_no_samples_give_empty_tables() -> None:
    assert summarize("") == {"samples": 0, "own": [], "inclusive": [], "packages": []}
