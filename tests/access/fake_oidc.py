"""A small OpenID provider for tests: a real HTTP server on 127.0.0.1 with token, keys and userinfo
endpoints, signing ID tokens with its own RSA key (RS256)."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class FakeProvider:
    def __init__(self, *, client_id: str = "jxjy-portal", client_secret: str = "s3cret"):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signing_key = self.key  # a test may sign with another key than the one published
        self.kid = "test-key-1"
        self.grants: dict[str, dict] = {}  # code -> claims to put in the ID token
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def settings(self) -> dict:
        return {"OIDC_ENABLED": True, "OIDC_RP_CLIENT_ID": self.client_id, "OIDC_RP_CLIENT_SECRET": self.client_secret,
                "OIDC_RP_SIGN_ALGO": "RS256", "OIDC_OP_ISSUER": self.url,
                "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
                "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token", "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
                "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks", "OIDC_TIMEOUT": 5}

    def grant(self, *, nonce: str, audience: str | None = None, **claims) -> str:
        """The code the provider would hand back after the user signs in with these claims."""
        code = secrets.token_urlsafe(12)
        now = int(time.time())
        self.grants[code] = {"iss": self.url, "aud": audience or self.client_id, "sub": claims.pop("sub", "u-1"),
                             "iat": now, "exp": now + 300, "nonce": nonce, **claims}
        return code

    def id_token(self, claims: dict) -> str:
        return jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/jwks":
                    return self._json(200, provider.jwks())
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.grants.get(token.removeprefix("at-"))
                    if claims is None:
                        return self._json(401, {"error": "invalid_token"})
                    return self._json(200, {"sub": claims["sub"], "name": claims.get("name", "")})
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                if (form.get("client_id"), form.get("client_secret")) != (provider.client_id, provider.client_secret):
                    return self._json(401, {"error": "invalid_client"})
                claims = provider.grants.get(form.get("code", ""))
                if claims is None:
                    return self._json(400, {"error": "invalid_grant"})
                return self._json(200, {"access_token": f"at-{form['code']}", "token_type": "Bearer",
                                        "id_token": provider.id_token(claims), "expires_in": 300})

        return Handler
