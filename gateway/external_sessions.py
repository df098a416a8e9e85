"""Signing people in to the console through another identity platform: an issuer of
``AUTH.external_issuers`` with ``sign_in``, whose client the gateway is by the authorization code
flow with PKCE (RFC 7636). The browser holds what the flow needs in HttpOnly cookies, as it holds
the platform's own refresh token; nothing is kept on the server, so any replica answers any step.

1. ``start``: a random state and code verifier in a cookie of ten minutes (SameSite=Lax, since it
   must come back with the issuer's redirect, a cross-site navigation), and the redirect there.
2. ``finish``: the state compared with the cookie's, the code exchanged at the issuer's token
   endpoint, the access token verified and mapped as any of that issuer's tokens is (a person
   with no role here is refused), and the issuer's tokens kept in the session cookie
   (SameSite=Strict, sent to /api/v1/sessions only).
3. ``renew``: the access token from the cookie while it has a minute left, else a new one by the
   issuer's refresh token (the cookie then holds its successor); none: signed out.
Every failure of the redirect steps sends the browser back to the sign-in page with a code the
console words (``external_error``): a person never lands on a JSON error.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import time
from urllib.parse import urlencode

import jwt
import requests
from nameko.extensions import DependencyProvider
from werkzeug.utils import redirect

from gateway.auth import TokenVerifier
from gateway.issuers import ExternalIssuer

log = logging.getLogger(__name__)
#: The flow under way (state, verifier, issuer, where to return), for the callback only.
FLOW_COOKIE = "onestop_sign_in"
FLOW_PATH = "/api/v1/sessions/external"
FLOW_SECONDS = 600
#: The issuer's tokens of a person signed in through it, for the session endpoints only.
SESSION_COOKIE = "onestop_external"
CALLBACK_PATH = "/api/v1/sessions/external/callback"
SIGN_IN_PAGE = "/sign-in"
#: An access token with less than this left is renewed rather than handed out again.
MARGIN_SECONDS = 60


class SignInFailed(Exception):
    """A step of the redirect flow failed: ``code`` says why, in the console's words."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class SessionEnded(Exception):
    """The cookie's session cannot give an access token any more: sign in again."""


