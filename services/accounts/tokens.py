"""What a signed-in person holds: a short-lived access token and a refresh token.

The access token is a JWT signed with the key ring's current key (ES256), for at most
``MAX_ACCESS_SECONDS``: ``iss``, ``aud``, ``sub`` (the person), ``org`` (their organisation),
``roles`` (their roles in it), ``act`` (for each role the platform's services know, the party
the person acts for: an enterprise's credit code, an institution's id, an operating
institution's credit code, the specialist themselves), ``name``, ``jti``, ``iat``, ``exp``; and ``pending`` (``password_change``,
``second_factor_setup``) while the person must do that first, when ``act`` is empty. Anyone can verify it with the published JWKS;
only the accounts service can sign.

The refresh token is ``<session id>.<secret>``; only the secret's SHA-256 is kept, on the
session. Each use replaces it; a replaced one used again ends the session (whoever holds a copy
is cut off with the thief).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta

import jwt

from services.accounts.keys import ALGORITHM, KeyRing, key_ring
from shared.config import ConfigurationError, development_tokens_allowed, issuer, section

MAX_ACCESS_SECONDS = 600
#: A development token's longest life (a test run's), where such tokens are allowed at all.
MAX_DEVELOPMENT_SECONDS = 86400
#: The roles a person can hold, and the role the platform's services know each by.
ACTS_AS = {
    "enterprise_admin": "enterprise", "enterprise_member": "enterprise",
    "specialist": "specialist", "station_manager": "specialist",
    "institution_member": "institution",
    "supervisor": "supervisor",
    "operator": "operator",
    "operating_institution_member": "operating_institution",
}


def access_token(ring: KeyRing, *, issuer: str, audience: str, person: str, organisation: str,
                 name: str, roles: list[str], acts: dict[str, str], now: datetime,
                 seconds: int, pending: str | None = None,
                 development: bool = False) -> tuple[str, datetime]:
    if not development:
        seconds = min(int(seconds), MAX_ACCESS_SECONDS)
    expires = now + timedelta(seconds=seconds)
    claims = {"iss": issuer, "aud": audience, "sub": person, "org": organisation, "name": name,
              "roles": sorted(roles), "act": acts, "jti": uuid.uuid4().hex,
              "iat": int(now.timestamp()), "exp": int(expires.timestamp())}
    if pending:
        claims["pending"] = pending  # what the person must do first: the gateway says so
    if development:
        claims["dev"] = True
    key = ring.current()
    token = jwt.encode(claims, key.private, algorithm=ALGORITHM, headers={"kid": key.kid})
    return token, expires


def new_refresh_secret() -> tuple[str, str]:
    """(the secret to hand out, the hash to keep)."""
    secret = secrets.token_urlsafe(32)
    return secret, refresh_hash(secret)


def refresh_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def refresh_token(session_id: uuid.UUID, secret: str) -> str:
    return f"{session_id}.{secret}"


def parse_refresh_token(token: str) -> tuple[uuid.UUID, str] | None:
    session, _, secret = str(token).partition(".")
    try:
        return uuid.UUID(session), secret
    except ValueError:
        return None


def same_hash(kept: str, secret: str) -> bool:
    return hmac.compare_digest(kept, refresh_hash(secret))


def development_token(config: dict, role: str, subject: str, seconds: int, now: datetime) -> str:
    """A token for a role and a party, with no person behind it: for development and tests,
    where the configuration allows it (``AUTH.development_tokens``), and accepted only there."""
    if not development_tokens_allowed(config):
        raise ConfigurationError("development tokens are not allowed by this configuration "
                                 "(AUTH.development_tokens): sign in instead")
    auth = section(config, "AUTH")
    token, _ = access_token(
        key_ring(config), issuer=issuer(config), audience=str(auth.get("audience")),
        person=f"dev:{subject}", organisation="dev", name=subject, roles=[], acts={role: subject},
        now=now, seconds=min(int(seconds), MAX_DEVELOPMENT_SECONDS), development=True)
    return token
