"""evharness: a charger simulator and OCPP conformance test harness, with a reference CSMS.

This package is two layers of the project, held apart by the contracts in `pyproject.toml`:

- the floor, under everything: `ocppj/` (frames, errors, schemas, the RPC endpoint, `payloads/`,
  `vocabulary`), `idtokens`, `redaction`, `settings` — OCPP-J and the rules every part shares; they
  import nothing of the project above them;
- the roof, over everything: `cli`, `__main__`, `demo`, `bench/`, `conformance/`, `backend_process`
  — the `evharness` command and the tools that drive the simulator, the load tests and the backend.

`simulator/`, `reference_backend/`, `scenarios/` and `loadtests/` sit between the two
(`docs/architecture.md`).
"""

__version__ = "0.1.0"
