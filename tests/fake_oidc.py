"""A real local OpenID Connect provider on 127.0.0.1, for testing `st.login` without the internet.

Streamlit's `st.login` talks to a real OIDC provider through Authlib: it reads the discovery
document, redirects the browser to the authorization endpoint, exchanges the code (with PKCE) at the
token endpoint, fetches the signing keys and checks the RS256 identity token (signature, issuer,
nonce, expiry, azp, at_hash). None of that can be exercised against Google or Entra ID from a machine
without internet access, and mocking Authlib would test nothing. This provider speaks the protocol
for real, with no login form: `/authorize` signs in `FakeOIDC.user` at once and redirects back.

Like a real provider it refuses what a misconfigured app sends: an unknown client id or a redirect
URI that is not registered gets an error page (never a redirect), a wrong client secret, a reused or
foreign code, a different redirect URI or a bad PKCE verifier gets an OAuth error from `/token`.

    with FakeOIDC(redirect_uris=["http://127.0.0.1:8501/oauth2callback"]) as provider:
        provider.user = {"sub": "claire", "email": "claire@ars.sante.fr", "roles": ["ars"]}
        ...  # secrets.toml [auth]: server_metadata_url = provider.metadata_url,
             # client_id = provider.client_id, client_secret = provider.client_secret

`auth_secrets(...)` writes that `[auth]` section. Every request is kept in `requests` (method,
path, parameters, status answered), every RP-initiated logout in `logouts`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.local_server import LocalServer, QuietHandler

CODE_TTL = 60
TOKEN_TTL = 3600


@dataclass
class _Grant:
    """What an authorization code stands for, until `/token` redeems it (once)."""

    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    claims: dict
    code_challenge: str | None
    code_challenge_method: str | None
    expires: float


class FakeOIDC(LocalServer):
    """An OIDC provider (authorization code flow, RS256, PKCE S256) in a background thread.

    `user` holds the claims of whoever signs in at the next `/authorize` (kept until changed; `sub`
    is required). All of them go into the identity token and `/userinfo`, custom ones such as
    `roles` included; None makes the provider answer `access_denied`, as when a person cancels.
    Use as a context manager.
    """

    def __init__(
        self,
        client_id: str = "cls-assistant",
        client_secret: str | None = None,
        redirect_uris: list[str] | tuple[str, ...] = (),
        *,
        end_session: bool = True,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.redirect_uris: set[str] = set(redirect_uris)
        self.end_session = end_session
        self.user: dict | None = {"sub": "user-1", "email": "user@example.org", "name": "User"}
        self.requests: list[dict] = []
        self.logouts: list[dict] = []
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = secrets.token_hex(8)
        self._grants: dict[str, _Grant] = {}
        self._access_tokens: dict[str, dict] = {}
        self._lock = threading.Lock()
        super().__init__(_handler(self))

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def auth_secrets(self, redirect_uri: str, cookie_secret: str | None = None, **overrides: str) -> str:
        """The `[auth]` section of `.streamlit/secrets.toml` for an app at `redirect_uri`, which it
        also registers: give the real port (Streamlit expands `{port}`, this provider does not).
        `overrides` replace keys (e.g. `client_secret="wrong"`)."""
        self.redirect_uris.add(redirect_uri)
        values = {
            "redirect_uri": redirect_uri,
            "cookie_secret": cookie_secret or secrets.token_urlsafe(32),
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "server_metadata_url": self.metadata_url,
            **overrides,
        }
        return "[auth]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())

    def metadata(self) -> dict:
        endpoints = {
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
        }
        if self.end_session:
            endpoints["end_session_endpoint"] = f"{self.issuer}/logout"
        return {
            "issuer": self.issuer,
            **endpoints,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        numbers = self._key.public_key().public_numbers()
        return {"keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": self._kid,
            "n": _b64(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
            "e": _b64(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
        }]}

    def sign(self, claims: dict) -> str:
        """A compact RS256 JWT of `claims`, signed with the key published at `/jwks`."""
        header = {"alg": "RS256", "typ": "JWT", "kid": self._kid}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
        signature = self._key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def verify(self, token: str) -> dict | None:
        """The claims of a JWT this provider signed, or None (used for `id_token_hint`)."""
        try:
            signing_input, _, signature = token.rpartition(".")
            self._key.public_key().verify(
                _unb64(signature), signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
            )
            return json.loads(_unb64(signing_input.partition(".")[2]))
        except (InvalidSignature, ValueError):  # malformed or forged: not ours
            return None

    # The endpoints: each returns (status, headers, body); `_handler` writes them.

    def authorize(self, params: dict) -> tuple[int, dict, bytes]:
        redirect_uri = params.get("redirect_uri", "")
        if params.get("client_id") != self.client_id:
            return _page(400, "Unknown client_id.")
        if redirect_uri not in self.redirect_uris:
            return _page(400, f"redirect_uri {redirect_uri!r} is not registered for this client.")
        state = params.get("state")

        def back(**answer: str) -> tuple[int, dict, bytes]:
            if state is not None:
                answer["state"] = state
            return 302, {"Location": _add_query(redirect_uri, answer)}, b""

        if params.get("response_type") != "code":
            return back(error="unsupported_response_type")
        scope = params.get("scope", "")
        if "openid" not in scope.split():
            return back(error="invalid_scope", error_description="openid scope required")
        method = params.get("code_challenge_method", "plain" if params.get("code_challenge") else None)
        if method not in (None, "S256"):
            return back(error="invalid_request", error_description="only S256 PKCE is supported")
        if self.user is None:
            return back(error="access_denied", error_description="the user cancelled")
        if "sub" not in self.user:
            return _page(500, "FakeOIDC.user needs a 'sub' claim.")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = _Grant(
                client_id=self.client_id, redirect_uri=redirect_uri, scope=scope,
                nonce=params.get("nonce"), claims=dict(self.user),
                code_challenge=params.get("code_challenge"), code_challenge_method=method,
                expires=time.time() + CODE_TTL,
            )
        return back(code=code)

    def token(self, form: dict, authorization: str | None) -> tuple[int, dict, bytes]:
        client_id, client_secret, basic = form.get("client_id"), form.get("client_secret"), False
        if authorization and authorization.startswith("Basic "):
            basic = True
            try:
                decoded = base64.b64decode(authorization[6:]).decode("utf-8")
            except ValueError:
                decoded = ""
            client_id, _, client_secret = decoded.partition(":")
        if client_id != self.client_id or not secrets.compare_digest(client_secret or "", self.client_secret):
            headers = {"WWW-Authenticate": 'Basic realm="fake-oidc"'} if basic else {}
            return _json(401, {"error": "invalid_client"}, headers)
        if form.get("grant_type") != "authorization_code":
            return _json(400, {"error": "unsupported_grant_type"})
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code is redeemed once
        if grant is None or grant.expires < time.time() or grant.client_id != client_id:
            return _json(400, {"error": "invalid_grant", "error_description": "unknown or used code"})
        if form.get("redirect_uri") != grant.redirect_uri:
            return _json(400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"})
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if grant.code_challenge_method == "S256":
                verifier = _b64(hashlib.sha256(verifier.encode("ascii")).digest())
            if not verifier or verifier != grant.code_challenge:
                return _json(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        access_token = secrets.token_urlsafe(32)
        now = int(time.time())
        id_claims = {
            **grant.claims,
            "iss": self.issuer, "aud": client_id, "azp": client_id,
            "iat": now, "exp": now + TOKEN_TTL, "auth_time": now,
            "at_hash": _b64(hashlib.sha256(access_token.encode("ascii")).digest()[:16]),
        }
        if grant.nonce is not None:
            id_claims["nonce"] = grant.nonce
        with self._lock:
            self._access_tokens[access_token] = grant.claims
        return _json(200, {
            "access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_TTL,
            "scope": grant.scope, "id_token": self.sign(id_claims),
        }, {"Cache-Control": "no-store"})

    def userinfo(self, authorization: str | None) -> tuple[int, dict, bytes]:
        token = authorization[7:] if authorization and authorization.startswith("Bearer ") else ""
        with self._lock:
            claims = self._access_tokens.get(token)
        if claims is None:
            return _json(401, {"error": "invalid_token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return _json(200, claims)

    def logout(self, params: dict) -> tuple[int, dict, bytes]:
        """RP-initiated logout: checks the client and where to go back, then redirects there."""
        target = params.get("post_logout_redirect_uri")
        hint = self.verify(params["id_token_hint"]) if params.get("id_token_hint") else None
        client_id = params.get("client_id") or (hint or {}).get("aud")
        if client_id != self.client_id or (params.get("id_token_hint") and hint is None):
            return _page(400, "Unknown client or invalid id_token_hint.")
        self.logouts.append({"sub": (hint or {}).get("sub"), "post_logout_redirect_uri": target})
        if not target:
            return _page(200, "Signed out.")
        if target not in self.redirect_uris:
            return _page(400, f"post_logout_redirect_uri {target!r} is not registered.")
        answer = {"state": params["state"]} if params.get("state") else {}
        return 302, {"Location": _add_query(target, answer)}, b""


def _handler(provider: FakeOIDC) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self._answer(dict(parse_qsl(urlsplit(self.path).query)))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
            self._answer({**dict(parse_qsl(urlsplit(self.path).query)), **dict(parse_qsl(body))})

        def _answer(self, params: dict) -> None:
            path = urlsplit(self.path).path
            authorization = self.headers.get("Authorization")
            if path == "/.well-known/openid-configuration":
                status, headers, body = _json(200, provider.metadata())
            elif path == "/jwks":
                status, headers, body = _json(200, provider.jwks())
            elif path == "/authorize":
                status, headers, body = provider.authorize(params)
            elif path == "/token" and self.command == "POST":
                status, headers, body = provider.token(params, authorization)
            elif path == "/userinfo":
                status, headers, body = provider.userinfo(authorization)
            elif path == "/logout" and provider.end_session:
                status, headers, body = provider.logout(params)
            else:
                status, headers, body = _page(404, "Not found.")
            provider.requests.append({"method": self.command, "path": path, "params": params, "status": status})
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _json(status: int, payload: dict, headers: dict | None = None) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(payload).encode()


def _page(status: int, message: str) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, message.encode()


def _add_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
