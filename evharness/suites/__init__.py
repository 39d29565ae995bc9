"""Feature suites that run against any CSMS, shipped in the wheel.

    evharness conformance --csms-url ws://my-csms:9000/ocpp     # the OCTT conformance cases
    pytest --pyargs evharness.suites --csms-url ws://my-csms:9000/ocpp

`conformance/` holds the OCTT CSMS test cases (OCPP 1.6 and 2.0.1), `charging/` a station that boots
and charges with RFID cards and PIN codes, refused tokens included. The suites that read the reference
backend's database or drive its console API stay in the repository's `features/`.
"""
