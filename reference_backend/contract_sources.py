"""Where the backend gets EVs' contract certificates (2.0.1 M01/M02 Get15118EVCertificate): the
`domain.contracts.ContractSource` chosen by `--contract-source` (env EVHARNESS_CONTRACT_SOURCE).

- `local` (the default): `LocalContracts`, made-up answers for tests and demos.
- an `http://` or `https://` URL: `HttpContracts`, a mobility operator's (or a V2G PKI's) endpoint. The
  backend POSTs JSON `{identity, iso15118SchemaVersion, action, exiRequest}` and reads
  `{status: "Accepted" | "Failed", exiResponse?, reason?}`; the EXI stays opaque base64 both ways. An
  endpoint that cannot be reached, or answers anything else, makes the station's request Failed with why.
- `package.module:Name`: a class (or factory) of the operator's own, called with no arguments, whose
  `answer(identity, schema_version, action, exi_request)` returns a `ContractAnswer`.
"""

from __future__ import annotations

import importlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from evharness.reference_backend.domain.contracts import ContractAnswer, ContractSource, LocalContracts

FLAG = "--contract-source"


@dataclass(frozen=True, slots=True)
class HttpContracts:
    url: str
    timeout: float = 10.0

    def answer(self, identity: str, schema_version: str, action: str, exi_request: str) -> ContractAnswer:
        body = {
            "identity": identity,
            "iso15118SchemaVersion": schema_version,
            "action": action,
            "exiRequest": exi_request,
        }
        request = urllib.request.Request(
            self.url,
            json.dumps(body).encode(),
            {"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer: Any = json.loads(response.read(1_000_000))
        except (OSError, ValueError) as exc:
            return ContractAnswer("Failed", "", f"contract source {self.url}: {exc}")
        if not isinstance(answer, dict) or answer.get("status") not in ("Accepted", "Failed"):
            return ContractAnswer("Failed", "", f"contract source {self.url}: not a contract answer")
        if answer["status"] == "Failed":
            return ContractAnswer("Failed", "", str(answer.get("reason") or "refused by the contract source"))
        exi = answer.get("exiResponse")
        if not isinstance(exi, str) or not exi:
            return ContractAnswer("Failed", "", f"contract source {self.url}: no exiResponse")
        return ContractAnswer("Accepted", exi)


def contract_source(spec: str | None) -> ContractSource:
    """The source `spec` names (see the module); ValueError naming the flag otherwise."""
    if spec is None or spec == "local":
        return LocalContracts()
    if spec.startswith(("http://", "https://")):
        return HttpContracts(spec)
    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise ValueError(f"{FLAG} {spec!r}: local, an http(s) URL, or package.module:Name")
    try:
        made = getattr(importlib.import_module(module_name), name)()
    except (ImportError, AttributeError, TypeError) as exc:
        raise ValueError(f"{FLAG} {spec!r}: cannot make it ({exc})") from None
    if not callable(getattr(made, "answer", None)):
        raise ValueError(f"{FLAG} {spec!r}: has no answer(identity, schema_version, action, exi_request)")
    source: ContractSource = made
    return source
