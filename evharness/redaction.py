"""Keep PIN codes out of logs, frame logs and reports (DESIGN §2; OCPP 2.1 C04 forbids logging them).

A PIN is a secret the driver types; a card UID is printed on the card and stays readable. Every
place that writes a frame or an identification for people to read (python logging of the backend,
the simulator and the websockets library, the conformance harness's frame logs and reports) goes
through `redact` or `mask`. The simulator's own frame evidence (summary, report, control API) shows
what the station sent as it was — the tester's own test data — and masks what the CSMS sent
(`frame_for_people`). Shared by the
simulator, the harness and the reference backend, so none of them imports another to stay quiet.

What counts as a PIN in text: `#` followed by digits (how a PIN travels on 1.6 and, in this
project, on 2.0.1), and the value of any 2.0.1 IdToken of type `KeyCode`, with or without `#`.
"""

from __future__ import annotations

import json
import logging
import re

from evharness.idtokens import IdType

MASK = "#****"

_PIN_LIKE = re.compile(r"#\d+")
_Q = r'\\?"'  # a double quote, also as it appears escaped inside a JSON string or a repr
_KEYCODE = re.compile(
    # {"idToken":"…","type":"KeyCode"} and {"type":"KeyCode",…,"idToken":"…"} (no nested object between)
    rf'({_Q}idToken{_Q}\s*:\s*{_Q})([^"\\]*)({_Q}\s*,\s*{_Q}type{_Q}\s*:\s*{_Q}KeyCode{_Q})'
    rf'|({_Q}type{_Q}\s*:\s*{_Q}KeyCode{_Q}[^{{}}]*?{_Q}idToken{_Q}\s*:\s*{_Q})([^"\\]*)'
)

# Loggers that print frames themselves: websockets logs every frame at DEBUG ("< TEXT '[2,…]'").
FRAME_LOGGERS = ("websockets.client", "websockets.server")


def mask(id_type: IdType | None, code: str) -> str:
    """A PIN becomes `#****`; a card UID is not a secret and stays readable."""
    return MASK if id_type is IdType.PIN or code.startswith("#") else code


def mask_token(value: str, token_type: str | None) -> str:
    """A 2.0.1 IdToken value for people to read: masked when its type is KeyCode or it looks like a PIN."""
    return MASK if token_type == "KeyCode" else mask(None, value)


def redact(text: str) -> str:
    """`text` with every PIN masked: `#`+digits anywhere, and the value of every KeyCode IdToken."""
    if "KeyCode" in text:
        text = _KEYCODE.sub(_mask_keycode, text)
    return _PIN_LIKE.sub(MASK, text)


def redact_secrets(text: str) -> str:
    """`text` (a frame) with the passwords a CSMS sets masked: 1.6 ChangeConfiguration `AuthorizationKey`
    and 2.0.1 SetVariables `BasicAuthPassword` values. Tokens stay as they are (see `frame_for_people`)."""
    if "AuthorizationKey" not in text and "BasicAuthPassword" not in text:
        return text
    try:
        message = json.loads(text)
    except ValueError:
        return _PASSWORD.sub(rf"\1{MASK}\2", text)
    return json.dumps(_without_secrets(message), separators=(",", ":"), ensure_ascii=False)


def frame_for_people(direction: str, text: str) -> str:
    """A station's frame as its own logs and reports show it. What the station sent is the tester's own
    test data (its tokens and PINs included) and stays readable; what the CSMS sent may carry the CSMS's
    secrets (its users' PINs in a local list, passwords it sets), which are masked."""
    cleaned = redact_secrets(text)
    return redact(cleaned) if direction == "in" else cleaned


def _without_secrets(value: object) -> object:
    if isinstance(value, list):
        return [_without_secrets(item) for item in value]
    if not isinstance(value, dict):
        return value
    cleaned = {key: _without_secrets(item) for key, item in value.items()}
    variable = cleaned.get("variable")
    if cleaned.get("key") == "AuthorizationKey" and "value" in cleaned:
        cleaned["value"] = MASK
    password = isinstance(variable, dict) and variable.get("name") == "BasicAuthPassword"
    if password and "attributeValue" in cleaned:
        cleaned["attributeValue"] = MASK
    return cleaned


_PASSWORD = re.compile(
    r'((?:AuthorizationKey|BasicAuthPassword)[^{}]*?"(?:value|attributeValue)"\s*:\s*")[^"]*(")'
)


def _mask_keycode(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}{MASK}{match.group(3)}"
    return f"{match.group(4)}{MASK}"


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and traceback) with `redact` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:  # a traceback may quote a payload: format it now
            record.exc_text = redact(_FORMATTER.formatException(record.exc_info))
        return True


_FORMATTER = logging.Formatter()


_FILTER = RedactingFilter()


def guard_loggers(names: tuple[str, ...] = FRAME_LOGGERS) -> None:
    """Attach the redacting filter to loggers whose records we do not write ourselves (idempotent).

    A logger's filters see every record made on that logger, whatever handler (a file, pytest's
    caplog) receives it; records of other loggers are masked where they are made.
    """
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
