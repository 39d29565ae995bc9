"""The payload TypedDicts and the action names are what the generator makes of the official schemas."""

from __future__ import annotations

import typing

import pytest

from evharness.ocppj import schemas
from evharness.ocppj.payloads import generate, v16, v201
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import ACTIONS, Action


@pytest.mark.parametrize("path", sorted(generate.files()), ids=lambda p: p.name)
def test_the_generated_files_are_what_the_generator_writes_today(path: typing.Any) -> None:
    """If this fails, the schemas or the generator changed: `python -m evharness.ocppj.payloads.generate`."""
    assert path.read_text(encoding="utf-8") == generate.files()[path]


def test_every_action_of_every_version_has_a_name() -> None:
    known = set().union(*(schemas.known_actions(version) for version in OcppVersion))
    assert known == set(ACTIONS)
    assert Action.BootNotification == "BootNotification"
    assert type(Action.TransactionEvent) is str  # a plain string in frames and JSON keys


def test_a_message_keeps_its_required_and_optional_fields() -> None:
    hints = typing.get_type_hints(v16.StopTransactionRequest, include_extras=True)
    assert typing.get_origin(hints["idTag"]) is typing.NotRequired
    assert hints["meterStop"] is int
    assert set(typing.get_args(v201.ConnectorStatusEnumType)) == {
        "Available",
        "Occupied",
        "Reserved",
        "Unavailable",
        "Faulted",
    }
