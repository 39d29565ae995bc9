"""The bench's HTML report: one static file with its charts inside, nothing fetched from anywhere."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest

from evharness.bench.figures import Figures
from evharness.bench.report import render


def trip(server_us: float, client_us: float) -> dict[str, Any]:
    return {"server_us": server_us, "client_us": client_us, "round_trips": 100, "round_trips_per_s": 900}


def locust_run(rate: float) -> dict[str, Any]:
    return {"series": [[0.0, 0.0], [1.0, rate], [2.0, rate]]}


def measured() -> dict[str, Any]:
    figures = Figures()
    figures.values = {
        "machine": {"cpus": 2, "load_average_at_start": 3.5},
        "cpu_per_round_trip": {
            "session_mix": {"asyncio": trip(600, 300), "uvloop": trip(500, 250)},
            "session_mix_ocpp_csms": trip(400, 300),
            "echo": {"asyncio": trip(50, 55), "uvloop": trip(30, 40)},
            "ocpp_client": {"ocpp_csms": trip(300, 400), "reference_backend": trip(700, 400)},
        },
        "idle_memory": {"1000": {"backend_kb_per_station": 19.5, "simulator_kb_per_station": 25.0}},
        "locust": {"bare_websocket_user": locust_run(8000), "one_worker": locust_run(2000)},
    }
    figures.add("backend_vs_echo", "backend CPU <per> round trip", "600 µs", "echo 50 µs", 12.0)
    return figures.as_json()


def images(page: str) -> list[str]:
    return re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}">', page)


def test_the_report_embeds_one_chart_per_measured_part_and_links_nothing_outside() -> None:
    page = render(measured())
    assert images(page) == [
        "CPU per round trip against the baselines",
        "Memory per idle station",
        "Locust rate over time",
    ]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN, no server
    assert "backend CPU &lt;per&gt; round trip" in page  # escaped
    assert '<td class="missed">no</td>' in page


def test_a_part_not_run_has_no_chart() -> None:
    report = measured()
    del report["figures"]["locust"], report["figures"]["idle_memory"]
    assert images(render(report)) == ["CPU per round trip against the baselines"]


def test_without_matplotlib_the_report_keeps_its_table_and_says_how_to_get_charts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    page = render(measured())
    assert images(page) == []
    assert "pip install 'evharness[charts]'" in page
    assert "backend CPU &lt;per&gt; round trip" in page


def test_a_profile_shows_its_tables_escaped() -> None:
    report = measured()
    report["figures"]["backend_profile"] = {
        "samples": 40,
        "raw": "var/bench/backend-profile.txt",
        "packages": [["sqlalchemy", 50.0]],
        "own": [["<lambda> (sqlalchemy/orm/session.py)", 50.0]],
        "inclusive": [["handle (reference_backend/ocpp_server.py)", 90.0]],
    }
    page = render(report)
    assert "<td>50.0 %</td><td>&lt;lambda&gt; (sqlalchemy/orm/session.py)</td>" in page
    assert "<td>90.0 %</td><td>handle (reference_backend/ocpp_server.py)</td>" in page
