"""The scenario format: bundled files load, every kind of broken file gets an error that names the
file, the step and the field, provisioning is derived from `expect`, durations parse."""

from __future__ import annotations

import copy
import json
import math
import re
import string
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from evharness import scenarios
from evharness.idtokens import IdType
from evharness.scenarios import ScenarioError
from evharness.scenarios.model import (
    STEP_TYPES,
    BootStep,
    ChargeStep,
    EmsLimitStep,
    PlugInStep,
    PresentTokenStep,
    Provision,
    Scenario,
    StopStep,
    Token,
    UnplugStep,
    WaitStep,
    parse_duration,
)

STEP_KINDS = (
    "boot", "plug_in", "present_token", "charge", "stop", "unplug", "wait", "go_offline", "fault",
    "await_local_list", "data_transfer", "certificates", "renew_certificate", "security_event",
    "ems_limit", "ev_needs", "await_cost",
)  # fmt: skip
UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}

# A small valid scenario; each broken case below changes one thing in a copy of it.
BASE: dict[str, Any] = {
    "name": "broken on purpose",
    "tokens": [
        {"id": "driver", "type": "pin", "code": "#4821", "expect": "Accepted"},
        {"id": "card", "type": "rfid", "code": "04a2b3c4", "expect": "Accepted"},
    ],
    "steps": [
        "boot",
        {"plug_in": {"connector": 1}},
        {"present_token": {"token": "driver"}},
        {"charge": {"energy_kwh": 2}},
        "stop",
        "unplug",
    ],
}


def write(tmp_path: Path, content: dict[str, Any] | str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content), encoding="utf-8")
    return path


def changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    content = copy.deepcopy(BASE)
    change(content)
    return content


