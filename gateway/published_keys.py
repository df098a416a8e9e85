"""An issuer's published signing keys (its JWKS), kept for a while and fetched again when stale
or when a token names a key not among them (a key rotated in), at most every few seconds: a
flood of made-up key ids must not become a flood of fetches."""
from __future__ import annotations

import threading
import time
from typing import Callable

import jwt

#: The shortest time between two fetches of the keys for an unknown kid.
REFETCH_SECONDS = 5.0


class PublishedKeys:
    def __init__(self, fetch: Callable[[], dict], max_age: float,
                 clock: Callable[[], float] = time.monotonic):
        self._fetch = fetch
        self._max_age = max_age
        self._clock = clock
        self._keys: dict[str, object] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str | None, algorithms: list[str]):
        """The public key of that id, if the issuer publishes it for one of ``algorithms``."""
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at > self._max_age
            unknown = kid not in self._keys and (
                self._fetched_at is None or now - self._fetched_at > REFETCH_SECONDS)
            if stale or unknown:
                # Counted as a fetch even if it fails: an issuer that does not answer is not
                # asked again for every token that names a key it does not have.
                self._fetched_at = now
                fetched = {}
                for jwk in self._fetch().get("keys", []):
                    if "kid" not in jwk or jwk.get("use", "sig") != "sig":
                        continue
                    try:
                        found = jwt.PyJWK(jwk)
                    except jwt.PyJWKError:
                        continue  # a kind of key this platform does not verify with
                    if found.algorithm_name in algorithms:
                        fetched[jwk["kid"]] = found.key
                self._keys = fetched  # only once the whole set was read
            return self._keys.get(kid)
