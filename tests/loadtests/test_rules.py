"""The load tests' own rules, without Locust: identities, settings, what counts as a failure."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from evharness import scenarios
from evharness.loadtests.identities import IdentityPool, PoolExhausted
from evharness.loadtests.sessions import Scenarios, expected_statuses, failure_reason
from evharness.loadtests.settings import LoadSettings, parse_stages
from evharness.ocppj.versions import OcppVersion
from evharness.scenarios.model import BootStep
from evharness.simulator.core.events import Authorized, CallFailed, RoundTrip
from evharness.simulator.core.outcomes import FirmwareOutcome, LogOutcome, choose
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from evharness.simulator.scenario.station_config import config_for_all


def options(**changes: str) -> SimpleNamespace:
    values = {
        "id_prefix": "LOAD",
        "first_number": "1",
        "id_stride": "100",
        "protocol": "1.6,2.0.1",
        "scenario": "pin_charging,rfid_charging",
        "scenario_weights": "3,1",
        "time_scale": "3600",
        "call_timeout": "10",
        "session_timeout": "60",
        "console_url": "http://127.0.0.1:8000",
        "outbox_dir": "",
        "timestamps": "simulated",
    }
    values.update(changes)
    return SimpleNamespace(**values)


class TestIdentityPool:
    def test_a_local_run_numbers_users_from_the_first_number(self) -> None:
        pool = IdentityPool("LOAD", 1, 100, worker_index=0)
        assert [pool.acquire()[1] for _ in range(3)] == ["LOAD-0001", "LOAD-0002", "LOAD-0003"]

    def test_workers_own_disjoint_blocks(self) -> None:
        taken: set[str] = set()
        for worker in range(3):
            pool = IdentityPool("LOAD", 1, 50, worker_index=worker)
            names = {pool.acquire()[1] for _ in range(50)}
            assert not names & taken
            taken |= names
        assert len(taken) == 150
        assert "LOAD-0051" in taken
        assert "LOAD-0150" in taken

    def test_a_stopped_user_gives_its_station_back_and_the_lowest_is_reused(self) -> None:
        pool = IdentityPool("LOAD", 1, 10, worker_index=0)
        first, _ = pool.acquire()
        second, _ = pool.acquire()
        pool.acquire()
        pool.release(second)
        pool.release(first)
        assert pool.acquire() == (first, "LOAD-0001")
        assert pool.in_use == 2

    def test_more_users_than_the_stride_is_an_error_naming_the_option(self) -> None:
        pool = IdentityPool("LOAD", 1, 2, worker_index=0)
        pool.acquire()
        pool.acquire()
        with pytest.raises(PoolExhausted, match="--id-stride"):
            pool.acquire()


class TestSettings:
    def test_options_are_converted(self) -> None:
        settings = LoadSettings.from_options(options())
        assert settings.protocols == (OcppVersion.V16, OcppVersion.V201)
        assert settings.scenarios == ("pin_charging", "rfid_charging")
        assert settings.weights == (3.0, 1.0)
        assert settings.id_stride == 100
        assert settings.outbox_dir == ""  # no outbox: the console user cannot confirm accounts

    def test_wall_timestamps_are_read(self) -> None:
        assert LoadSettings.from_options(options()).timestamps == "simulated"
        assert LoadSettings.from_options(options(timestamps="wall")).timestamps == "wall"

    def test_the_outbox_dir_is_read(self) -> None:
        assert LoadSettings.from_options(options(outbox_dir="var/outbox")).outbox_dir == "var/outbox"

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"scenario_weights": "1"}, "one non-negative weight per scenario"),
            ({"scenario_weights": "0,0"}, "not all zero"),
            ({"protocol": "1.5"}, "--protocol or EVHARNESS_PROTOCOL"),
            ({"id_stride": "many"}, "--id-stride or EVHARNESS_ID_STRIDE"),
            ({"time_scale": "0"}, "must be positive"),
            (
                {"timestamps": "local"},
                "'local' .from --timestamps or EVHARNESS_TIMESTAMPS.: choose simulated or wall",
            ),
        ],
    )
    def test_bad_values_name_flag_and_variable(self, change: dict[str, str], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            LoadSettings.from_options(options(**change))

    def test_ramp_stages(self) -> None:
        assert parse_stages("10:30, 50:60,0:5") == [(10, 30.0), (50, 60.0), (0, 5.0)]
        with pytest.raises(ValueError, match="USERS:SECONDS"):
            parse_stages("10:0")


class TestSessions:
    def test_sessions_are_the_scenarios_without_boot_and_boot_is_alone(self) -> None:
        plan = Scenarios(["pin_charging", "rfid_charging"], [1, 0])
        for session, full in zip(plan.sessions, plan.full, strict=True):
            assert not any(isinstance(step, BootStep) for step in session.steps)
            assert len(session.steps) == len(full.steps) - 1
        assert plan.boot.steps == [BootStep()]
        assert {plan.pick() for _ in range(20)} == {0}

    def test_expected_statuses_by_code(self) -> None:
        expected = expected_statuses(scenarios.load("pin_charging"))
        assert expected["#4821"] == {"Accepted"}
        assert expected["#0000"] == {"Invalid", "Unknown"}

    def test_the_load_station_decides_tokens_as_its_scenario_says(self) -> None:
        """A scenario's `station.local_auth` reaches the station a load user runs it on, as it does
        for `evharness sim`: the same conversion (it was once a copy that dropped the block)."""
        plan = Scenarios(["offline_cache", "pin_charging"], [1, 1])
        config = plan.station_config("LOAD-0001", 30.0)
        assert config == config_for_all(plan.full, "LOAD-0001", 30.0)
        station = Station("LOAD-0001", adapter_for(OcppVersion.V201), config, 0.0)
        assert station.device.flag("AuthCacheCtrlr.Enabled")
        assert station.device.flag("AuthCtrlr.LocalAuthorizeOffline")
        assert station.device.flag("AuthCtrlr.OfflineTxForUnknownIdEnabled")
        assert not station.device.flag("LocalAuthListCtrlr.Enabled")
        assert config.evses == 1
        assert config.serial_number == "LOAD-0001"

    def test_the_load_station_fails_firmware_and_logs_as_any_of_its_scenarios_says(self) -> None:
        """A station that runs several scenarios takes each one's `firmware` / `logs` outcomes, not
        only the first scenario's; two scenarios that disagree are refused, naming the setting."""
        plan = Scenarios(["pin_charging", "firmware_failures"], [1, 1])
        config = plan.station_config("LOAD-0001", 30.0)
        failing = scenarios.load("firmware_failures").station
        assert config.firmware == choose(FirmwareOutcome(), failing.firmware)
        assert config.logs == choose(LogOutcome(), failing.logs)
        other = scenarios.parse(
            {"name": "other", "station": {"logs": {"upload": "ok"}}, "tokens": [], "steps": ["boot"]}
        )
        with pytest.raises(ValueError, match="logs upload"):
            config_for_all([*plan.full, other], "LOAD-0001", 30.0)

    def test_what_fails_a_round_trip(self) -> None:
        expected = expected_statuses(scenarios.load("pin_charging"))
        trip = RoundTrip("Authorize", 0.0, 1.0, ok=True)
        assert failure_reason(trip, [Authorized(1, "#4821", "Accepted", 1.0)], expected) is None
        assert failure_reason(trip, [Authorized(1, "#0000", "Unknown", 1.0)], expected) is None
        reason = failure_reason(trip, [Authorized(1, "#4821", "Blocked", 1.0)], expected)
        assert reason == "token #****: Blocked, expected Accepted"  # Locust prints it: PIN masked
        failed = RoundTrip("Authorize", 0.0, 1.0, ok=False)
        error = CallFailed("Authorize", "InternalError", "Authorize failed", 1.0)
        assert failure_reason(failed, [error], expected) == "InternalError: Authorize failed"
        timed_out = CallFailed("Authorize", "Timeout", "no answer in time", 1.0)
        assert failure_reason(failed, [timed_out], expected) == "Timeout: no answer in time"
        assert failure_reason(failed, [], expected) == "failed"
