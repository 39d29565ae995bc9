"""The relying party's checks of the ID token, against the real provider of the feature suite.

Each case has the provider issue a token that is wrong in one way; the backend must refuse it, naming
the ID token, whatever else is right.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc.jwk import RSAKey

from evharness.reference_backend.console.context import OidcSettings
from evharness.reference_backend.console.oidc import RelyingParty
from evharness.reference_backend.domain.problems import NotAuthenticated
from evharness.reference_backend.domain.tokens import new_token
from features.onboarding.oidc_provider import Provider

CALLBACK = "http://127.0.0.1:9/api/sso/callback"  # never called: the test reads the code from the redirect


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    started = Provider().start()
    started.redirect_uris.append(CALLBACK)
    yield started
    started.stop()


@pytest.fixture
def party(provider: Provider) -> Iterator[RelyingParty]:
    provider.claims_override = {}
    provider.foreign_key = None
    yield RelyingParty(OidcSettings(provider.issuer, provider.client_id, provider.client_secret), CALLBACK)
    provider.claims_override = {}
    provider.foreign_key = None


def authorize(party: RelyingParty, nonce: str, verifier: str) -> str:
    """Log in at the provider as a browser would; the code it redirects back with."""
    url = party.authorization_url("state-1", nonce, verifier)
    with httpx.Client() as browser:
        assert browser.get(url).status_code == 200
        answer = browser.post(url, data={"sub": "u-1", "email": "u1@example.com", "name": "U One"})
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["state"] == ["state-1"]
    return query["code"][0]


def test_a_good_token_gives_the_identity(party: RelyingParty) -> None:
    nonce, verifier = new_token(), new_token() + new_token()
    identity = party.identity(authorize(party, nonce, verifier), nonce, verifier)
    assert (identity.subject, identity.email, identity.email_verified, identity.name) == (
        "u-1",
        "u1@example.com",
        True,
        "U One",
    )
    assert identity.issuer == party.settings.issuer


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"aud": ["another-client"]}, "aud"),
        ({"iss": "http://127.0.0.1:1"}, "iss"),
        ({"exp": int(time.time()) - 3600}, "exp"),
        ({"nonce": "replayed-nonce"}, "nonce"),
    ],
)
def test_a_wrong_claim_is_rejected(
    party: RelyingParty, provider: Provider, override: dict[str, Any], problem: str
) -> None:
    provider.claims_override = override
    nonce, verifier = new_token(), new_token() + new_token()
    code = authorize(party, nonce, verifier)
    with pytest.raises(NotAuthenticated, match=f"ID token was rejected.*{problem}"):
        party.identity(code, nonce, verifier)


def test_a_token_signed_by_an_unpublished_key_is_rejected(party: RelyingParty, provider: Provider) -> None:
    provider.foreign_key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "alg": "RS256"})
    nonce, verifier = new_token(), new_token() + new_token()
    code = authorize(party, nonce, verifier)
    with pytest.raises(NotAuthenticated, match="ID token was rejected"):
        party.identity(code, nonce, verifier)


def test_a_wrong_code_verifier_is_refused_by_the_provider(party: RelyingParty) -> None:
    nonce, verifier = new_token(), new_token() + new_token()
    code = authorize(party, nonce, verifier)
    with pytest.raises(NotAuthenticated, match="refused the code"):
        party.identity(code, nonce, new_token() + new_token())


def test_a_code_works_once(party: RelyingParty) -> None:
    nonce, verifier = new_token(), new_token() + new_token()
    code = authorize(party, nonce, verifier)
    party.identity(code, nonce, verifier)
    with pytest.raises(NotAuthenticated, match="invalid_grant"):
        party.identity(code, nonce, verifier)
