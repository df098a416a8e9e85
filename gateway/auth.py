"""Who is calling: bearer access tokens, verified with their issuer's published keys.

The accounts service signs access tokens (ES256, services/accounts/tokens.py); the gateway holds
its public keys only, fetched over RPC as a JWKS and kept ``AUTH.jwks_cache_seconds``
(gateway/published_keys.py). Only ES256 is accepted from it: ``alg=none`` and HS256 signed with
a public key are refused by construction. Tokens of the other issuers configured
(gateway/issuers.py) are verified with theirs and mapped to the platform's roles; any other
issuer is refused.

A token says, in ``act``, the party the person acts for in each role the services know. A route
lists the roles that may call it; the caller acts in the first of them the token holds. Routes
about the caller's own account (``PERSON``) take any signed-in person, also one who must first
change a one-time password or set up a second factor, and therefore holds no role yet.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable

import jwt
from nameko.extensions import SharedExtension
from nameko.standalone.rpc import ClusterRpcProxy

from gateway.errors import ApiError
from gateway.issuers import external_issuers
from gateway.published_keys import PublishedKeys
from gateway.roles import ROLES
from shared.config import development_tokens_allowed, issuer, refuse_placeholders, section

#: A route's pseudo-role: any signed-in person, about their own account.
PERSON = "person"
ALGORITHMS = ["ES256"]
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="onestop"'}
#: What a signed-in person must do before their token carries any role, and what they are told.
PENDING = {
    "password_change": ("password_change_required", "请先修改一次性密码 (POST /api/v1/me/password)"),
    "verification": ("verification_pending",
                     "企业尚待工作站核验（营业执照），核验后方可办理业务；请重新登录查看"),
    "second_factor_setup": ("second_factor_required",
                            "该角色须先设置第二重验证 (POST /api/v1/me/second-factor)，再重新登录"),
}


@dataclass(frozen=True)
class Principal:
    role: str
    subject: str
    person: str | None = None
    organisation: str | None = None
    roles: tuple[str, ...] = field(default=())

    def as_actor(self) -> dict:
        actor = {"role": self.role, "subject": self.subject}
        if self.person is not None:
            actor.update(person=self.person, organisation=self.organisation, roles=list(self.roles))
        return actor


def _accounts_jwks(config: dict) -> Callable[[], dict]:
    def fetch() -> dict:
        with ClusterRpcProxy(config, timeout=5) as services:
            return services.accounts.jwks()
    return fetch


class VerifiedTokens:
    """The platform's own tokens verified lately, with their claims and the key that signed
    them: a client sends the same token with each request, and verifying its signature each
    time was a tenth of the gateway's work on a read. One is kept ``seconds`` at most and never
    past its ``exp``, so an expired token is verified again (and refused); the caller checks
    that its key is still published, so a retired key stops its tokens as soon as the key cache
    (``AUTH.jwks_cache_seconds``) drops it. Access tokens are not revoked one by one (they are
    short-lived; refresh tokens are), so nothing else can change what verifying one says."""

    def __init__(self, seconds: float, size: int = 10_000, clock: Callable[[], float] = time.time):
        self.seconds, self.size, self.clock = seconds, size, clock
        #: token -> (its claims as JSON text, so each request gets its own copy; kid; until)
        self._kept: dict[str, tuple[str, str, float]] = {}

    def get(self, token: str) -> tuple[dict, str] | None:
        """(the claims, the signing key's id), while kept."""
        found = self._kept.get(token)
        if found is None:
            return None
        claims, kid, until = found
        if self.clock() >= until:
            self._kept.pop(token, None)
            return None
        return json.loads(claims), kid

    def keep(self, token: str, claims: dict, kid: str) -> None:
        if self.seconds <= 0:
            return
        while len(self._kept) >= self.size:
            self._kept.pop(next(iter(self._kept)))  # the oldest kept
        self._kept[token] = (json.dumps(claims), kid, min(self.clock() + self.seconds, float(claims["exp"])))


class TokenVerifier(SharedExtension):
    """One per gateway container, shared by its routes."""

    def setup(self):
        config = self.container.config
        refuse_placeholders(config)
        auth = section(config, "AUTH")
        self.issuer = issuer(config)
        self.audience = str(auth.get("audience"))
        self.development = development_tokens_allowed(config)
        self.keys = PublishedKeys(_accounts_jwks(config), float(auth.get("jwks_cache_seconds") or 60))
        self.external = external_issuers(auth.get("external_issuers"))
        self.verified = VerifiedTokens(float(auth.get("token_cache_seconds", 30)))

    def claims(self, authorization: str | None) -> dict:
        if not authorization:
            raise ApiError(401, "unauthorized", "a bearer token is required", headers=CHALLENGE)
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiError(401, "unauthorized", "the Authorization header must be 'Bearer <token>'",
                           headers=CHALLENGE)
        kept = self.verified.get(token)
        if kept is not None and self.keys.key(kept[1], ALGORITHMS) is not None:
            return kept[0]
        try:
            header = jwt.get_unverified_header(token)
            said = jwt.decode(token, options={"verify_signature": False}).get("iss")
            if not isinstance(said, str):
                raise jwt.InvalidIssuerError("the token names no issuer")
            if said in self.external:
                return self.external[said].verified(token, header.get("kid"))
            if said != self.issuer:
                raise jwt.InvalidIssuerError("issued by an issuer this platform does not accept")
            if header.get("alg") not in ALGORITHMS:
                raise jwt.InvalidAlgorithmError(f"the algorithm must be {', '.join(ALGORITHMS)}")
            key = self.keys.key(header.get("kid"), ALGORITHMS)
            if key is None:
                raise jwt.InvalidTokenError("signed with a key this platform does not publish")
            claims = jwt.decode(token, key, algorithms=ALGORITHMS, audience=self.audience,
                                issuer=self.issuer,
                                options={"require": ["exp", "iat", "sub", "jti", "iss", "aud"]})
        except jwt.ExpiredSignatureError:
            raise ApiError(401, "token_expired", "the token has expired", headers=CHALLENGE) from None
        except jwt.InvalidTokenError as error:
            raise ApiError(401, "invalid_token", f"the token is not valid: {error}",
                           headers=CHALLENGE) from None
        if claims.get("dev") and not self.development:
            raise ApiError(401, "invalid_token", "development tokens are not accepted here",
                           headers=CHALLENGE)
        if claims.get("ext"):
            raise ApiError(401, "invalid_token", "the token claims another issuer's mapping",
                           headers=CHALLENGE)
        if not isinstance(claims.get("act", {}), dict):
            raise ApiError(401, "invalid_token", "the token's act claim is not an object",
                           headers=CHALLENGE)
        self.verified.keep(token, claims, header.get("kid"))
        return claims


def principal_for(claims: dict, allowed: tuple[str, ...], what: str) -> Principal:
    """The caller acting in the first of the ``allowed`` roles their token holds."""
    acts = claims.get("act") or {}
    person = None if claims.get("dev") else str(claims["sub"])
    details = dict(person=person, organisation=claims.get("org") if person else None,
                   roles=tuple(claims.get("roles") or ()) if person else ())
    for role in allowed:
        if role in acts and role in ROLES:
            return Principal(role=role, subject=str(acts[role]), **details)
    if PERSON in allowed and person is not None and not claims.get("ext"):
        return Principal(role=PERSON, subject=person, **details)
    if claims.get("pending") in PENDING:
        code, message = PENDING[claims["pending"]]
        raise ApiError(403, code, message, {})
    held = sorted(acts) or ["none"]
    raise ApiError(403, "forbidden", f"role {', '.join(held)} may not call {what}",
                   {"allowed_roles": [role for role in allowed if role != PERSON]})
