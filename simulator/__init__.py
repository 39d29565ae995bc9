"""Simulated charging stations that speak OCPP to any CSMS.

`simulator.core` holds the station as plain state (no I/O, no sleeps); `simulator.protocol` maps
it onto OCPP 1.6J and 2.0.1; `simulator.scenario` runs scenario steps against it; transports such
as `simulator.asyncio` only move frames and wake the station at its deadlines.
"""
