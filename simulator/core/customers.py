"""Customer information (2.0.1 N09/N10): what the station holds about one customer, reported and/or
forgotten.

A customer is named by an idToken, by a customer identifier or by its contract certificate (the hash
data's serial number); the station's customer records (`StationConfig.customers`, a tester's data) map
an identifier or certificate to the customer's tokens and what else the station keeps. Its data here:
that record, and for each of its tokens the entry in the local authorization list, in the authorization
cache, and the running transaction it started. Clearing forgets the record and the cache entries (the
local list is the CSMS's to change, N10.FR.02: it sends a differential update); the report is one text
of at most 512 characters (NotifyCustomerInformation.data).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from evharness.simulator.core.local_auth import AuthCache, LocalList
from evharness.simulator.core.model import CustomerRecord, Evse

MAX_DATA = 512


@dataclass(frozen=True, slots=True)
class Customer:
    """Whom a CustomerInformation names: one of the three (more than one is Invalid)."""

    token: str | None = None
    identifier: str | None = None
    certificate_serial: str | None = None

    @property
    def named(self) -> int:
        return sum(value is not None for value in (self.token, self.identifier, self.certificate_serial))


def _serial(text: str) -> str:
    """A certificate serial number as hex, compared without case or leading zeros."""
    return text.lower().lstrip("0")


def find(customer: Customer, records: Iterable[CustomerRecord]) -> CustomerRecord | None:
    for record in records:
        if customer.identifier is not None and record.identifier == customer.identifier:
            return record
        wanted, serial = customer.certificate_serial, record.certificate_serial
        if wanted is not None and serial is not None and _serial(serial) == _serial(wanted):
            return record
    return None


def tokens_of(customer: Customer, record: CustomerRecord | None) -> tuple[str, ...]:
    own = (customer.token,) if customer.token is not None else ()
    return own + (record.tokens if record is not None else ())


def customer_data(
    customer: Customer,
    records: Iterable[CustomerRecord],
    local_list: LocalList,
    cache: AuthCache,
    evses: Iterable[Evse],
) -> str:
    """The customer's data as one line each; empty when the station holds none."""
    record = find(customer, records)
    lines = [f"customer {record.identifier}: {record.data}"] if record is not None and record.data else []
    cached = dict(cache.entries())
    evses = list(evses)
    for code in tokens_of(customer, record):
        listed = local_list.entries.get(code)
        if listed is not None:
            lines.append(f"idToken {code}: local list {listed.status}")
        if code in cached:
            lines.append(f"idToken {code}: authorization cache {cached[code].status}")
        for evse in evses:
            transaction = evse.transaction
            if transaction is not None and transaction.token is not None and transaction.token.code == code:
                lines.append(f"idToken {code}: transaction {transaction.key} on EVSE {evse.id}")
    return "; ".join(lines)[:MAX_DATA]


def forget(
    customer: Customer, records: tuple[CustomerRecord, ...], cache: AuthCache
) -> tuple[CustomerRecord, ...]:
    """Forget the customer's cache entries; the records without theirs."""
    record = find(customer, records)
    for code in tokens_of(customer, record):
        cache.forget(code)
    return tuple(r for r in records if r is not record)
