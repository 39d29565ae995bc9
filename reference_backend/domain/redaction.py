"""Keep PIN codes out of logs: the backend's name for `evharness.redaction` (shared with the
simulator and the conformance harness, so all three mask the same way)."""

from __future__ import annotations

from evharness.redaction import MASK, mask, mask_token, redact

__all__ = ["MASK", "mask", "mask_token", "redact"]
