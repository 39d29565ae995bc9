"""OCPP payload shapes as TypedDicts, one module per version (`v16`, `v201`, `v21`), and the `Action`
names — generated from the official JSON schemas by `evharness.ocppj.payloads.generate`. Codecs annotate
what they build and read with them, so mypy checks field names, required fields and enum values; at run
time a payload stays a plain dict (the schemas themselves are checked by `evharness.ocppj.schemas`)."""
