"""A real OpenID Connect provider for the tests, assembled from Authlib's server components.

Authlib's `AuthorizationServer`, `AuthorizationCodeGrant` with PKCE (`CodeChallenge`) and the OpenID
Connect extension (`OpenIDCode`) do the protocol: request validation, codes, the token endpoint, RS256
ID tokens signed with a key published at `/jwks`. This module only supplies storage (dicts) and the
HTTP glue (werkzeug, in a thread on 127.0.0.1). Like `oidc-provider-mock`, the login page asks for no
password: the form names the identity (`sub`, `email`, `name`) the provider will vouch for.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, JsonPayload, JsonRequest, OAuth2Payload
from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response


@dataclass(frozen=True)
class Client(ClientMixin):  # type: ignore[misc]
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass(frozen=True)
class Identity:
    sub: str
    email: str
    name: str
    email_verified: bool = True


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: Identity
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, request: Request) -> None:
        self._request = request

    @property
    def data(self) -> Any:
        return self._request.values

    @property
    def datalist(self) -> dict[str, list[str]]:
        return {key: self._request.values.getlist(key) for key in self._request.values}


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, request: Request) -> None:
        super().__init__(method=request.method, uri=request.url, headers=request.headers)
        self._request = request
        self.payload = _Payload(request)

    @property
    def args(self) -> Any:
        return self._request.args

    @property
    def form(self) -> Any:
        return self._request.form


class _JsonPayload(JsonPayload):  # type: ignore[misc]
    def __init__(self, request: Request) -> None:
        self._request = request

    @property
    def data(self) -> Any:
        return self._request.get_json()


class Provider(AuthorizationServer):  # type: ignore[misc]
    """The authorization server plus the endpoints around it; `start()` serves it on a free port."""

    def __init__(self, client_id: str = "evharness-console", client_secret: str | None = None) -> None:
        super().__init__(scopes_supported=["openid", "email", "profile"])
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.redirect_uris: list[str] = []
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        # Test switches: sign ID tokens with a key the provider does not publish (a forged token), or
        # put other claims in them (a wrong audience, issuer, nonce, an expired token …).
        self.foreign_key: RSAKey | None = None
        self.claims_override: dict[str, Any] = {}
        self.codes: dict[str, Code] = {}
        self.tokens: list[dict[str, Any]] = []
        self.issued_id_tokens = 0
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.issuer = ""
        provider = self

        class Grant(AuthorizationCodeGrant):  # type: ignore[misc]
            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                provider.codes[code] = Code(
                    code, request.client.get_client_id(), request.payload.redirect_uri,
                    request.payload.scope, request.user, data.get("nonce"),
                    data.get("code_challenge"), data.get("code_challenge_method"),
                )  # fmt: skip

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.get_client_id() else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> Identity:
                return authorization_code.user

        class OpenId(OpenIDCode):  # type: ignore[misc]
            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.foreign_key or provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "test-key"}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                provider.issued_id_tokens += 1
                return {"iss": provider.issuer, "aud": [client.get_client_id()], **provider.claims_override}

            def generate_user_info(self, user: Identity, scope: str) -> UserInfo:
                info = UserInfo(
                    sub=user.sub, email=user.email, email_verified=user.email_verified, name=user.name
                )
                # Claims from the code (the nonce) are set before these: an override must come last.
                info.update(provider.claims_override)
                return info

        self.register_grant(Grant, [CodeChallenge(required=True), OpenId(require_nonce=True)])
        self.register_token_generator(
            "default", BearerTokenGenerator(lambda client, grant_type, user, scope: secrets.token_urlsafe(32))
        )

    # -- AuthorizationServer's framework hooks ---------------------------------------------------

    def query_client(self, client_id: str) -> Client | None:
        if client_id != self.client_id:
            return None
        return Client(self.client_id, self.client_secret, tuple(self.redirect_uris))

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.tokens.append(token)

    def create_oauth2_request(self, request: Request) -> _Request:
        return _Request(request)

    def create_json_request(self, request: Request) -> JsonRequest:
        json_request = JsonRequest(request.method, request.url, request.headers)
        json_request.payload = _JsonPayload(request)
        return json_request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Response:
        if isinstance(body, dict):
            body = json.dumps(body)
        return Response(body, status=status, headers=headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass

    # -- HTTP ------------------------------------------------------------------------------------

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except Exception as exc:  # a bug here must show in the relying party's error, not vanish
            response = _json(
                {"error": "server_error", "error_description": f"{type(exc).__name__}: {exc}"}, 500
            )
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path == "/.well-known/openid-configuration":
            return _json(self.discovery())
        if path == "/jwks":
            return _json({"keys": [self.key.as_dict(private=False)]})
        if path == "/authorize" and request.method == "GET":
            return self._login_form(request)
        if path == "/authorize" and request.method == "POST":
            who = Identity(
                request.form["sub"], request.form["email"], request.form.get("name", ""),
                request.form.get("email_verified", "true") == "true",
            )  # fmt: skip
            try:
                grant = self.get_consent_grant(request, end_user=who)
            except OAuth2Error as exc:
                return _json({"error": exc.error, "error_description": exc.description}, 400)
            response: Response = self.create_authorization_response(request, grant_user=who, grant=grant)
            return response
        if path == "/token" and request.method == "POST":
            token_response: Response = self.create_token_response(request)
            return token_response
        return Response("not found", status=404)

    def _login_form(self, request: Request) -> Response:
        """Validates the authorization request, then asks whom to log in (the form posts the query back)."""
        try:
            self.get_consent_grant(request)
        except OAuth2Error as exc:
            return _json({"error": exc.error, "error_description": exc.description}, 400)
        query = urlencode(list(request.args.items(multi=True)))
        page = (
            f'<form method="post" action="/authorize?{query}">'
            '<input name="sub"><input name="email"><input name="name"><button>Log in</button></form>'
        )
        return Response(page, content_type="text/html")

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
        }

    def start(self) -> Provider:
        self._server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-provider", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
