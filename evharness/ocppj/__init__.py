"""The OCPP-J RPC layer shared by the simulator and the reference backend, without I/O.

Text frames go in, events and text frames come out; transports (asyncio, gevent) only move frames.
"""
