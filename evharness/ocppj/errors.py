"""CALLERROR codes per OCPP version, as one table.

1.6-J keeps its typos (`FormationViolation`, `OccurenceConstraintViolation`: errata §5 "do not fix");
2.0.1 and 2.1 add `MessageTypeNotSupported` and `RpcFrameworkError`.
"""

from __future__ import annotations

from enum import Enum

from evharness.ocppj.versions import OcppVersion


class ErrorKind(Enum):
    NOT_IMPLEMENTED = "not implemented"
    NOT_SUPPORTED = "not supported"
    INTERNAL = "internal"
    PROTOCOL = "protocol"
    SECURITY = "security"
    FORMAT = "format"
    PROPERTY_CONSTRAINT = "property constraint"
    OCCURRENCE_CONSTRAINT = "occurrence constraint"
    TYPE_CONSTRAINT = "type constraint"
    GENERIC = "generic"
    MESSAGE_TYPE_NOT_SUPPORTED = "message type not supported"
    RPC_FRAMEWORK = "rpc framework"


_COMMON: dict[ErrorKind, str] = {
    ErrorKind.NOT_IMPLEMENTED: "NotImplemented",
    ErrorKind.NOT_SUPPORTED: "NotSupported",
    ErrorKind.INTERNAL: "InternalError",
    ErrorKind.PROTOCOL: "ProtocolError",
    ErrorKind.SECURITY: "SecurityError",
    ErrorKind.FORMAT: "FormatViolation",
    ErrorKind.PROPERTY_CONSTRAINT: "PropertyConstraintViolation",
    ErrorKind.OCCURRENCE_CONSTRAINT: "OccurrenceConstraintViolation",
    ErrorKind.TYPE_CONSTRAINT: "TypeConstraintViolation",
    ErrorKind.GENERIC: "GenericError",
    ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED: "MessageTypeNotSupported",
    ErrorKind.RPC_FRAMEWORK: "RpcFrameworkError",
}

ERROR_CODES: dict[OcppVersion, dict[ErrorKind, str]] = {
    OcppVersion.V16: _COMMON
    | {
        ErrorKind.FORMAT: "FormationViolation",
        ErrorKind.OCCURRENCE_CONSTRAINT: "OccurenceConstraintViolation",
        # 1.6-J has neither; a frame that is no valid RPC message is a protocol error there.
        ErrorKind.RPC_FRAMEWORK: "ProtocolError",
        ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED: "ProtocolError",
    },
    OcppVersion.V201: _COMMON,
    OcppVersion.V21: _COMMON,
}

# What a receiver accepts as the same code (2.0.1 implementations spell Occur(r)ence both ways).
ACCEPTED_SPELLINGS: dict[OcppVersion, dict[ErrorKind, frozenset[str]]] = {
    version: {kind: frozenset({code}) for kind, code in codes.items()}
    for version, codes in ERROR_CODES.items()
}
ACCEPTED_SPELLINGS[OcppVersion.V201][ErrorKind.OCCURRENCE_CONSTRAINT] = frozenset(
    {"OccurrenceConstraintViolation", "OccurenceConstraintViolation"}
)

# How an unknown message type id is answered: 1.6 and 2.1 ignore it, 2.0.1 answers (OCPP-J §4.4).
ANSWERS_UNKNOWN_MESSAGE_TYPE: dict[OcppVersion, bool] = {
    OcppVersion.V16: False,
    OcppVersion.V201: True,
    OcppVersion.V21: False,
}


def error_code(version: OcppVersion, kind: ErrorKind) -> str:
    return ERROR_CODES[version][kind]


def kind_of(version: OcppVersion, code: str) -> ErrorKind | None:
    for kind, spellings in ACCEPTED_SPELLINGS[version].items():
        if code in spellings:
            return kind
    return None
