"""The reference CSMS: an OCPP-J server and a console API on SQL (DESIGN §1).

Layers: `server` and `api` move bytes; `session` runs one OCPP-J connection without I/O;
`handlers` map actions to thin functions; `domain` holds the rules as plain code; `persistence`
is the only place that speaks SQL.
"""
