"""OCPP versions as adapters over the station core: what each action says, and how answers land."""

from __future__ import annotations

from evharness.ocppj.versions import OcppVersion
from simulator.protocol.base import ProtocolAdapter


def adapter_for(version: OcppVersion) -> ProtocolAdapter:
    from simulator.protocol.v16 import V16Adapter
    from simulator.protocol.v201 import V21Adapter, V201Adapter

    adapters: dict[OcppVersion, type[ProtocolAdapter]] = {
        OcppVersion.V16: V16Adapter,
        OcppVersion.V201: V201Adapter,
        OcppVersion.V21: V21Adapter,
    }
    return adapters[version]()
