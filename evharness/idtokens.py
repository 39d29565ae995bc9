"""Identification codes (PIN and RFID) and how each travels in OCPP (DESIGN §2, seed 001).

Shared by the scenario validator, the simulator and the reference backend, so that a code one
of them accepts, the others accept too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8
RFID_UID_BYTES = (4, 7, 8, 10)  # ISO 14443 single/double/triple size, ISO 15693

_PIN = re.compile(r"#[0-9]+")  # ASCII digits only: `\d` also matches ١٢٣ and １２３
_HEX = re.compile(r"[0-9A-Fa-f]+")


class IdType(StrEnum):
    PIN = "pin"
    RFID = "rfid"


class InvalidCode(ValueError):
    """A code that breaks a rule; the message says which."""


def normalize(id_type: IdType, code: str) -> str:
    """Validate `code` and return its canonical form (RFID UIDs upper-case); raise InvalidCode."""
    if id_type is IdType.PIN:
        if not code.startswith("#"):
            raise InvalidCode("a PIN code must start with '#'")
        if not _PIN.fullmatch(code):
            raise InvalidCode("a PIN code is '#' followed by digits only")
        digits = len(code) - 1
        if not PIN_MIN_DIGITS <= digits <= PIN_MAX_DIGITS:
            raise InvalidCode(f"a PIN code has {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits, not {digits}")
        return code
    if not _HEX.fullmatch(code):
        raise InvalidCode("an RFID code is a card UID in hexadecimal digits (0-9, A-F)")
    if len(code) % 2 or len(code) // 2 not in RFID_UID_BYTES:
        sizes = ", ".join(str(n) for n in RFID_UID_BYTES)
        raise InvalidCode(f"an RFID UID has {sizes} bytes ({len(code) / 2:g} given)")
    return code.upper()


@dataclass(frozen=True, slots=True)
class WireToken:
    """A token as presented over OCPP: the 1.6 idTag (`value`: the code as the driver enters it),
    and the 2.0.1/2.1 IdToken (`value_201`, `type_201`)."""

    value: str
    type_201: str  # IdTokenEnumType

    @property
    def value_201(self) -> str:
        """The 2.0.1 `idToken`: an identifierString, so a KeyCode carries the PIN's digits only."""
        return self.value.removeprefix("#") if self.type_201 == KEY_CODE else self.value


KEY_CODE = "KeyCode"


def to_wire(id_type: IdType, code: str) -> WireToken:
    """PIN → KeyCode; RFID → ISO14443 (4/7/10 bytes) or ISO15693 (8 bytes)."""
    if id_type is IdType.PIN:
        return WireToken(code, KEY_CODE)
    return WireToken(code, "ISO15693" if len(code) == 16 else "ISO14443")


def from_wire_201(value: str, type_201: str) -> str:
    """The code of a 2.0.1/2.1 IdToken as people and 1.6 write it: KeyCode `4821` is the PIN `#4821`
    (DESIGN §2: the `#` is how a driver enters a PIN, not part of the identifierString)."""
    if type_201 == KEY_CODE and not value.startswith("#"):
        return f"#{value}"
    return value


WIRE_TYPE_TO_ID_TYPE: dict[str, IdType] = {
    KEY_CODE: IdType.PIN,
    "ISO14443": IdType.RFID,
    "ISO15693": IdType.RFID,
}


ID_TOKEN_MAX_LENGTH = 36  # 2.0.1 IdTokenType.idToken: identifierString[0..36]
_IDENTIFIER = re.compile(r"[a-zA-Z0-9*\-_=:+|@.]+")  # Part 2 §2.1 identifierString, not empty


def normalize_identifier(code: str) -> str:
    """Validate a token code that is neither a PIN nor a card UID (Central, eMAID, MacAddress, Local,
    EVCCID): an identifierString of 1 to 36 characters, kept as given; raise InvalidCode."""
    if not code:
        raise InvalidCode("a token code is not empty")
    if len(code) > ID_TOKEN_MAX_LENGTH:
        raise InvalidCode(f"a token code has at most {ID_TOKEN_MAX_LENGTH} characters, not {len(code)}")
    if not _IDENTIFIER.fullmatch(code):
        raise InvalidCode("a token code holds only a-z A-Z 0-9 * - _ = : + | @ . (an identifierString)")
    return code


def guess_type_from_idtag(id_tag: str) -> IdType:
    """On 1.6 only the idTag travels: a leading '#' marks a PIN (DESIGN §2)."""
    return IdType.PIN if id_tag.startswith("#") else IdType.RFID
