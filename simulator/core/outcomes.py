"""What a tester chooses about the station's functions: plain data, read by the function modules
(`firmware`, `logs`) and set from the station config, the control API and scenario steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
