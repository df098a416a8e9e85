"""The gateway keeps the tokens it verified: a client's next request with the same token is not
verified again, until the kept time or the token's expiry passes, and never once its signing
key is withdrawn."""
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from gateway import auth
from gateway.auth import TokenVerifier, VerifiedTokens
from gateway.errors import ApiError
from gateway.published_keys import PublishedKeys


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self):
        return self.now


class Issuer:
    """The platform's key, published or withdrawn."""

    def __init__(self):
        self.private, self.kid, self.published = ec.generate_private_key(ec.SECP256R1()), "k-1", True

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.private.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "ES256"}] if self.published else []}

    def token(self, lifetime: int = 600) -> str:
        now = int(time.time())
        return jwt.encode({"iss": "onestop", "aud": "onestop-api", "sub": "p-1", "jti": "j" * 32,
                           "iat": now, "exp": now + lifetime, "act": {"enterprise": "E-1"}},
                          self.private, algorithm="ES256", headers={"kid": self.kid})


@pytest.fixture
def issuer():
    return Issuer()


@pytest.fixture
def verifier(issuer, monkeypatch):
    """The gateway's verifier with its key cache (1 s) and token cache (30 s) on clocks of
    their own; ``verifier.decoded`` counts the signatures it verified."""
    verifier = TokenVerifier()
    verifier.issuer, verifier.audience, verifier.development, verifier.external = \
        "onestop", "onestop-api", False, {}
    verifier.key_clock, verifier.cache_clock = Clock(0.0), Clock(time.time())
    verifier.keys = PublishedKeys(issuer.jwks, 1.0, clock=verifier.key_clock)
    verifier.verified = VerifiedTokens(30, clock=verifier.cache_clock)
    verifier.decoded = 0
    real = jwt.decode

    def decode(token, key=None, **options):
        if key is not None:
            verifier.decoded += 1
        return real(token, key, **options)
    monkeypatch.setattr(auth.jwt, "decode", decode)
    return verifier


def test_a_token_verified_once_is_not_verified_again_while_kept(verifier, issuer):
    token = issuer.token()
    first = verifier.claims(f"Bearer {token}")
    again = verifier.claims(f"Bearer {token}")
    assert again == first and again["act"] == {"enterprise": "E-1"} and verifier.decoded == 1
    again["act"]["enterprise"] = "changed by a caller"  # a copy: the kept claims stay as verified
    assert verifier.claims(f"Bearer {token}")["act"] == {"enterprise": "E-1"}

    verifier.cache_clock.now += 31  # kept 30 s: then verified again
    verifier.claims(f"Bearer {token}")
    assert verifier.decoded == 2


def test_a_token_is_never_kept_past_its_expiry(verifier, issuer):
    # Kept an hour here, so the token's five minutes are what ends it (and the real clock,
    # which the signature's check reads, stays within them however slow the machine).
    verifier.verified = VerifiedTokens(3600, clock=verifier.cache_clock)
    token = issuer.token(lifetime=300)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    verifier.claims(f"Bearer {token}")
    verifier.cache_clock.now = expires - 1
    verifier.claims(f"Bearer {token}")
    assert verifier.decoded == 1
    verifier.cache_clock.now = expires  # its exp on the cache's clock: verified again
    verifier.claims(f"Bearer {token}")
    assert verifier.decoded == 2


def test_a_withdrawn_key_stops_its_kept_tokens_once_the_key_cache_drops_it(verifier, issuer):
    token = issuer.token()
    verifier.claims(f"Bearer {token}")
    issuer.published = False
    verifier.key_clock.now += 2  # the published keys are fetched again
    with pytest.raises(ApiError) as refused:
        verifier.claims(f"Bearer {token}")
    assert refused.value.status == 401 and refused.value.code == "invalid_token"


def test_kept_tokens_are_bounded_and_none_are_kept_when_turned_off():
    clock = Clock(0.0)
    kept = VerifiedTokens(30, size=2, clock=clock)
    for n in range(3):
        kept.keep(f"t{n}", {"exp": 100, "n": n}, "k")
    assert kept.get("t0") is None and kept.get("t2") == ({"exp": 100, "n": 2}, "k")
    off = VerifiedTokens(0, clock=clock)
    off.keep("t", {"exp": 100}, "k")
    assert off.get("t") is None
