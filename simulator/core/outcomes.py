"""What a tester chooses about the station's functions: plain data, read by the function modules
(`firmware`, `logs`) and set from the station config, the control API and scenario steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Literal, TypeVar, get_args, get_type_hints

Judgement = Literal["check", "valid", "invalid"]


@dataclass(frozen=True, slots=True)
class FirmwareOutcome:
    """How firmware updates go (`simulator.core.firmware`); the defaults do what the CSMS asks."""

    download: Literal["ok", "fail"] = "ok"  # fail: every attempt fails
    failed_attempts: int = 0  # the first n attempts fail, then one succeeds (retries)
    signature: Judgement = "check"  # check: verify the downloaded bytes with the certificate
    certificate: Literal["check", "invalid", "revoked"] = "check"
    install: Literal["ok", "fail", "verification_fail"] = "ok"
    cancelable: bool = True  # False: a second update while one runs is Rejected (TC_L_11)
    download_s: float = 5.0  # a simulated download's duration (real ones take what they take)
    install_s: float = 10.0
    version: str | None = None  # the version installed; default: the file name without extension


@dataclass(frozen=True, slots=True)
class LogOutcome:
    """How log uploads go (`simulator.core.logs`); the defaults do what the CSMS asks."""

    accept: bool = True  # False: GetLog / GetDiagnostics is Rejected (TC_N_34)
    upload: Literal["ok", "fail"] = "ok"  # fail: every attempt fails
    failed_attempts: int = 0  # the first n attempts fail, then one succeeds (retries)
    cancelable: bool = True  # False: a second request while one uploads is Rejected
    upload_s: float = 3.0  # a simulated upload's duration (real ones take what they take)


Outcome = TypeVar("Outcome", FirmwareOutcome, LogOutcome)


def choose(outcome: Outcome, changes: Mapping[str, object]) -> Outcome:
    """`outcome` with the tester's `changes` (control API, scenario), each checked against its field's
    type; ValueError names the field a value does not fit."""
    hints = get_type_hints(type(outcome))
    known = {f.name for f in fields(outcome)}
    chosen: dict[str, object] = {}
    for name, value in changes.items():
        if name not in known:
            raise ValueError(f"unknown outcome {name!r}; known: {', '.join(sorted(known))}")
        chosen[name] = _fit(name, hints[name], value)
    return replace(outcome, **chosen)  # type: ignore[arg-type]


def _fit(name: str, hint: object, value: object) -> object:
    allowed = get_args(hint)
    if allowed and all(isinstance(a, str) for a in allowed):  # a Literal of words
        if value not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}")
        return value
    if value is None and type(None) in allowed:
        return None
    kinds = [a for a in allowed if a is not type(None)] or [hint]
    kind = kinds[0]
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"{name} must be a number of at least 0")
        return kind(value)
    return str(value)
