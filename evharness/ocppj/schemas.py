"""The official OCPP JSON schemas (as shipped by the `ocpp` package), compiled with fastjsonschema.

`jsonschema` costs ~260 µs to validate one TransactionEvent; the same schema compiled costs ~14 µs.
Validators are compiled lazily, once per (version, action, direction), and cached.

Two deliberate changes to the official text: the 2.0.1 identifierString fields get their character
rule as a `pattern` (`primitives`; the official schemas give only their length), and `multipleOf` on
numbers (three 1.6 charging-profile fields, multiples of 0.1) is dropped, because a binary float
such as 21.4 is never an exact multiple of 0.1 and every correct payload would be refused.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import fastjsonschema
import orjson

from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.primitives import IDENTIFIER_STRING_PATTERN, with_identifier_strings
from evharness.ocppj.versions import OcppVersion

Validator = Callable[[Any], Any]

# fastjsonschema's failed rule → the OCPP-J error kind (OCPP-J §4.2: which constraint was broken).
RULE_TO_KIND: dict[str, ErrorKind] = {
    "required": ErrorKind.OCCURRENCE_CONSTRAINT,
    "minItems": ErrorKind.OCCURRENCE_CONSTRAINT,
    "maxItems": ErrorKind.OCCURRENCE_CONSTRAINT,
    "uniqueItems": ErrorKind.OCCURRENCE_CONSTRAINT,
    "type": ErrorKind.TYPE_CONSTRAINT,
    "maxLength": ErrorKind.TYPE_CONSTRAINT,
    "format": ErrorKind.TYPE_CONSTRAINT,
    "enum": ErrorKind.PROPERTY_CONSTRAINT,
    "const": ErrorKind.PROPERTY_CONSTRAINT,
    "minimum": ErrorKind.PROPERTY_CONSTRAINT,
    "maximum": ErrorKind.PROPERTY_CONSTRAINT,
    "exclusiveMinimum": ErrorKind.PROPERTY_CONSTRAINT,
    "exclusiveMaximum": ErrorKind.PROPERTY_CONSTRAINT,
    "minLength": ErrorKind.PROPERTY_CONSTRAINT,
    "pattern": ErrorKind.FORMAT,  # the only patterns are the identifierStrings' (`primitives`)
    "additionalProperties": ErrorKind.FORMAT,
}


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    kind: ErrorKind
    description: str
    field: str


def _schema_dir(version: OcppVersion) -> importlib.resources.abc.Traversable:
    return importlib.resources.files("ocpp") / version.schema_package / "schemas"


@functools.cache
def known_actions(version: OcppVersion) -> frozenset[str]:
    """Every action that has a request schema in this version, CALL or SEND (`unconfirmed_actions`)."""
    names = [entry.name.removesuffix(".json") for entry in _schema_dir(version).iterdir()]
    if version is OcppVersion.V16:
        return frozenset(n for n in names if not n.endswith("Response"))
    return frozenset(n.removesuffix("Request") for n in names if not n.endswith("Response"))


@functools.cache
def unconfirmed_actions(version: OcppVersion) -> frozenset[str]:
    """2.1's messages that travel only as SEND (MessageTypeId 6) and have no response: their schema file
    carries neither `Request` nor `Response` (NotifyPeriodicEventStream). None before 2.1."""
    if version is OcppVersion.V16:
        return frozenset()
    names = [entry.name.removesuffix(".json") for entry in _schema_dir(version).iterdir()]
    return frozenset(n for n in names if not n.endswith(("Request", "Response")))


def _file_name(version: OcppVersion, action: str, response: bool) -> str:
    if response:
        return f"{action}Response.json"
    if version is OcppVersion.V16 or action in unconfirmed_actions(version):
        return f"{action}.json"
    return f"{action}Request.json"


def _drop_float_multiple_of(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _drop_float_multiple_of(value)
            for key, value in node.items()
            if not (key == "multipleOf" and isinstance(value, float))
        }
    if isinstance(node, list):
        return [_drop_float_multiple_of(item) for item in node]
    return node


@functools.cache
def validator(version: OcppVersion, action: str, response: bool) -> Validator | None:
    """The compiled validator of a request (or response) payload; None if the action is unknown, or for
    the response of an unconfirmed (SEND) message, which has none."""
    if action not in known_actions(version) or (response and action in unconfirmed_actions(version)):
        return None
    path = _schema_dir(version) / _file_name(version, action, response)
    schema = with_identifier_strings(version, _drop_float_multiple_of(orjson.loads(path.read_bytes())))
    schema.pop("$id", None)  # a urn: id would make fastjsonschema try to resolve refs against it
    compiled: Validator = fastjsonschema.compile(schema, use_default=False)
    return compiled


_FIELD_PREFIX = re.compile(r"^data\.?")


def check(validate: Validator, payload: Any) -> SchemaProblem | None:
    """Validate `payload`; describe the first broken rule, naming the field, or return None."""
    try:
        validate(payload)
    except fastjsonschema.JsonSchemaValueException as exc:
        field = _FIELD_PREFIX.sub("", exc.name or "") or "(payload)"
        kind = RULE_TO_KIND.get(exc.rule or "", ErrorKind.FORMAT)
        message = exc.message or "data is invalid"
        message = "payload " + message[5:] if message.startswith("data ") else message.removeprefix("data.")
        if exc.rule == "pattern" and exc.rule_definition == IDENTIFIER_STRING_PATTERN:
            message = f"{field} is not an identifierString (only a-z A-Z 0-9 * - _ = : + | @ .)"
        return SchemaProblem(kind, message, field)
    return None