def token_field(index: int, **fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda content: content["tokens"][index].update(fields)


def step_at(number: int, step: Any) -> Callable[[dict[str, Any]], None]:
    """Replace step `number` (1-based, as error messages count)."""
    return lambda content: content["steps"].__setitem__(number - 1, step)


def load_error(path: Path) -> str:
    with pytest.raises(ScenarioError) as caught:
        scenarios.load(path)
    return str(caught.value)


# --- bundled scenarios ---------------------------------------------------------------------------


def test_the_bundled_scenarios_are_found() -> None:
    shipped = scenarios.bundled()
    assert {"pin_charging", "rfid_charging"} <= set(shipped)
    for name, path in shipped.items():
        assert path.name == f"{name}.yaml"
        assert path.is_file()


@pytest.mark.parametrize("name", sorted(scenarios.bundled()))
def test_every_bundled_scenario_loads_by_name_and_by_path(name: str) -> None:
    by_name = scenarios.load(name)
    by_path = scenarios.load(scenarios.bundled()[name])
    assert by_name == by_path
    assert by_name.name
    assert by_name.steps
    assert all(token.provision is not None for token in by_name.tokens)


def test_pin_charging_reads_as_written() -> None:
    scenario = scenarios.load("pin_charging")
    assert scenario.name == "PIN charging"
    assert scenario.station.max_power_kw == 11
    assert scenario.station.meter_interval == 60.0
    tokens = {t.id: (t.type, t.code, t.expect, t.provisioning) for t in scenario.tokens}
    assert tokens == {
        "driver": (IdType.PIN, "#4821", ["Accepted"], Provision.ACTIVE),
        "blocked-driver": (IdType.PIN, "#7310", ["Blocked"], Provision.BLOCKED),
        "expired-pin": (IdType.PIN, "#5150", ["Expired", "Invalid"], Provision.EXPIRED),
        "unknown-pin": (IdType.PIN, "#0000", ["Invalid", "Unknown"], Provision.ABSENT),
    }
    assert scenario.token("driver").first_name == "Ada"
    assert [type(step) for step in scenario.steps] == [
        BootStep, PlugInStep, PresentTokenStep, PresentTokenStep, PresentTokenStep, PresentTokenStep,
        ChargeStep, StopStep, UnplugStep, WaitStep,
    ]  # fmt: skip
    charge = scenario.steps[6]
    assert isinstance(charge, ChargeStep)
    assert (charge.charge.energy_kwh, charge.charge.duration) == (6, None)
    wait = scenario.steps[9]
    assert isinstance(wait, WaitStep)
    assert wait.wait == 30.0


def test_rfid_charging_reads_as_written() -> None:
    scenario = scenarios.load("rfid_charging")
    tokens = {t.id: (t.type, t.code, t.provisioning) for t in scenario.tokens}
    assert tokens == {
        "fleet-card": (IdType.RFID, "04A2B3C4D50001", Provision.ACTIVE),  # SIM-0001's: 04A2B3C4D5{n:04X}
        "inactive-card": (IdType.RFID, "0A1B2C3D", Provision.INACTIVE),  # given explicitly
        "unknown-card": (IdType.RFID, "DEADBEEF", Provision.ABSENT),
    }
    charge = next(step for step in scenario.steps if isinstance(step, ChargeStep))
    assert (charge.charge.duration, charge.charge.energy_kwh, charge.charge.power_kw) == (45 * 60.0, None, 11)


def test_the_base_of_the_broken_cases_is_itself_valid(tmp_path: Path) -> None:
    scenario = scenarios.load(write(tmp_path, BASE))
    assert scenario.token("card").code == "04A2B3C4"  # RFID UIDs are normalised to upper case
    assert len(scenario.steps) == len(BASE["steps"])


def test_an_unknown_name_is_an_error_listing_the_bundled_ones() -> None:
    with pytest.raises(ScenarioError, match=r"no_such_scenario: no such file.*pin_charging.*rfid_charging"):
        scenarios.resolve("no_such_scenario")


# --- errors name the file, the step and the field --------------------------------------------------


def test_bad_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\nsteps: [boot\n  - {charge: ")
    message = load_error(path)
    assert message.startswith(f"{path}: not valid YAML")
    assert "line" in message  # the YAML parser's position travels along


@pytest.mark.parametrize("text", ["- boot\n- unplug\n", "just a string\n", "", "42\n"])
def test_not_a_mapping(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert load_error(path) == f"{path}: a scenario is a mapping with name, tokens and steps"


STEP_ERRORS = [
    pytest.param(
        step_at(2, {"fly": {"to": "moon"}}),
        ("step 2:", "unknown step 'fly'", "known: boot, plug_in"),
        id="unknown-step",
    ),
    pytest.param(
        step_at(5, {"stop": None, "unplug": None}),
        ("step 5:", "a step is one of boot"),
        id="step-with-two-keys",
    ),
    pytest.param(step_at(5, 42), ("step 5:", "a step is one of boot"), id="step-not-a-mapping"),
    pytest.param(
        step_at(2, {"plug_in": {"evse": 0}}),
        ("step 2 (plug_in), field evse:", "greater than or equal to 1"),
        id="field-out-of-range",
    ),
    pytest.param(
        step_at(4, {"charge": {"energy_kwh": "lots"}}),
        ("step 4 (charge), field energy_kwh:",),
        id="field-wrong-type",
    ),
    pytest.param(
        step_at(4, {"charge": {"energy_kwh": 2, "flux": 1}}),
        ("step 4 (charge), field flux:", "Extra inputs"),
        id="unknown-field",
    ),
    pytest.param(
        step_at(5, {"stop": {"reason": "Bored"}}), ("step 5 (stop), field reason:", "'Local'"), id="bad-enum"
    ),
    pytest.param(
        step_at(6, {"wait": "soon"}), ("step 6 (wait), field (value):", "not 'soon'"), id="bad-duration"
    ),
    pytest.param(
        step_at(4, {"charge": {"energy_kwh": 2, "duration": "1h"}}),
        ("step 4 (charge), field (value):", "exactly one of energy_kwh and duration"),
        id="charge-with-both-limits",
    ),
    pytest.param(
        step_at(4, {"charge": {"power_kw": 7}}),
        ("step 4 (charge), field (value):", "exactly one of energy_kwh and duration"),
        id="charge-with-no-limit",
    ),
    pytest.param(
        step_at(3, {"present_token": {"token": "stranger"}}),
        ("step 3 (present_token), field token:", "unknown token 'stranger'", "declared: driver, card"),
        id="unknown-token-reference",
    ),
    pytest.param(
        step_at(3, {"present_token": {"token": "driver", "expect": "Perhaps"}}),
        ("step 3 (present_token), field expect.0:", "'Accepted'"),
        id="bad-expected-status-on-a-step",
    ),
]


@pytest.mark.parametrize(("change", "fragments"), STEP_ERRORS)
def test_a_broken_step_is_named_by_number_kind_and_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], fragments: tuple[str, ...]
) -> None:
    path = write(tmp_path, changed(change), "broken.yaml")
    message = load_error(path)
    assert message.startswith(f"{path}: {fragments[0]}"), message
    for fragment in fragments[1:]:
        assert fragment in message, message


TOKEN_ERRORS = [
    pytest.param(
        token_field(0, code="1234"), "token 1: code: a PIN code must start with '#'", id="pin-no-hash"
    ),
    pytest.param(
        token_field(0, code="#12"), "token 1: code: a PIN code has 4 to 8 digits, not 2", id="pin-short"
    ),
    pytest.param(
        token_field(0, code="#123456789"), "token 1: code: a PIN code has 4 to 8 digits, not 9", id="pin-long"
    ),
    pytest.param(
        token_field(0, code="#12ab"),
        "token 1: code: a PIN code is '#' followed by digits only",
        id="pin-letters",
    ),
    pytest.param(
        token_field(1, code="04A2B"),
        "token 2: code: an RFID UID has 4, 7, 8, 10 bytes (2.5 given)",
        id="rfid-odd-length",
    ),
    pytest.param(
        token_field(1, code="04A2B3ZZ"),
        "token 2: code: an RFID code is a card UID in hexadecimal digits",
        id="rfid-not-hex",
    ),
    pytest.param(
        token_field(1, code="04A2B3C4D5"),
        "token 2: code: an RFID UID has 4, 7, 8, 10 bytes (5 given)",
        id="rfid-wrong-byte-count",
    ),
    pytest.param(
        token_field(1, expect="ConcurrentTx"),
        "token 2: provision: cannot be derived from expect; give it explicitly",
        id="provision-not-derivable",
    ),
    pytest.param(token_field(0, expect="Maybe"), "token 1, field expect.0: Input should be", id="bad-status"),
    pytest.param(token_field(1, type="barcode"), "token 2, field type: Input should be", id="bad-type"),
    pytest.param(token_field(0, colour="red"), "token 1, field colour: Extra inputs", id="unknown-field"),
    pytest.param(
        lambda content: content["tokens"].append(dict(content["tokens"][0], code="#9999")),
        "tokens: duplicate id(s) ['driver']",
        id="duplicate-ids",
    ),
]


@pytest.mark.parametrize(("change", "fragment"), TOKEN_ERRORS)
def test_a_broken_token_is_named_by_number_and_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], fragment: str
) -> None:
    path = write(tmp_path, changed(change), "tokens.yaml")
    message = load_error(path)
    assert message.startswith(f"{path}: "), message
    assert fragment in message, message


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda content: content.pop("name"), "name: Field required"),
        (lambda content: content.update(steps=[]), "steps: List should have at least 1 item"),
        (lambda content: content.update(station={"evses": 9}), "station.evses: Input should be less than"),
        (lambda content: content.update(station={"meter_interval": "often"}), "station.meter_interval:"),
        (lambda content: content.update(speed=3), "speed: Extra inputs are not permitted"),
    ],
    ids=["no-name", "no-steps", "too-many-evses", "bad-meter-interval", "unknown-top-level-key"],
)
def test_a_broken_top_level_field_is_named(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], fragment: str
) -> None:
    path = write(tmp_path, changed(change))
    message = load_error(path)
    assert message.startswith(f"{path}: {fragment}"), message


