"""Following upstream logs: each notification applied exactly once in effect, in log order.

A follower (a service application or the archive projection) keeps, per upstream, the id of the
last notification it applied (its *position*), and records that position atomically with the
effects of applying it. This mixin decides what to do with each message that arrives:

- ``id <= position``: a duplicate (redelivery, a second relay, a replayed range); dropped.
- ``previous_id == position``: the next one in the log; applied.
- otherwise something was missed (a lost message, a consumer that was down, an out-of-order
  delivery): the missing range is pulled from the upstream's log over RPC and applied in order.

A periodic ``catch_up`` pulls every upstream the same way, so the follower converges even when
the last messages of a burst are lost. A notification that keeps failing is tried
``max_attempts`` times (across deliveries and pulls), then handed to ``dead_letter``, which
records it and advances the position so the stream is never blocked.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter, defaultdict
from typing import Callable, Sequence

from shared.messages import Message

log = logging.getLogger(__name__)

#: fetch(upstream, after, limit) -> the upstream's next messages after id ``after``, in order.
UpstreamLog = Callable[[str, int, int], Sequence[Message]]


class NotFollowing(RuntimeError):
    pass


class FollowsUpstreams:
    upstreams: tuple[str, ...] = ()

    # What a follower implements.
    def position(self, upstream: str) -> int:
        raise NotImplementedError

    def apply(self, message: Message) -> None:
        """Apply the message's effects and record the position, atomically and idempotently."""
        raise NotImplementedError

    def dead_letter(self, message: Message, error: str) -> None:
        """Record the message as set aside and advance the position past it."""
        raise NotImplementedError

    # What the mixin provides.
    def follow_upstreams(self, upstream_log: UpstreamLog, *, pull_limit: int = 500,
                         max_attempts: int = 5, on_outcome: Callable[[str, str], None] | None = None):
        self._upstream_log = upstream_log
        self._pull_limit = pull_limit
        self._max_attempts = max_attempts
        self._on_outcome = on_outcome or (lambda upstream, outcome: None)
        self._locks = defaultdict(threading.Lock)
        self._failures = Counter()

    def receive(self, message: Message) -> None:
        with self._lock(message.service):
            position = self.position(message.service)
            if message.id <= position:
                self._on_outcome(message.service, "duplicate")
                return
            if message.previous_id == position:
                self._apply(message)
                return
        self._on_outcome(message.service, "gap")
        self._pull(message.service)

    def catch_up(self, upstreams: Sequence[str] | None = None) -> int:
        """Pull and apply whatever each upstream has beyond our position; returns how many."""
        return sum(self._pull(upstream) for upstream in upstreams or self.upstreams)

    def _lock(self, upstream: str) -> threading.Lock:
        if not hasattr(self, "_locks"):
            raise NotFollowing(f"{type(self).__name__} was not given the upstream logs to follow")
        return self._locks[upstream]

    def _fetch(self, upstream: str) -> Sequence[Message]:
        self._lock(upstream)  # fails clearly when not wired
        return self._upstream_log(upstream, self.position(upstream), self._pull_limit)

    def _pull(self, upstream: str) -> int:
        # The fetch runs outside the lock, so a slow or unanswered RPC never holds up messages
        # arriving in order. Under the lock, what others applied meanwhile is skipped: the batch
        # holds every notification after the position it was fetched from, so the rest of it
        # continues exactly where the position now stands.
        applied = 0
        while True:
            batch = self._fetch(upstream)
            with self._lock(upstream):
                position = self.position(upstream)
                for message in batch:
                    if message.id > position:
                        self._apply(message)
                        position = message.id
                        applied += 1
            if len(batch) < self._pull_limit:
                return applied

    def _apply(self, message: Message) -> None:
        key = (message.service, message.id)
        try:
            self.apply(message)
        except Exception as error:
            self._failures[key] += 1
            if self._failures[key] < self._max_attempts:
                self._on_outcome(message.service, "failed")
                raise
            log.exception("dead-lettering %s notification %s (%s) after %s tries",
                          message.service, message.id, message.event, self._failures[key])
            self.dead_letter(message, f"{type(error).__name__}: {error}")
            self._on_outcome(message.service, "dead_lettered")
        else:
            self._on_outcome(message.service, "applied")
        self._failures.pop(key, None)
