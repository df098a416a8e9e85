"""Tokens the gateway must refuse, made the ways an attacker would: each with the error code
the gateway answers it with. Made from the platform's own key where the attack needs it (an
expired token, a wrong audience), so only the attack's one flaw is refused."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unsigned(header: dict, claims: dict) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _claims(role: str, subject: str) -> dict:
    """A development token's claims, good for ten minutes from now."""
    now = int(time.time())
    return {"iss": "onestop", "aud": "onestop-api", "sub": f"dev:{subject}", "act": {role: subject},
            "dev": True, "jti": "f" * 32, "iat": now, "exp": now + 600}


def signed(api, key, role: str, subject: str) -> str:
    """A token the platform would have minted, signed with ``key`` (one of its signing keys)."""
    return jwt.encode(_claims(role, subject), key.private, algorithm="ES256", headers={"kid": key.kid})


def tokens(api, role: str = "supervisor", subject: str = "regulator-1") -> dict[str, tuple[str | None, str]]:
    """{attack: (token or None, the expected error code)}."""
    key = api.signing_key()
    claims = _claims(role, subject)
    now = claims["iat"]
    foreign = ec.generate_private_key(ec.SECP256R1())

    def sign(changed=None, private=key.private, kid=key.kid):
        return jwt.encode({**claims, **(changed or {})}, private, algorithm="ES256",
                          headers={"kid": kid})

    public_pem = key.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    hs256 = _unsigned({"alg": "HS256", "typ": "JWT", "kid": key.kid}, claims)
    hs256 += "." + _b64(hmac.new(public_pem, hs256.encode(), hashlib.sha256).digest())
    return {
        "no token": (None, "unauthorized"),
        "expired": (sign({"exp": now - 60}), "token_expired"),
        "another key under the platform's kid": (sign(private=foreign), "invalid_token"),
        "a key the platform does not publish": (sign(private=foreign, kid="not-a-kid"), "invalid_token"),
        "alg none": (_unsigned({"alg": "none", "typ": "JWT"}, claims) + ".", "invalid_token"),
        "HS256 keyed with the public key": (hs256, "invalid_token"),
        "another audience": (sign({"aud": "another-api"}), "invalid_token"),
        "an unknown issuer": (sign({"iss": "https://idp.example"}), "invalid_token"),
    }
