"""The OCPP conformance harness: OCTT CSMS test cases as pytest-bdd scenarios, against any CSMS.

`checks` (wire rules, I/O-free), `messages` (what the tool-station sends, per version), `catalog`
(the case list), `config` (the target's YAML), `station` (the scripted station over websockets),
`drivers` (how a CSMS is made to send its CALLs), `report` (HTML), `plugin` (the pytest plugin).
"""