def test_parse_names_the_given_source() -> None:
    with pytest.raises(ScenarioError, match=r"^inline: step 1: unknown step 'dance'"):
        scenarios.parse({"name": "x", "steps": ["dance"]}, "inline")
    with pytest.raises(ScenarioError, match=r"^<scenario>: a scenario is a mapping"):
        scenarios.parse(["boot"])


# --- provisioning derived from expect --------------------------------------------------------------


@pytest.mark.parametrize(
    ("expect", "provision"),
    [
        ("Accepted", Provision.ACTIVE),
        ("Blocked", Provision.BLOCKED),
        ("Expired", Provision.EXPIRED),
        ("Invalid", Provision.ABSENT),
        ("Unknown", Provision.ABSENT),
        (["Expired", "Invalid"], Provision.EXPIRED),  # the first status that says how wins
        (["Invalid", "Expired"], Provision.ABSENT),
        (["ConcurrentTx", "Accepted"], Provision.ACTIVE),  # statuses that say nothing are passed over
        (["NoCredit", "NotAtThisTime", "Blocked"], Provision.BLOCKED),
    ],
)
def test_provision_is_derived_from_expect(expect: str | list[str], provision: Provision) -> None:
    token = Token.model_validate({"id": "t", "type": "pin", "code": "#1234", "expect": expect})
    assert token.provision is provision
    assert token.provisioning is provision


