"""A station's tariff (docs/tariffs.md): energy price per kWh, time price per hour, session fee, ISO 4217
currency and the text per language a driver reads.

- `GET /api/stations/{identity}/tariff` (`view_settings`): the tariff; 404 if it has none.
- `PUT /api/stations/{identity}/tariff` (`set_prices`): set it whole; 422 naming the first bad field
  (a negative price, a currency not in ISO 4217, an unknown field …), nothing changed.
- `DELETE /api/stations/{identity}/tariff` (`set_prices`): its sessions are no longer priced.
- `PUT` / `DELETE /api/operations/{identity}/tariff`: the same for the backend operator
  (`--operator-token`), as the conformance driver uses it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel

from evharness.reference_backend.api.deps import OperatorDep, StationsDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.station_deps import CanView, IdentityPath, requires
from evharness.reference_backend.console import tariffs
from evharness.reference_backend.console.station_access import StationAccess
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.tariffs import Tariff as TariffRule

router = APIRouter(tags=["tariffs"], responses=REFUSALS)

CanSetPrices = Annotated[StationAccess, Depends(requires(Action.SET_PRICES))]
TariffBody = dict[str, Any]


class Tariff(BaseModel):
    currency: str
    energy_price_per_kwh: str  # decimal text: "0.3"
    time_price_per_hour: str
    session_fee: str
    texts: dict[str, str]

    @classmethod
    def of(cls, tariff: TariffRule) -> Tariff:
        return cls.model_validate(tariff.as_dict())


@router.get("/stations/{identity}/tariff")
def get_tariff(access: CanView, st: StationsDep) -> Tariff:
    return Tariff.of(tariffs.tariff(st, access))


@router.put("/stations/{identity}/tariff")
def put_tariff(access: CanSetPrices, body: TariffBody, st: StationsDep) -> Tariff:
    """Prices as decimal numbers or text ("0.35"), at most 6 decimals, none negative; absent: 0."""
    return Tariff.of(tariffs.set_tariff(st, tariffs.as_caller(access), body))


@router.delete("/stations/{identity}/tariff", status_code=status.HTTP_204_NO_CONTENT)
def delete_tariff(access: CanSetPrices, st: StationsDep) -> Response:
    tariffs.remove_tariff(st, tariffs.as_caller(access))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


operator_router = APIRouter(
    prefix="/operations", tags=["operations"], responses=REFUSALS, dependencies=[OperatorDep]
)


@operator_router.put("/{identity}/tariff")
def put_tariff_as_operator(identity: IdentityPath, body: TariffBody, st: StationsDep) -> Tariff:
    return Tariff.of(tariffs.set_tariff(st, tariffs.as_operator(st, identity), body))


@operator_router.delete("/{identity}/tariff", status_code=status.HTTP_204_NO_CONTENT)
def delete_tariff_as_operator(identity: IdentityPath, st: StationsDep) -> Response:
    tariffs.remove_tariff(st, tariffs.as_operator(st, identity))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
