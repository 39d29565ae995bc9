"""A new HTTP Basic password for a station (A01; 1.6 security white paper, TC_073_CSMS / TC_A_09/10_CSMS).

Theory of operation: the backend draws a password (`new_password`: 20 characters, within both
versions' rules), sends it in the version's CALL (`ROTATION`: 2.0.1 SetVariables
SecurityCtrlr.BasicAuthPassword as the plain string; 1.6 ChangeConfiguration AuthorizationKey as the
hex representation of the password's bytes, A00.FR.205), and reads from the answer whether the
station took it. Only then is its hash stored, beside the old one: the old password keeps working
until the station connects with the new one, which then replaces it (`domain.security_profiles`).
A refused rotation changes nothing (A01.FR.04).

Whichever way the CALL goes out (the console's `rotate_password`, the operator's operations API, a
conformance driver), `password_set` reads from the request and the answer which password the station
accepted, so the backend always knows it (`handlers.functions.ANSWERS` records it).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from evharness.ocppj.frames import Payload
from evharness.ocppj.passwords import key_of_password, password_of_key
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status

PASSWORD_LENGTH = 20  # 1.6: 16–20 bytes (40 hex digits at most); 2.0.1: 16–40 characters


def new_password() -> str:
    """20 characters of letters, digits, '-' and '_' (URL-safe base64 of 15 random bytes)."""
    return secrets.token_urlsafe(15)


@dataclass(frozen=True, slots=True)
class Rotation:
    action: str
    request: Callable[[str], Payload]  # the password → the CALL's payload
    status: Callable[[Payload], str]  # the CALLRESULT → the station's status (Accepted …)


def _set_variables(password: str) -> Payload:
    data = {
        "attributeValue": password,
        "component": {"name": "SecurityCtrlr"},
        "variable": {"name": "BasicAuthPassword"},
    }
    return {"setVariableData": [data]}


def _set_variables_status(answer: Payload) -> str:
    results = answer.get("setVariableResult") or [{}]
    return str(results[0].get("attributeStatus", Status.REJECTED))


# the version → how its station is given a new password
ROTATION: dict[OcppVersion, Rotation] = {
    OcppVersion.V16: Rotation(
        Action.ChangeConfiguration,
        lambda password: {"key": "AuthorizationKey", "value": key_of_password(password)},
        lambda answer: str(answer.get("status", Status.REJECTED)),
    ),
    OcppVersion.V201: Rotation(Action.SetVariables, _set_variables, _set_variables_status),
    OcppVersion.V21: Rotation(Action.SetVariables, _set_variables, _set_variables_status),
}


def password_set(on_16: bool, request: Payload, answer: Payload) -> str | None:
    """The new Basic-auth password the station accepted with this CALL, or None if it set none."""
    if on_16:
        if request.get("key") != "AuthorizationKey" or answer.get("status") != Status.ACCEPTED:
            return None
        return password_of_key(str(request.get("value", "")))
    results = answer.get("setVariableResult") or []
    for data in request.get("setVariableData") or []:
        if (data.get("component", {}).get("name"), data.get("variable", {}).get("name")) != (
            "SecurityCtrlr",
            "BasicAuthPassword",
        ):
            continue
        for result in results:
            same = result.get("component", {}).get("name") == "SecurityCtrlr" and (
                result.get("variable", {}).get("name") == "BasicAuthPassword"
            )
            if same and result.get("attributeStatus") == Status.ACCEPTED:
                return str(data.get("attributeValue", ""))
    return None


def upgrade_accepted(on_16: bool, request: Payload, answer: Payload) -> int | None:
    """The security profile the station accepted to move to (A05: 1.6 ChangeConfiguration
    SecurityProfile, 2.0.1 SetNetworkProfile), or None."""
    if answer.get("status") != Status.ACCEPTED:
        return None
    if on_16:
        if request.get("key") != "SecurityProfile" or not str(request.get("value", "")).isdigit():
            return None
        profile = int(str(request["value"]))
    else:
        profile = (request.get("connectionData") or {}).get("securityProfile", -1)
    return profile if profile in (1, 2, 3) else None