@pytest.mark.parametrize("status", ["ConcurrentTx", "NoCredit", "NotAllowedTypeEVSE", "NotAtThisLocation"])
def test_an_explicit_provision_wins_and_makes_any_status_usable(status: str) -> None:
    token = Token.model_validate(
        {"id": "t", "type": "rfid", "code": "0a1b2c3d", "expect": status, "provision": "inactive"}
    )
    assert token.provisioning is Provision.INACTIVE
    assert token.code == "0A1B2C3D"
    explicit = Token.model_validate({"id": "t", "type": "pin", "code": "#1234", "expect": "Accepted",
                                     "provision": "blocked"})  # fmt: skip
    assert explicit.provisioning is Provision.BLOCKED


# --- expect: one status or a list ---------------------------------------------------------------------


def test_expect_accepts_a_single_string_or_a_list() -> None:
    fields = {"id": "t", "type": "pin", "code": "#1234"}
    assert Token.model_validate({**fields, "expect": "Accepted"}).expect == ["Accepted"]
    assert Token.model_validate({**fields, "expect": ["Accepted"]}).expect == ["Accepted"]
    assert Token.model_validate({**fields, "expect": ["Blocked", "Invalid"]}).expect == ["Blocked", "Invalid"]
    scenario = scenarios.parse(
        {
            "name": "x",
            "tokens": [{**fields, "expect": "Accepted"}],
            "steps": [
                {"present_token": {"token": "t"}},
                {"present_token": {"token": "t", "expect": "Blocked"}},
                {"present_token": {"token": "t", "expect": ["Invalid", "Unknown"]}},
            ],
        }
    )
    presented = [step.present_token.expect for step in scenario.steps if isinstance(step, PresentTokenStep)]
    assert presented == [None, ["Blocked"], ["Invalid", "Unknown"]]


# --- durations ------------------------------------------------------------------------------------


def plain(number: int | float) -> str:
    """The number in positional notation (`1e-05` → `0.00001`), as a person writes a duration."""
    return str(number) if isinstance(number, int) else format(Decimal(repr(number)), "f")


@given(
    number=st.integers(min_value=0, max_value=10**300)
    | st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(sorted(UNIT_SECONDS)),
)
@example(number=0, unit="ms").via("zero")
@example(number=1.5, unit="m").via("docstring")
@example(number=250, unit="ms").via("docstring")
def test_a_number_with_a_unit_is_that_many_unit_seconds(number: int | float, unit: str) -> None:
    seconds = parse_duration(f"{plain(number)}{unit}")
    assert seconds == pytest.approx(float(number) * UNIT_SECONDS[unit], rel=1e-12)
    assert parse_duration(f" {plain(number)} {unit} ") == seconds


@given(number=st.integers(min_value=0, max_value=10**9) | st.floats(min_value=0, max_value=1e9))
def test_a_bare_number_is_seconds(number: int | float) -> None:
    assert parse_duration(number) == float(number)
    assert parse_duration(plain(number)) == pytest.approx(float(number), rel=1e-12)


@given(st.text(st.characters(exclude_categories=["Nd"])))
def test_text_without_digits_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="a duration is a number of seconds"):
        parse_duration(text)


_JUNK = st.text(
    st.sampled_from(sorted(set(string.ascii_letters + string.punctuation) - set("msh."))), min_size=1
)


@given(
    number=st.integers(min_value=0, max_value=10**6), unit=st.sampled_from(["", *UNIT_SECONDS]), junk=_JUNK
)
def test_a_duration_with_junk_around_it_is_refused(number: int, unit: str, junk: str) -> None:
    broken = [f"{number}{unit}{junk}", f"{junk}{number}{unit}", f"-{number}{unit}"]
    if unit:
        broken.append(f"{number}{unit}{unit}s")  # two units
    for text in broken:
        with pytest.raises(ValueError, match="a duration is a number of seconds"):
            parse_duration(text)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "s",
        "1.",
        ".5s",
        "5 min",
        "1h30m",
        "10 s s",
        "5d",
        "1,5s",
        None,
        True,
        False,
        [],
        {},
        [30],
        "30s\n5s",
    ],
)
def test_garbage_is_not_a_duration(value: object) -> None:
    with pytest.raises(ValueError, match="a duration is a number of seconds"):
        parse_duration(value)


