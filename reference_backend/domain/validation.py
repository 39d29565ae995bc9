"""Input rules for accounts and companies: emails, passwords, names, company data.

Plain functions that return the normalised value or raise `InvalidInput` naming the field, so the API,
the CLI and the property tests share one definition of "valid".
"""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

from evharness.reference_backend.domain.problems import InvalidInput

PASSWORD_MIN = 10
PASSWORD_MAX = 128  # argon2 takes any length; a bound keeps hashing cost bounded per request
NAME_MAX = 100
COUNTRY = re.compile(r"[A-Z]{2}")
PARTNER_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,31}")
_COMMON = frozenset(
    {"password123", "qwertyuiop", "1234567890", "letmein123", "iloveyou12", "password1234", "welcome123"}
)


def normalise_email(value: str, field: str = "email") -> str:
    """The address as stored and compared: syntax checked, domain lower-cased, no DNS lookup."""
    if len(value) > 254:
        raise InvalidInput(field, "is longer than 254 characters")
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(field, f"is not a valid email address ({exc})") from None
    local, _, domain = checked.normalized.rpartition("@")
    return f"{local.lower()}@{domain.lower()}"


def check_password(password: str, email: str | None = None, field: str = "password") -> str:
    """A password is accepted if long enough, mixes character kinds and is not guessable from the email."""
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(field, f"is too weak: use at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(field, f"is longer than {PASSWORD_MAX} characters")
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if kinds < 3:
        raise InvalidInput(
            field, "is too weak: mix at least three of lower case, upper case, digits and symbols"
        )
    if len(set(password)) < 5:
        raise InvalidInput(field, "is too weak: too few different characters")
    lowered = password.lower()
    if lowered in _COMMON:
        raise InvalidInput(field, "is too weak: it is a commonly used password")
    if email:
        local = email.split("@", 1)[0].lower()
        if len(local) >= 4 and local in lowered:
            raise InvalidInput(field, "is too weak: it contains the email address")
    return password


def check_name(value: str, field: str = "name") -> str:
    """A person's or company's display name: trimmed, 1–100 printable characters."""
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise InvalidInput(field, "must not be empty")
    if len(text) > NAME_MAX:
        raise InvalidInput(field, f"is longer than {NAME_MAX} characters")
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise InvalidInput(field, "contains control characters")
    return text


def check_country(value: str, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code such as `NO` or `DE` (upper-cased)."""
    code = value.strip().upper()
    if not COUNTRY.fullmatch(code):
        raise InvalidInput(field, "must be a two-letter ISO 3166 country code, e.g. NO")
    return code


def check_partner_code(value: str, field: str = "partner_code") -> str:
    """A partner code: 4–32 of A–Z, 0–9 and `-`, compared upper-cased."""
    code = value.strip().upper()
    if not PARTNER_CODE.fullmatch(code):
        raise InvalidInput(field, "must be 4–32 letters, digits or '-', starting with a letter or digit")
    return code


def check_text(value: str, field: str, limit: int = 200, *, multiline: bool = False) -> str:
    """Free text such as an address: trimmed, not empty, bounded, no control characters (but line
    breaks and tabs in `multiline` text such as an agreement)."""
    allowed = "\n\t" if multiline else ""
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise InvalidInput(field, "must not be empty")
    if len(text) > limit:
        raise InvalidInput(field, f"is longer than {limit} characters")
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
        raise InvalidInput(field, "contains control characters")
    return text
