"""evharness: a charger simulator and OCPP conformance test harness, with a reference CSMS."""

__version__ = "0.1.0"
