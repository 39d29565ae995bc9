"""The OCPP versions a station speaks: one codec package per version, the same modules in each.

`v16/`, `v201/` and `v21/` (the 2.0.1 codec plus the 2.1 additions) each have `codec.py` (the
`simulator.core.codec.Codec` the station holds), `messages.py` (notes → CALLs, CALLRESULTs →
answers), `calls.py` (the CSMS's CALLs: a table of action → function) and `tokens.py` (tokens on
the wire). They only translate; the behaviour is in `simulator.core`.
"""

from __future__ import annotations

from evharness.ocppj.versions import OcppVersion
from evharness.simulator.core.codec import Codec
from evharness.simulator.protocol.v16.codec import V16Codec
from evharness.simulator.protocol.v21.codec import V21Codec
from evharness.simulator.protocol.v201.codec import V201Codec

CODECS: dict[OcppVersion, type[V16Codec] | type[V201Codec]] = {
    OcppVersion.V16: V16Codec,
    OcppVersion.V201: V201Codec,
    OcppVersion.V21: V21Codec,
}


def codec_for(version: OcppVersion) -> Codec:
    return CODECS[version]()


adapter_for = codec_for  # the name the station's callers have used
