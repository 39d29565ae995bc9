"""Keep PIN codes out of logs (OCPP 2.1 C04 forbids logging them; DESIGN §2)."""

from __future__ import annotations

import re

from evharness.idtokens import IdType

_PIN_LIKE = re.compile(r"#\d+")


def mask(id_type: IdType | None, code: str) -> str:
    """A PIN becomes `#****`; a card UID is not a secret and stays readable."""
    return "#****" if id_type is IdType.PIN or code.startswith("#") else code


def redact(text: str) -> str:
    """Mask every PIN-looking run in free text (error descriptions, frame previews)."""
    return _PIN_LIKE.sub("#****", text)
