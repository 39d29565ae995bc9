"""OCPP 2.1: the 2.0.1 codec plus what 2.1 adds (nothing yet: every message the station sends
validates against the 2.1 schemas as it is)."""
