"""The OCPP 2.0.1 primitive string types the JSON schemas do not spell out (Part 2 §2.1, "Primitive
Datatypes"): an `identifierString` holds only `a-z A-Z 0-9 * - _ = : + | @ .`, but its schema gives
only the length. `with_identifier_strings` writes the rule into a schema as a `pattern`, so every
payload either side sends or receives is checked by the one compiled validator (`schemas`).

The fields are data: (definition, property) for a type shared by many messages, ("", property) for a
message's own top-level field. 1.6 has no such type (its CiStrings are lengths only).
"""

from __future__ import annotations

from typing import Any

from evharness.ocppj.versions import OcppVersion

IDENTIFIER_STRING_PATTERN = r"^[a-zA-Z0-9*\-_=:+|@.]*$"

# Part 2 §2 datatypes: the fields whose type is identifierString[0..n].
IDENTIFIER_STRING_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("IdTokenType", "idToken"),  # also groupIdToken (an IdTokenType)
        ("AdditionalInfoType", "additionalIdToken"),
        ("TransactionType", "transactionId"),
        ("ChargingProfileType", "transactionId"),
        ("EventDataType", "transactionId"),
        ("MessageInfoType", "transactionId"),
        ("ComponentType", "name"),
        ("ComponentType", "instance"),
        ("VariableType", "name"),
        ("VariableType", "instance"),
        ("", "transactionId"),  # GetTransactionStatus, RequestStopTransaction, CostUpdated …
    }
)

HAS_IDENTIFIER_STRINGS = frozenset({OcppVersion.V201, OcppVersion.V21})


def with_identifier_strings(version: OcppVersion, schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the identifierString pattern on each such field it has (changed in place)."""
    if version not in HAS_IDENTIFIER_STRINGS:
        return schema
    places = {"": schema, **schema.get("definitions", {})}
    for definition, name in IDENTIFIER_STRING_FIELDS:
        node = places.get(definition, {}).get("properties", {}).get(name)
        if isinstance(node, dict) and node.get("type") == "string":
            node["pattern"] = IDENTIFIER_STRING_PATTERN
    return schema
