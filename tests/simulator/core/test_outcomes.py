"""A tester's outcome choices (`simulator.core.outcomes.choose`): each value checked against its field."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.simulator.core.outcomes import FirmwareOutcome, LogOutcome, choose


def test_choices_replace_only_the_fields_named() -> None:
    chosen = choose(FirmwareOutcome(), {"download": "fail", "failed_attempts": 2, "cancelable": False})
    assert chosen == FirmwareOutcome(download="fail", failed_attempts=2, cancelable=False)
    assert choose(LogOutcome(), {"accept": False, "upload_s": 1}) == LogOutcome(accept=False, upload_s=1.0)
    assert choose(FirmwareOutcome(), {"version": "sim-9"}).version == "sim-9"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"download": "sometimes"}, "download"),
        ({"failed_attempts": -1}, "failed_attempts"),
        ({"failed_attempts": True}, "failed_attempts"),
        ({"cancelable": "no"}, "cancelable"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_value_that_does_not_fit_names_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        choose(FirmwareOutcome(), changes)


@given(
    st.dictionaries(
        st.sampled_from(["install", "signature", "install_s", "cancelable"]),
        st.none() | st.booleans() | st.integers() | st.text(),
    )
)
def test_any_choice_is_taken_or_refused_naming_a_field(changes: dict[str, object]) -> None:
    refusal = ""
    try:
        chosen = choose(FirmwareOutcome(), changes)
    except ValueError as refused:
        refusal = str(refused)
    if refusal:
        assert any(name in refusal for name in changes)
    else:
        assert all(getattr(chosen, name) == value or name == "install_s" for name, value in changes.items())
