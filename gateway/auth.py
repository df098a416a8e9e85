"""Bearer JWTs (HS256) carrying a role and a subject.

The subject names the party the caller acts for: an enterprise's unified social credit code,
an institution's id, a staff member's id. Authorisation compares it with the resource's owner.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from gateway.errors import ApiError

ROLES = ("enterprise", "specialist", "institution", "supervisor", "operator")
ALGORITHM = "HS256"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="onestop"'}


@dataclass(frozen=True)
class Principal:
    role: str
    subject: str

    def as_actor(self) -> dict:
        return {"role": self.role, "subject": self.subject}


def issue(secret: str, role: str, subject: str, ttl_seconds: int = 86400) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not subject:
        raise ValueError("subject must not be empty")
    if ttl_seconds <= 0:
        raise ValueError("ttl must be a positive number of seconds")
    now = int(time.time())
    return jwt.encode({"role": role, "sub": subject, "iat": now, "exp": now + ttl_seconds},
                      secret, algorithm=ALGORITHM)


def authenticate(authorization: str | None, secret: str) -> Principal:
    if not authorization:
        raise ApiError(401, "unauthorized", "a bearer token is required", headers=CHALLENGE)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "the Authorization header must be 'Bearer <token>'",
                       headers=CHALLENGE)
    try:
        claims = jwt.decode(token.strip(), secret, algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub", "role"]})
    except jwt.ExpiredSignatureError:
        raise ApiError(401, "token_expired", "the token has expired", headers=CHALLENGE) from None
    except jwt.InvalidTokenError as error:
        raise ApiError(401, "invalid_token", f"the token is not valid: {error}",
                       headers=CHALLENGE) from None
    if claims["role"] not in ROLES:
        raise ApiError(401, "invalid_token", f"unknown role {claims['role']!r}", headers=CHALLENGE)
    return Principal(role=claims["role"], subject=str(claims["sub"]))