class ExternalSessions:
    def __init__(self, issuers: dict[str, ExternalIssuer]):
        self.issuers = {url: issuer for url, issuer in issuers.items() if issuer.sign_in}

    def offered(self, language: str) -> list[dict]:
        """The issuers the sign-in page offers, named in ``language`` (else in Chinese)."""
        return [{"issuer": url, "name": issuer.sign_in.name.get(language) or issuer.sign_in.name["zh-CN"]}
                for url, issuer in self.issuers.items()]

    def start(self, issuer_url: str, return_to: str, platform_url: str) -> tuple[str, str]:
        """Where to send the browser, and the flow cookie's value."""
        issuer = self._issuer(issuer_url)
        endpoints = self._discovery(issuer)
        state, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        query = {"response_type": "code", "client_id": issuer.sign_in.client_id,
                 "redirect_uri": platform_url + CALLBACK_PATH, "scope": issuer.sign_in.scope,
                 "state": state, "code_challenge": challenge.decode(), "code_challenge_method": "S256"}
        if issuer.sign_in.resource:
            query["resource"] = issuer.sign_in.resource
        flow = {"state": state, "verifier": verifier, "issuer": issuer.issuer,
                "return_to": safe_path(return_to)}
        return f"{endpoints['authorization_endpoint']}?{urlencode(query)}", _encoded(flow)

    def finish(self, args: dict, flow_cookie: str | None, platform_url: str) -> tuple[str, str, int]:
        """Where to send the browser, the session cookie's value and its lifetime in seconds."""
        flow = _decoded(flow_cookie)
        if not flow or not args.get("state") or not secrets.compare_digest(
                str(flow.get("state")), str(args["state"])):
            raise SignInFailed("expired", "no flow under way, or another one's state")
        if args.get("error"):
            raise SignInFailed("cancelled" if args["error"] == "access_denied" else "refused",
                               str(args["error"]))
        if not args.get("code"):
            raise SignInFailed("refused", "no code")
        issuer = self._issuer(flow["issuer"])
        tokens = self._token_request(issuer, {
            "grant_type": "authorization_code", "code": args["code"],
            "redirect_uri": platform_url + CALLBACK_PATH, "code_verifier": flow["verifier"]})
        self.acts(issuer, tokens["access_token"])
        session, lifetime = self._session(issuer, tokens)
        return flow["return_to"], _encoded(session), lifetime

    def renew(self, cookie: str | None) -> tuple[dict, str | None, int]:
        """The tokens answer for the console, and the session cookie's new value (None: as it
        was) and lifetime."""
        session = _decoded(cookie)
        issuer = self.issuers.get(str((session or {}).get("issuer")))
        if issuer is None:
            raise SessionEnded("no session of an issuer that signs people in here")
        renewed, lifetime = None, 0
        if session["expires_at"] - time.time() < MARGIN_SECONDS:
            if not session.get("refresh_token"):
                raise SessionEnded("the access token lapsed and there is no refresh token")
            try:
                tokens = self._token_request(issuer, {"grant_type": "refresh_token",
                                                      "refresh_token": session["refresh_token"]})
            except SignInFailed as failed:
                raise SessionEnded(str(failed)) from None
            session, lifetime = self._session(issuer, {"refresh_token": session["refresh_token"], **tokens})
            renewed = _encoded(session)
        try:
            acts = self.acts(issuer, session["access_token"])
        except SignInFailed as failed:
            raise SessionEnded(str(failed)) from None
        answer = {"access_token": session["access_token"], "token_type": "Bearer",
                  "expires_in": max(int(session["expires_at"] - time.time()), 0),
                  "refresh_token": None, "must_change_password": False, "pending": None,
                  "person": None, "acts": acts, "issuer": issuer.issuer}
        return answer, renewed, lifetime

    def acts(self, issuer: ExternalIssuer, access_token: str) -> dict:
        """For each role the token gives here, the party acted for (as every request reads it)."""
        try:
            claims = issuer.verified(access_token, jwt.get_unverified_header(access_token).get("kid"))
        except jwt.InvalidTokenError as error:
            raise SignInFailed("invalid_token", str(error)) from None
        if not claims["act"]:
            raise SignInFailed("no_role", f"{claims['sub']} holds no role mapped here")
        return claims["act"]

    def _issuer(self, url: str) -> ExternalIssuer:
        if url not in self.issuers:
            raise SignInFailed("unknown_issuer", url)
        return self.issuers[url]

    def _discovery(self, issuer: ExternalIssuer) -> dict:
        try:
            return issuer.discovery()
        except (requests.RequestException, ValueError) as error:
            log.warning("the discovery document of %s could not be read: %s", issuer.issuer, error)
            raise SignInFailed("provider_unavailable", type(error).__name__) from None

    def _token_request(self, issuer: ExternalIssuer, form: dict) -> dict:
        client = issuer.sign_in
        if client.client_secret is None:
            form, auth = {**form, "client_id": client.client_id}, None
        else:
            auth = (client.client_id, client.client_secret)
        if client.resource:
            form = {**form, "resource": client.resource}
        try:
            answer = requests.post(self._discovery(issuer)["token_endpoint"], data=form, auth=auth,
                                   timeout=10)
        except requests.RequestException as error:
            log.warning("the token endpoint of %s did not answer: %s", issuer.issuer, error)
            raise SignInFailed("provider_unavailable", type(error).__name__) from None
        if answer.status_code != 200:
            log.warning("the token endpoint of %s refused: %s %s", issuer.issuer,
                        answer.status_code, answer.text[:200])
            raise SignInFailed("refused", f"token endpoint answered {answer.status_code}")
        tokens = answer.json()
        if not isinstance(tokens.get("access_token"), str):
            raise SignInFailed("refused", "no access token in the answer")
        return tokens

    def _session(self, issuer: ExternalIssuer, tokens: dict) -> tuple[dict, int]:
        """What the session cookie holds, and how long the browser keeps it: the refresh token's
        life as the issuer says it (else a day), or the access token's when there is none."""
        expires_in = int(tokens.get("expires_in") or 300)
        refresh = tokens.get("refresh_token")
        lifetime = int(tokens.get("refresh_expires_in") or 86400) if refresh else expires_in
        return {"issuer": issuer.issuer, "access_token": tokens["access_token"],
                "refresh_token": refresh, "expires_at": time.time() + expires_in}, lifetime


def safe_path(value: str | None) -> str:
    """A path of this site to return to (never another site's address)."""
    return value if value and value.startswith("/") and not value.startswith(("//", "/\\")) else "/"


def failed_redirect(code: str):
    return redirect(f"{SIGN_IN_PAGE}?{urlencode({'external_error': code})}", code=303)


def _encoded(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()


def _decoded(value: str | None) -> dict | None:
    try:
        decoded = json.loads(base64.urlsafe_b64decode((value or "").encode()))
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None


class ExternalSignIn(DependencyProvider):
    """The gateway's ``ExternalSessions``, over the issuers its token verifier accepts."""
    verifier = TokenVerifier()
    sessions: ExternalSessions | None = None

    def get_dependency(self, worker_ctx):
        # Built at first use: the shared verifier reads the configuration in its own setup,
        # which nameko may run after this one's.
        if self.sessions is None:
            self.sessions = ExternalSessions(self.verifier.external)
        return self.sessions
