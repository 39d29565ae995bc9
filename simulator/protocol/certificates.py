"""Certificate words both versions share: CertificateHashData (the same fields on 1.6 and 2.0.1)
and a refusal's statusInfo (2.0.1). Each version's `calls` maps its certificate types itself."""

from __future__ import annotations

from typing import Any, cast

from evharness.ocppj.payloads import v201
from evharness.x509 import HashData


def hash_data_of(wire: Any) -> HashData:
    """A CertificateHashDataType (1.6 or 2.0.1) as `HashData`; the schema has checked its fields."""
    return HashData.from_wire(dict(wire))


def wire_hash(hashed: HashData) -> Any:
    """`HashData` as either version's CertificateHashDataType (a TypedDict of the same keys)."""
    return cast(Any, hashed.to_wire())


def status_info(code: str, reason: str) -> v201.StatusInfoType:
    """2.0.1 statusInfo of a refusal: a short reasonCode (≤ 20), the detail in additionalInfo (≤ 512)."""
    return {"reasonCode": code[:20], "additionalInfo": reason[:512]}
