"""Customer information (2.0.1 N09/N10): what the station holds about one customer, reported and/or
forgotten.

A customer is named by an idToken or by a customer identifier (the station keeps no data by
identifier). Its data here: the token's entry in the local authorization list, in the authorization
cache, and the running transaction it started. Clearing forgets the cache entry (the local list is
the CSMS's to change, N10.FR.02: it sends a differential update); the report is one text of at most
512 characters (NotifyCustomerInformation.data).
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.core.local_auth import AuthCache, LocalList
from simulator.core.model import Evse

MAX_DATA = 512


def customer_data(code: str | None, local_list: LocalList, cache: AuthCache, evses: Iterable[Evse]) -> str:
    """The customer's data as one line each; empty when the station holds none."""
    if code is None:
        return ""
    lines = []
    listed = local_list.entries.get(code)
    if listed is not None:
        lines.append(f"idToken {code}: local list {listed.status}")
    cached = dict(cache.entries()).get(code)
    if cached is not None:
        lines.append(f"idToken {code}: authorization cache {cached.status}")
    for evse in evses:
        transaction = evse.transaction
        if transaction is not None and transaction.token is not None and transaction.token.code == code:
            lines.append(f"idToken {code}: transaction {transaction.key} on EVSE {evse.id}")
    return "; ".join(lines)[:MAX_DATA]


def forget(code: str | None, cache: AuthCache) -> None:
    if code is not None:
        cache.forget(code)
