"""Input validation of accounts and companies (domain/validation.py), as properties.

Every rule either returns a normalised value that passes the rule again (idempotence) or raises
`InvalidInput` naming the field — never any other exception, whatever the input.
"""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from evharness.reference_backend.domain import validation as v
from evharness.reference_backend.domain.onboarding import (
    AccountType,
    application_company,
    registration_company,
)
from evharness.reference_backend.domain.problems import InvalidInput

local_parts = st.text(string.ascii_letters + string.digits + "._+-", min_size=1, max_size=30).filter(
    lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s
)
labels = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
domains = st.builds(lambda parts, tld: ".".join([*parts, tld]), st.lists(labels, min_size=1, max_size=3),
                    st.sampled_from(["com", "no", "org", "io"]))  # fmt: skip


def refusal(rule: Callable[[], object]) -> InvalidInput | None:
    """The refusal of `rule()`, or None if it accepted; any other exception fails the test."""
    try:
        rule()
    except InvalidInput as exc:
        return exc
    return None


emails = st.builds(lambda local, domain: f"{local}@{domain}", local_parts, domains)


@given(emails)
def test_a_wellformed_email_normalises_to_lower_case_and_is_stable(address: str) -> None:
    normal = v.normalise_email(address)
    assert normal == normal.lower()
    assert v.normalise_email(normal) == normal
    assert v.normalise_email(address.upper()) == normal  # one account per address, whatever the case


@given(st.text(max_size=300))
@example("ada@")
@example("@example.com")
@example("ada@@example.com")
@example("a" * 250 + "@example.com")
def test_any_text_is_an_email_or_refused_naming_the_field(text: str) -> None:
    refused = refusal(lambda: v.normalise_email(text))
    if refused is not None:
        assert refused.field == "email"
        return
    normal = v.normalise_email(text)
    assert "@" in normal
    assert len(normal) <= 254


@given(st.text(string.ascii_letters + string.digits, max_size=300).filter(lambda s: "@" not in s))
def test_text_without_at_sign_is_never_an_email(text: str) -> None:
    with pytest.raises(InvalidInput, match="email"):
        v.normalise_email(text)


strong = st.builds(
    lambda lower, upper, digits, rest: lower + upper + digits + rest,
    st.text(string.ascii_lowercase, min_size=4, max_size=20),
    st.text(string.ascii_uppercase, min_size=3, max_size=20),
    st.text(string.digits, min_size=3, max_size=20),
    st.text(string.punctuation, max_size=10),
).filter(lambda p: len(set(p)) >= 5)


@given(strong)
def test_long_mixed_passwords_are_accepted(password: str) -> None:
    assert v.check_password(password) == password


@given(st.text(max_size=v.PASSWORD_MIN - 1))
def test_short_passwords_are_too_weak(password: str) -> None:
    with pytest.raises(InvalidInput, match="too weak") as refused:
        v.check_password(password)
    assert refused.value.field == "password"


@given(st.text(string.ascii_lowercase, min_size=v.PASSWORD_MIN, max_size=60))
def test_one_kind_of_character_is_too_weak(password: str) -> None:
    with pytest.raises(InvalidInput, match="too weak"):
        v.check_password(password)


@given(st.text(min_size=v.PASSWORD_MAX + 1, max_size=v.PASSWORD_MAX + 50))
def test_overlong_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput, match="longer than"):
        v.check_password(password)


@given(local_parts.filter(lambda s: len(s) >= 4), strong)
def test_a_password_containing_the_email_is_too_weak(local: str, password: str) -> None:
    with pytest.raises(InvalidInput, match="contains the email"):
        v.check_password(password + local.upper(), f"{local}@example.com")


@given(st.text(max_size=300))
def test_any_password_is_accepted_unchanged_or_refused_naming_the_field(text: str) -> None:
    refused = refusal(lambda: v.check_password(text))
    if refused is not None:
        assert refused.field == "password"
    else:
        assert v.check_password(text) == text


@given(st.text(max_size=200))
def test_names_are_trimmed_bounded_and_printable(text: str) -> None:
    refused = refusal(lambda: v.check_name(text))
    if refused is not None:
        assert refused.field == "name"
        return
    name = v.check_name(text)
    assert name == name.strip()
    assert 1 <= len(name) <= v.NAME_MAX
    assert v.check_name(name) == name


@given(st.text(max_size=10))
def test_countries_are_two_upper_case_letters(text: str) -> None:
    refused = refusal(lambda: v.check_country(text))
    if refused is not None:
        assert refused.field == "country"
        return
    code = v.check_country(text)
    assert len(code) == 2
    assert code.isascii()
    assert code.isupper()


@given(st.text(max_size=50))
def test_partner_codes_are_normalised_or_refused(text: str) -> None:
    refused = refusal(lambda: v.check_partner_code(text))
    if refused is not None:
        assert refused.field == "partner_code"
        return
    code = v.check_partner_code(text)
    assert code == code.upper()
    assert v.check_partner_code(code.lower()) == code


company_fields = st.fixed_dictionaries(
    {
        "name": st.text(max_size=120),
        "company_type": st.sampled_from(
            ["partner", "cpo", "installer", "operator", "customer_personal", "x"]
        ),
        "country": st.text(max_size=4),
        "address": st.none() | st.text(max_size=250),
        "vat_id": st.none() | st.text(max_size=40),
    }
)


@given(company_fields)
def test_a_company_application_is_valid_or_refused_naming_its_field(fields: dict[str, str | None]) -> None:
    refused = refusal(lambda: application_company(**fields))  # type: ignore[arg-type]
    if refused is not None:
        assert refused.field in {"name", "type", "country", "address", "vat_id"}
        return
    kind, details = application_company(**fields)  # type: ignore[arg-type]
    assert kind.value in {"partner", "cpo", "installer"}
    assert details.name == v.check_name(details.name)
    assert len(details.country) == 2


@given(
    st.sampled_from(list(AccountType)),
    st.fixed_dictionaries(
        {},
        optional={
            key: st.none() | st.text(max_size=60) for key in ("company_name", "country", "address", "vat_id")
        },
    ),
)
def test_registration_properties_are_complete_or_the_missing_one_is_named(
    account_type: AccountType, properties: dict[str, str | None]
) -> None:
    refused = refusal(lambda: registration_company(account_type, "Pia", properties))
    if refused is not None:
        assert refused.field in {"company_name", "country", "address", "vat_id"}
        return
    details = registration_company(account_type, "Pia", properties)
    assert len(details.country) == 2
    if account_type is AccountType.CUSTOMER_PERSONAL and not properties.get("company_name"):
        assert details.name == "Pia"  # a household is named after its person
