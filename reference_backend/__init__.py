"""The reference CSMS: an OCPP-J server and a console API on SQL (DESIGN §1).

Layers: `server` and `api` move bytes; `connection` runs one station's OCPP-J connection without
I/O; `operations` is the one path for the CSMS's own CALLs; `handlers` map actions to thin functions;
`domain` holds the rules as plain code; `persistence` is the only place that speaks SQL. Words: a
*connection* is a station's OCPP-J WebSocket, a *session* is a console login, a *transaction* is
a charging session. See docs/architecture.md.
"""
