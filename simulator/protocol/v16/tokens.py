"""Tokens on 1.6: an idTag (CiString20; a PIN travels as `#1234`) and its IdTagInfo (§7.27)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evharness.idtokens import IdType
from evharness.ocppj.timefmt import parse_timestamp
from evharness.simulator.core.local_auth import TokenInfo
from evharness.simulator.core.model import PresentedToken


def token_from_wire(id_tag: str) -> PresentedToken:
    return PresentedToken(IdType.PIN if id_tag.startswith("#") else IdType.RFID, id_tag)


def token_info(id_tag_info: Mapping[str, Any]) -> TokenInfo:
    """IdTagInfo: the status, the expiry, and the group as parentIdTag (§3.10)."""
    expiry = id_tag_info.get("expiryDate")
    return TokenInfo(
        id_tag_info["status"],
        None if expiry is None else parse_timestamp(expiry).timestamp(),
        id_tag_info.get("parentIdTag"),
    )
