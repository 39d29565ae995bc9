"""OCPP 2.0.1: the station's words on 2.0.1 (and, through `simulator.protocol.v21`, on 2.1)."""
