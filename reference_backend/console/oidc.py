"""The OpenID Connect relying party: discovery, the authorization request, the code exchange and the
ID token's checks (OpenID Connect Core 1.0 §3.1: Authorization Code Flow, with PKCE, RFC 7636).

Authlib builds the authorization URL and exchanges the code (its requests client); joserfc verifies the
ID token's signature against the provider's published keys and its claims (iss, aud, exp, iat, nonce).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import OAuth2Error
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from evharness.reference_backend.console.context import OidcSettings
from evharness.reference_backend.domain.problems import NotAuthenticated

SCOPE = "openid email profile"
TIMEOUT = 10.0
ALGORITHMS = ["RS256", "ES256", "PS256", "EdDSA"]


@dataclass(frozen=True)
class Identity:
    """Who the provider says the user is, after every check passed."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


@dataclass
class RelyingParty:
    settings: OidcSettings
    redirect_uri: str
    _metadata: dict[str, Any] | None = field(default=None, repr=False)

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (OpenID Connect Discovery 1.0 §4), fetched once."""
        if self._metadata is None:
            # OpenID Connect Discovery 1.0 §4: the issuer, without a trailing slash, + the well-known path.
            url = f"{self.settings.issuer.rstrip('/')}/.well-known/openid-configuration"
            found = _get_json(url)
            if found.get("issuer") != self.settings.issuer:
                raise NotAuthenticated(f"the provider's discovery names issuer {found.get('issuer')!r}")
            self._metadata = found
        return self._metadata

    def _session(self) -> OAuth2Session:
        return OAuth2Session(
            self.settings.client_id,
            self.settings.client_secret,
            scope=SCOPE,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
        )

    def authorization_url(self, state: str, nonce: str, code_verifier: str) -> str:
        with self._session() as session:
            url, _ = session.create_authorization_url(
                self.metadata()["authorization_endpoint"],
                state=state,
                nonce=nonce,
                code_verifier=code_verifier,
            )
        return str(url)

    def identity(self, code: str, nonce: str, code_verifier: str) -> Identity:
        """Exchange the code at the token endpoint and verify the ID token it returns."""
        try:
            with self._session() as session:
                token = session.fetch_token(
                    self.metadata()["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                    timeout=TIMEOUT,
                )
        except (OAuthError, OAuth2Error, requests.RequestException) as exc:
            answer = getattr(exc, "response", None)
            said = f" ({answer.text[:300]})" if answer is not None else ""
            raise NotAuthenticated(f"the identity provider refused the code: {exc}{said}") from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise NotAuthenticated("the identity provider returned no ID token")
        claims = self._verify(id_token, nonce)
        return Identity(
            issuer=claims["iss"],
            subject=str(claims["sub"]),
            email=claims.get("email"),
            email_verified=claims.get("email_verified") is True,
            name=claims.get("name"),
        )

    def _verify(self, id_token: str, nonce: str) -> dict[str, Any]:
        keys = KeySet.import_key_set(cast(Any, _get_json(self.metadata()["jwks_uri"])))
        try:
            decoded = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
            registry = jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": self.settings.issuer},
                aud={"essential": True, "value": self.settings.client_id},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise NotAuthenticated(f"the ID token was rejected: {exc}") from None
        return dict(decoded.claims)


def _get_json(url: str) -> dict[str, Any]:
    try:
        answer = requests.get(url, timeout=TIMEOUT)
        answer.raise_for_status()
        found = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise NotAuthenticated(f"the identity provider cannot be reached: {exc}") from None
    if not isinstance(found, dict):
        raise NotAuthenticated(f"{url} did not return a JSON object")
    return found
