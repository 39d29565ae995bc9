"""The OCTT CSMS test cases (OCPP 1.6 and 2.0.1) as Gherkin scenarios, and their steps (any CSMS)."""
