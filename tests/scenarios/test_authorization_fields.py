"""The authorization fields of the scenario format: station `identification_types` and `local_auth`,
`present_token` `expect_start` / `decided_by`, the `await_local_list` step. Each is read as written,
reaches the station (1.6 keys and 2.0.1 variables) or the seeded backend, and a bad value gets an
error naming the file, the step or token, and the field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from evharness import scenarios
from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.scenarios import ScenarioError
from evharness.scenarios.model import AwaitLocalListStep, PresentTokenStep, Scenario
from evharness.seed import seed
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from evharness.simulator.scenario.station_config import LOCAL_AUTH_KEYS, config_for, local_auth_variables
from tests.simulator.pair import Pair, scenario_station

BASE: dict[str, Any] = {
    "name": "authorization fields",
    "station": {
        "evses": 2,
        "identification_types": ["pin", "rfid"],
        "local_auth": {"local_authorize_offline": True, "authorization_cache_enabled": True},
    },
    "tokens": [
        {"id": "driver", "type": "pin", "code": "#4821", "expect": "Accepted"},
        {"id": "card", "type": "rfid", "code": "04a2b3c4", "expect": "Accepted"},
    ],
    "steps": [
        "boot",
        {"await_local_list": {"entries": 2, "timeout": "5m"}},
        {"present_token": {"token": "driver", "decided_by": "csms"}},
        {
            "present_token": {
                "token": "driver",
                "evse": 2,
                "expect": "Accepted",
                "expect_start": "ConcurrentTx",
            }
        },
        {"go_offline": {"duration": "10m"}},
        {"present_token": {"token": "card", "decided_by": "local_list"}},
    ],
}


def changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    content = copy.deepcopy(BASE)
    change(content)
    return content


def station(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda content: content["station"].update(fields)


def local_auth(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda content: content["station"]["local_auth"].update(fields)


def step_at(number: int, step: Any) -> Callable[[dict[str, Any]], None]:
    return lambda content: content["steps"].__setitem__(number - 1, step)


def load_error(tmp_path: Path, content: dict[str, Any]) -> tuple[Path, str]:
    path = tmp_path / "auth.yaml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        scenarios.load(path)
    return path, str(caught.value)


# --- read as written --------------------------------------------------------------------------------


def test_the_fields_read_as_written() -> None:
    scenario = scenarios.parse(BASE, "auth.yaml")
    assert scenario.station.identification_types == [IdType.PIN, IdType.RFID]
    assert scenario.station.local_auth.local_authorize_offline is True
    assert scenario.station.local_auth.local_pre_authorize is None  # unset: the station's default
    awaited = scenario.steps[1]
    assert isinstance(awaited, AwaitLocalListStep)
    assert awaited.await_local_list is not None
    assert (awaited.await_local_list.entries, awaited.await_local_list.timeout) == (2, 300.0)
    presents = [step.present_token for step in scenario.steps if isinstance(step, PresentTokenStep)]
    assert [(p.expect, p.expect_start, p.decided_by) for p in presents] == [
        (None, None, "csms"),
        (["Accepted"], ["ConcurrentTx"], None),
        (None, None, "local_list"),
    ]


def test_the_new_fields_are_optional_and_the_old_files_unchanged() -> None:
    scenario = scenarios.parse({"name": "x", "steps": ["boot", "await_local_list"]})
    assert scenario.station.identification_types is None
    assert scenario.station.local_auth.model_dump(exclude_none=True) == {}
    awaited = scenario.steps[1]
    assert isinstance(awaited, AwaitLocalListStep)
    assert awaited.await_local_list is None
    for name in ("pin_charging", "rfid_charging", "offline_charging", "boot_only"):
        old = scenarios.load(name)
        assert old.station.identification_types is None
        assert local_auth_variables(old.station.local_auth) == ()


@pytest.mark.parametrize("name", ["pin_outcomes", "rfid_outcomes", "offline_authorization", "offline_cache"])
def test_the_authorization_scenarios_are_bundled(name: str) -> None:
    scenario = scenarios.load(name)
    assert name in scenarios.bundled()
    assert any(isinstance(step, PresentTokenStep) for step in scenario.steps)
    assert scenarios.resolve(name).read_text(encoding="utf-8").startswith("# ")  # the header comment


# --- the station gets its local_auth, on both versions ---------------------------------------------


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize("field", sorted(LOCAL_AUTH_KEYS))
def test_local_auth_reaches_the_1_6_key_and_the_2_0_1_variable(field: str, value: bool) -> None:
    scenario = scenarios.parse({"name": "x", "station": {"local_auth": {field: value}}, "steps": ["boot"]})
    config = config_for(scenario, "CFG-1", call_timeout_s=30.0)
    key = LOCAL_AUTH_KEYS[field]
    for version in (OcppVersion.V16, OcppVersion.V201):
        device = Station("CFG-1", adapter_for(version), config, 0.0).device
        assert device.get_key(key) == (str(value).lower(), False)
        variable = {
            "LocalAuthorizeOffline": ("AuthCtrlr", "LocalAuthorizeOffline"),
            "LocalPreAuthorize": ("AuthCtrlr", "LocalPreAuthorize"),
            "AuthorizationCacheEnabled": ("AuthCacheCtrlr", "Enabled"),
            "LocalAuthListEnabled": ("LocalAuthListCtrlr", "Enabled"),
            "AllowOfflineTxForUnknownId": ("AuthCtrlr", "OfflineTxForUnknownIdEnabled"),
        }[key]
        assert device.get_variable(*variable) == ("Accepted", str(value).lower())


# --- the seed enables the station's identification types ------------------------------------------


def enabled_types(store: Store, identity: str) -> frozenset[IdType]:
    station_id = store.find_station_id(identity)
    assert station_id is not None
    return store.lookup_token(station_id, IdType.PIN, "#0000").enabled_types


def test_seed_enables_exactly_the_scenarios_types_and_leaves_them_when_unnamed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seed.sqlite3'}"
    seed(url, scenarios.load("pin_outcomes"), 1, "TYP")
    store = Store.from_url(url)
    try:
        assert enabled_types(store, "TYP-0001") == {IdType.PIN}
        seed(url, scenarios.load("pin_charging"), 1, "TYP")  # names no types: the setting stays
        assert enabled_types(store, "TYP-0001") == {IdType.PIN}
        seed(url, scenarios.load("rfid_outcomes"), 1, "TYP")
        assert enabled_types(store, "TYP-0001") == {IdType.RFID}
        seed(url, scenarios.parse(changed(station(identification_types=["rfid", "pin"]))), 1, "TYP")
        assert enabled_types(store, "TYP-0001") == {IdType.PIN, IdType.RFID}
    finally:
        store.dispose()


# --- errors name the file, the step or token, and the field ---------------------------------------

ERRORS = [
    pytest.param(
        station(identification_types=["pin", "barcode"]),
        "station.identification_types.1: Input should be 'pin' or 'rfid'",
        id="unknown-type",
    ),
    pytest.param(
        station(identification_types=[]),
        "station.identification_types: List should have at least 1 item",
        id="no-type",
    ),
    pytest.param(
        station(identification_types=["pin", "pin"]),
        "station.identification_types: each type once, not ['pin', 'pin']",
        id="duplicate-type",
    ),
    pytest.param(
        station(identification_types="pin"),
        "station.identification_types: Input should be a valid list",
        id="type-not-a-list",
    ),
    pytest.param(
        station(identification_types=["pin"]),
        "token 2 (card), field expect: a rfid token cannot be Accepted: station.identification_types "
        "does not enable rfid",
        id="accepted-but-type-not-enabled",
    ),
    pytest.param(
        local_auth(local_pre_authorize="sometimes"),
        "station.local_auth.local_pre_authorize: Input should be a valid boolean",
        id="local-auth-not-a-boolean",
    ),
    pytest.param(
        local_auth(cache_please=True),
        "station.local_auth.cache_please: Extra inputs are not permitted",
        id="local-auth-unknown-field",
    ),
    pytest.param(
        station(local_auth=["local_authorize_offline"]),
        "station.local_auth: Input should be a valid",
        id="local-auth-not-a-mapping",
    ),
    pytest.param(
        step_at(3, {"present_token": {"token": "driver", "expect_start": "Later"}}),
        "step 3 (present_token), field expect_start.0: Input should be 'Accepted'",
        id="bad-expect-start",
    ),
    pytest.param(
        step_at(3, {"present_token": {"token": "driver", "decided_by": "the_moon"}}),
        "step 3 (present_token), field decided_by: Input should be 'csms', 'local_list', 'cache' or "
        "'offline_policy'",
        id="bad-decided-by",
    ),
    pytest.param(
        local_auth(local_auth_list_enabled=False),
        "step 2 (await_local_list), field (value): station.local_auth.local_auth_list_enabled is false",
        id="await-a-list-the-station-does-not-keep",
    ),
    pytest.param(
        lambda c: (c["steps"].pop(1), c["station"]["local_auth"].update(local_auth_list_enabled=False)),
        "step 5 (present_token), field decided_by: station.local_auth.local_auth_list_enabled is false",
        id="decided-by-a-disabled-list",
    ),
    pytest.param(
        lambda c: (
            local_auth(authorization_cache_enabled=False)(c),
            step_at(6, {"present_token": {"token": "card", "decided_by": "cache"}})(c),
        ),
        "step 6 (present_token), field decided_by: station.local_auth.authorization_cache_enabled is false",
        id="decided-by-a-disabled-cache",
    ),
    pytest.param(
        step_at(2, {"await_local_list": {"entries": 0}}),
        "step 2 (await_local_list), field entries: Input should be greater than or equal to 1",
        id="await-no-entries",
    ),
    pytest.param(
        step_at(2, {"await_local_list": {"timeout": "0s"}}),
        "step 2 (await_local_list), field timeout: a timeout must be greater than 0",
        id="await-zero-timeout",
    ),
    pytest.param(
        step_at(2, {"await_local_list": {"timeout": "whenever"}}),
        "step 2 (await_local_list), field timeout: a duration is a number of seconds",
        id="await-bad-timeout",
    ),
    pytest.param(
        step_at(2, {"await_local_list": {"version": 3}}),
        "step 2 (await_local_list), field version: Extra inputs are not permitted",
        id="await-unknown-field",
    ),
]


@pytest.mark.parametrize(("change", "fragment"), ERRORS)
def test_a_bad_authorization_field_is_named(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], fragment: str
) -> None:
    path, message = load_error(tmp_path, changed(change))
    assert message.startswith(f"{path}: {fragment}"), message


def test_the_json_schema_describes_the_new_fields() -> None:
    text = str(Scenario.model_json_schema())
    for name in ("identification_types", "local_auth", "expect_start", "decided_by", "await_local_list"):
        assert name in text, name


# --- a list that never comes fails the step at its timeout, it does not hang ----------------------


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_local_list_that_never_comes_fails_at_the_timeout(tmp_path: Path, version: OcppVersion) -> None:
    """The in-memory CSMS session never sends a list (the backend's sync runs beside it)."""
    url = f"sqlite:///{tmp_path / 'pair.sqlite3'}"
    scenario = scenarios.parse(
        {"name": "no list", "steps": ["boot", {"await_local_list": {"timeout": "5m"}}, {"wait": "1m"}]}
    )
    seed(url, scenario, 1, "NOL")
    store = Store.from_url(url)
    try:
        pair = Pair.open("NOL-0001", version, store, scenario_station(scenario, "NOL-0001"))
        runner = pair.run(scenario)
    finally:
        store.dispose()
    assert runner.done
    (failed,) = runner.failed
    assert (failed.step, failed.what) == (2, "local authorization list of 1+ entries received")
    assert failed.actual == "0 entries (version 0) after 300 s"
