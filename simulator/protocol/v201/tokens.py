"""Tokens on 2.0.1: an IdToken (a PIN is type KeyCode, its digits without the `#`) and IdTokenInfo."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from evharness.idtokens import KEY_CODE, IdType, from_wire_201, to_wire
from evharness.ocppj.payloads.v201 import IdTokenEnumType, IdTokenType
from evharness.ocppj.timefmt import parse_timestamp
from evharness.simulator.core.local_auth import TokenInfo
from evharness.simulator.core.model import PresentedToken


def id_token(token: PresentedToken) -> IdTokenType:
    wire = to_wire(token.id_type, token.code)
    return {"idToken": wire.value_201, "type": cast(IdTokenEnumType, wire.type_201)}


def token_from_wire(wire: Mapping[str, Any]) -> PresentedToken:
    """The token as the station keeps it (its local list, its cache): a KeyCode `4821` is `#4821`."""
    kind = IdType.PIN if wire["type"] == KEY_CODE else IdType.RFID
    return PresentedToken(kind, from_wire_201(wire["idToken"], wire["type"]))


def token_info(id_token_info: Mapping[str, Any]) -> TokenInfo:
    """IdTokenInfo: the status, the cache expiry (C10.FR.13) and the groupIdToken (C09.FR.02)."""
    expiry = id_token_info.get("cacheExpiryDateTime")
    group = id_token_info.get("groupIdToken")
    return TokenInfo(
        id_token_info["status"],
        None if expiry is None else parse_timestamp(expiry).timestamp(),
        None if group is None else group["idToken"],
    )
