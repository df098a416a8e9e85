"""Rate limits: how often one caller may sign in or write, answered with 429 and Retry-After.

A token bucket per key (a client address, a person): it holds ``per_minute`` requests and fills
again at that rate, so a burst of that size passes and a steady flood is held to the rate.
Counted by each gateway process: with N replicas behind a balancer a caller gets up to N times
the rate, which still stops a script hammering sign-in or flooding writes; a shared count would
cost a store round trip on every request. Accounts' own count of failed sign-ins per account
(TooManyAttempts) stays the guard against guessing one person's password from many addresses.

Settings (``GATEWAY``): ``sign_in_per_minute`` per client address for the public writes (sign-in,
refresh, registration); ``writes_per_minute`` per person (or party, for a token without a person)
and ``writes_per_minute_per_address`` for everything else that is not a read. 0 turns a limit
off. ``trusted_proxies``: how many proxies in front of the gateway append to X-Forwarded-For
(the Ingress: 1); the client address is the one the outermost trusted proxy saw.
"""
from __future__ import annotations

import math
import threading
import time
from typing import Callable

from nameko.extensions import SharedExtension

from gateway.errors import ApiError
from shared.config import section

#: Buckets kept at most; past it, full buckets (callers idle for a minute) are dropped first.
MAX_BUCKETS = 100_000


class Buckets:
    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic):
        self.capacity = per_minute
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_for(self, key: str) -> int:
        """0 if a request for ``key`` may pass now (and takes it), else whole seconds to wait."""
        if not self.capacity:
            return 0
        with self._lock:
            now = self.clock()
            tokens, then = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                if len(self._buckets) > MAX_BUCKETS:
                    self._forget_full(now)
                return 0
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / self.rate))

    def _forget_full(self, now: float) -> None:
        for key, (tokens, then) in list(self._buckets.items()):
            if tokens + (now - then) * self.rate >= self.capacity:
                del self._buckets[key]


class RateLimits(SharedExtension):
    """One per gateway container, shared by its routes."""

    def setup(self):
        settings = section(self.container.config, "GATEWAY")
        self.trusted_proxies = int(settings.get("trusted_proxies") or 0)
        self.limits = {
            "sign_in": Buckets(float(settings.get("sign_in_per_minute") or 0)),
            "write": Buckets(float(settings.get("writes_per_minute") or 0)),
            "write_address": Buckets(float(settings.get("writes_per_minute_per_address") or 0)),
        }

    def check(self, request, principal) -> None:
        """Raise 429 if this request is over one of its caller's limits."""
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        address = self.client_address(request)
        if principal is None:
            waits = [self.limits["sign_in"].wait_for(address)]
        else:
            actor = principal.as_actor()
            person = actor.get("person") or f"{actor['role']}:{actor['subject']}"
            waits = [self.limits["write"].wait_for(person),
                     self.limits["write_address"].wait_for(address)]
        wait = max(waits)
        if wait:
            raise ApiError(429, "too_many_requests",
                           f"请求过于频繁，请 {wait} 秒后再试 (too many requests; try again in {wait} s)",
                           {"retry_after": wait}, headers={"Retry-After": str(wait)})

    def client_address(self, request) -> str:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")
                     if part.strip()]
        if self.trusted_proxies and forwarded:
            return forwarded[-min(self.trusted_proxies, len(forwarded))]
        return request.remote_addr or "unknown"