@pytest.mark.parametrize("value", [-1, -0.5, -1e-9])
def test_a_negative_number_is_not_a_duration(value: float) -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        parse_duration(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, "9" * 400 + "s"])
def test_a_duration_is_finite(value: object) -> None:
    """`wait: .nan` or `.inf` would make the runner's sleep never end."""
    with pytest.raises(ValueError, match="finite"):
        parse_duration(value)


def test_a_non_finite_wait_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match=r"step 2 \(wait\), field \(value\): .*finite"):
        scenarios.parse(yaml.safe_load("name: x\nsteps: [boot, {wait: .nan}]"), "nan.yaml")


# --- the JSON Schema --------------------------------------------------------------------------------


def test_the_json_schema_is_serialisable_and_names_every_step_kind() -> None:
    schema = Scenario.model_json_schema()
    assert isinstance(schema, dict)
    text = json.dumps(schema)
    assert json.loads(text) == schema
    assert set(STEP_TYPES) == set(STEP_KINDS)
    for kind in STEP_KINDS:
        assert f'"{kind}"' in text, kind
    assert {"name", "tokens", "steps", "station"} <= set(schema["properties"])
    assert schema["required"] == ["name", "steps"]


# --- one token per station (`{n}` codes) ---------------------------------------------------------------


def per_station_token(code: str, type_: str = "rfid") -> dict[str, object]:
    return {"id": "card", "type": type_, "code": code, "expect": "Accepted"}


@pytest.mark.parametrize(
    ("code", "type_", "identity", "held"),
    [
        ("#482{n}", "pin", "SIM-0001", "#4821"),
        ("#482{n}", "pin", "SIM-0012", "#48212"),
        ("04a2b3c4d5{n:04X}", "rfid", "SIM-0300", "04A2B3C4D5012C"),
        ("04A2B3C4D5E6F7", "rfid", "SIM-0300", "04A2B3C4D5E6F7"),  # no `{n}`: the same everywhere
    ],
)
def test_a_code_with_n_is_the_stations_own(code: str, type_: str, identity: str, held: str) -> None:
    scenario = scenarios.parse({"name": "x", "tokens": [per_station_token(code, type_)], "steps": ["boot"]})
    assert scenario.for_station(identity).token("card").code == held


@pytest.mark.parametrize(
    ("code", "message"),
    [("04A2B3C4D5{x}", "only {n}"), ("#48{n:07}", "4 to 8 digits"), ("04A2B3C4D5{n:05}", "bytes")],
)
def test_a_code_template_that_cannot_work_is_refused_naming_the_token(code: str, message: str) -> None:
    type_ = "pin" if code.startswith("#") else "rfid"
    with pytest.raises(scenarios.ScenarioError, match=re.escape(message)):
        scenarios.parse({"name": "x", "tokens": [per_station_token(code, type_)], "steps": ["boot"]})


def test_a_station_whose_code_overflows_is_named() -> None:
    scenario = scenarios.parse(
        {"name": "x", "tokens": [per_station_token("04A2B3C4D5{n:04X}")], "steps": ["boot"]}
    )
    with pytest.raises(ValueError, match=re.escape("token card: code 04A2B3C4D5{n:04X} at station 65536")):
        scenario.for_station("SIM-65536")


@pytest.mark.parametrize("name", ["pin_charging", "rfid_charging", "offline_charging"])
def test_bundled_charging_scenarios_give_each_station_its_own_accepted_codes(name: str) -> None:
    scenario = scenarios.load(name)
    accepted = [t.id for t in scenario.tokens if "Accepted" in t.expect]
    assert accepted
    for token_id in accepted:
        codes = {scenario.for_station(f"SIM-{n:04d}").token(token_id).code for n in range(1, 201)}
        assert len(codes) == 200, token_id  # a CSMS allowing one transaction per idTag refuses none


def test_an_ems_limit_step_names_what_is_wrong() -> None:
    scenario = Scenario.model_validate(
        {"name": "ems", "steps": ["boot", {"ems_limit": {"limit_kw": 7.4, "duration": "10m"}}]}
    )
    step = scenario.steps[1]
    assert isinstance(step, EmsLimitStep)
    assert (step.ems_limit.evse, step.ems_limit.duration) == (0, 600.0)
    for wrong, field in (({}, "limit_kw or limit_a"), ({"limit_a": 6, "source": "CSO"}, "source")):
        with pytest.raises(ValueError, match=field):
            Scenario.model_validate({"name": "ems", "steps": [{"ems_limit": wrong}]})
