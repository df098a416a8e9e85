"""Following upstream logs: each notification applied exactly once in effect, in log order.

A follower (a service application or the archive projection) keeps, per upstream, the id of the
last notification it applied (its *position*), and records that position atomically with the
effects of applying it. This mixin decides what to do with each message that arrives:

- ``id <= position``: a duplicate (redelivery, a second relay, a replayed range); dropped.
- ``previous_id == position``: the next one in the log; applied.
- otherwise something was missed (a lost message, a consumer that was down, an out-of-order
  delivery): the missing range is pulled from the upstream's log over RPC and applied in order.

A periodic ``catch_up`` pulls the same way every upstream whose messages did not all continue
the position since the round before (``upstreams_to_pull``), so the follower converges even when
the last messages of a burst are lost, and a stream that flows in order is not read twice. A
follower that can (``applies_runs``) applies each run of notifications that follow one another
(a pulled range, the messages that queued while a worker was busy) in one transaction; when a
run fails, its notifications are applied one by one, so the one at fault is tried, counted and
set aside on its own. A notification whose application fails waits, with a doubling backoff, for
its next try (later messages of that upstream wait behind it: order is kept); after
``max_attempts`` tries it is handed to ``dead_letter``, which records it and advances the
position so the stream is never blocked for good. Infrastructure errors (``transient_errors``)
are retried without limit: an outage must not dead-letter good events.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from typing import Callable, Sequence

from shared.messages import Message

log = logging.getLogger(__name__)

#: fetch(upstream, after, limit) -> the upstream's next messages after id ``after``, in order.
UpstreamLog = Callable[[str, int, int], Sequence[Message]]


class NotFollowing(RuntimeError):
    pass


class FollowsUpstreams:
    upstreams: tuple[str, ...] = ()
    #: How many dead letters a replay reads at a time.
    letters_page = 100
    #: Errors of the infrastructure (a store or broker outage), not of the message: retried for
    #: as long as they last and never dead-lettered.
    transient_errors: tuple[type[BaseException], ...] = ()
    #: Whether ``apply_all`` takes a run of notifications in one transaction.
    applies_runs = False

    # What a follower implements.
    def position(self, upstream: str) -> int:
        raise NotImplementedError

    def apply(self, message: Message) -> None:
        """Apply the message's effects and record the position, atomically and idempotently."""
        raise NotImplementedError

    def apply_all(self, messages: Sequence[Message]) -> None:
        """Apply a run of one upstream's notifications that follow one another from the
        position: the effects of all and the last one's position atomically, or nothing (an
        error raised); or, where every effect is idempotent (the archive), the effects and
        then the position. Only asked of a follower that sets ``applies_runs``."""
        raise NotImplementedError

    def dead_letter(self, message: Message, error: str) -> None:
        """Record the message as set aside and advance the position past it."""
        raise NotImplementedError

    def dead_letters(self, after: Sequence | None = None, limit: int = 100,
                     replayed: bool | None = None) -> list[dict]:
        """Notifications set aside (upstream, notification_id, event, error, replayed), ordered
        by upstream and notification id: at most ``limit`` after the key ``after`` (an
        (upstream, notification id) pair), the replayed or the waiting ones only if asked."""
        raise NotImplementedError

    def replay(self, message: Message, by: str) -> None:
        """Apply a dead-lettered message's effects now and mark it replayed, atomically; the
        position is left alone (it moved past the message when it was set aside)."""
        raise NotImplementedError

    # What the mixin provides.
    def follow_upstreams(self, upstream_log: UpstreamLog, *, pull_limit: int = 500,
                         max_attempts: int = 5, retry_backoff: float = 0.5,
                         on_gap: Callable[[str], None] | None = None,
                         on_outcome: Callable[[str, str], None] | None = None):
        """Start following. ``on_gap(upstream)`` replaces the pull a gap triggers (the nameko
        runtime wakes its catch-up thread rather than block a worker on RPC); a failed
        notification is tried again after ``retry_backoff`` seconds, doubling each time."""
        self._upstream_log = upstream_log
        self._pull_limit = pull_limit
        self._max_attempts = max_attempts
        self._retry_backoff = retry_backoff
        self._on_gap = on_gap or self._pull
        self._on_outcome = on_outcome or (lambda upstream, outcome: None)
        self._locks = defaultdict(threading.Lock)
        self._failures: dict[tuple[str, int], tuple[int, float]] = {}
        #: since the last periodic catch-up: upstreams whose messages continued the position,
        #: and those that showed a gap, a failure or an error (pulled even if they flowed after)
        self._flowing: set[str] = set()
        self._troubled: set[str] = set()

    def replay_dead_letters(self, by: str, upstream: str | None = None,
                            notification_id: int | None = None) -> list[dict]:
        """Apply again, after a fix, the dead letters not replayed yet (all, one upstream's, or
        one). Each is read afresh from its upstream's log and is replayed on its own: one that
        fails again stays set aside, with the new error in the outcome, and the rest go on.
        Replayed effects land after later notifications of the same upstream: what a reaction
        decides must not depend on an order the replay cannot restore (docs/operations.md)."""
        outcomes = []
        for letter in self._waiting_letters():
            if (upstream and letter["upstream"] != upstream) or (
                    notification_id is not None and letter["notification_id"] != notification_id):
                continue
            outcome = {"upstream": letter["upstream"], "notification_id": letter["notification_id"],
                       "event": letter["event"]}
            try:
                found = self._upstream_log(letter["upstream"], letter["notification_id"] - 1, 1)
                if not found or found[0].id != letter["notification_id"]:
                    raise LookupError(f"notification {letter['notification_id']} is not in "
                                      f"{letter['upstream']}'s log")
                with self._lock(letter["upstream"]):
                    self.replay(found[0], by)
            except Exception as error:
                log.warning("replay of %s notification %s failed", letter["upstream"],
                            letter["notification_id"], exc_info=True)
                outcomes.append({**outcome, "outcome": "failed",
                                 "error": f"{type(error).__name__}: {error}"})
            else:
                self._on_outcome(letter["upstream"], "replayed")
                outcomes.append({**outcome, "outcome": "replayed", "error": None})
        return outcomes

    def _waiting_letters(self):
        """The letters not replayed yet, read a page at a time."""
        after = None
        while letters := self.dead_letters(after, self.letters_page, replayed=False):
            yield from letters
            after = (letters[-1]["upstream"], letters[-1]["notification_id"])

    def lag(self, upstream: str) -> int:
        """Notifications of ``upstream`` known to exist (received or pulled) but not applied."""
        known = getattr(self, "_known", {}).get(upstream, 0)
        return max(known - self.position(upstream), 0)

    def _saw(self, upstream: str, notification_id: int) -> None:
        known = self.__dict__.setdefault("_known", {})
        known[upstream] = max(known.get(upstream, 0), notification_id)

    def receive(self, message: Message) -> None:
        self.receive_all([message])

    def receive_all(self, messages: Sequence[Message]) -> None:
        """Messages of one upstream as they arrived (a list may hold duplicates and be out of
        order): the ones that continue the position are applied, as one run; one beyond a gap
        has the missing range pulled from the upstream's log."""
        if not messages:
            return
        upstream = messages[0].service
        for message in messages:
            self._saw(upstream, message.id)
        gap = flowed = False
        try:
            with self._lock(upstream):
                position = self.position(upstream)
                run = []
                for message in sorted(messages, key=lambda m: m.id):
                    if message.id <= position:
                        self._on_outcome(upstream, "duplicate")
                    elif message.previous_id == position:
                        run.append(message)
                        position = message.id
                    else:
                        self._on_outcome(upstream, "gap")
                        gap = True
                flowed = bool(run) and self._apply_in_order(run) == len(run) and not gap
        finally:
            (self._flowing if flowed else self._troubled).add(upstream)
        if gap:
            self._on_gap(upstream)

    def upstreams_to_pull(self) -> list[str]:
        """The upstreams a periodic catch-up pulls: each one whose messages did not all
        continue the position since the last time this was asked (a quiet upstream may have
        lost the last messages of a burst; a gap or a failure needs its range pulled). One
        whose messages kept coming in order is left alone: what a pull would fetch is on its
        way in the queue, and would be read, carried and dropped twice."""
        due = [upstream for upstream in self.upstreams
               if upstream not in self._flowing or upstream in self._troubled]
        self._flowing.clear()
        self._troubled.clear()
        return due

    def catch_up(self, upstreams: Sequence[str] | None = None) -> int:
        """Pull and apply whatever each upstream (all by default) has beyond our position;
        returns how many.

        An upstream that cannot be read does not stop the others; its error is raised after."""
        applied, errors = 0, []
        for upstream in self.upstreams if upstreams is None else upstreams:
            try:
                applied += self._pull(upstream)
            except Exception as error:
                errors.append(error)
        if errors:
            raise errors[0]
        return applied

    def _lock(self, upstream: str) -> threading.Lock:
        if not hasattr(self, "_locks"):
            raise NotFollowing(f"{type(self).__name__} was not given the upstream logs to follow")
        return self._locks[upstream]

    def _pull(self, upstream: str) -> int:
        # The fetch runs outside the lock, so a slow or unanswered RPC never holds up messages
        # arriving in order. Under the lock, what others applied meanwhile is skipped: the batch
        # holds every notification after the position it was fetched from, so the rest of it
        # continues exactly where the position now stands.
        self._lock(upstream)  # fails clearly when not wired
        applied = 0
        while True:
            batch = self._upstream_log(upstream, self.position(upstream), self._pull_limit)
            if batch:
                self._saw(upstream, batch[-1].id)
            with self._lock(upstream):
                position = self.position(upstream)
                fresh = [message for message in batch if message.id > position]
                done = self._apply_in_order(fresh)
                applied += done
                if done < len(fresh):
                    return applied  # the head of the log waits for its next try
            if len(batch) < self._pull_limit:
                # The log's end as it stood: what the upstream records from now on comes as
                # messages. Pulling on until a page comes back empty chased a busy upstream's
                # log for as long as it kept writing, so every notification was pulled and then
                # delivered again as a duplicate.
                return applied

    def _apply_in_order(self, messages: Sequence[Message]) -> int:
        """Apply notifications that follow one another from the position; returns how many
        were applied (or set aside) before one that must wait for its next try.

        A run goes in one transaction where the follower can. When it fails, its notifications
        go one by one until one fails: that one has its own tries counted and, like any that
        has failed before, is tried alone; those behind it wait for it, then go as a run again.
        """
        done = 0
        while done < len(messages):
            head = messages[done]
            tried_before = (head.service, head.id) in self._failures
            if self.applies_runs and len(messages) - done > 1 and not tried_before:
                run = messages[done:]
                try:
                    self.apply_all(run)
                except Exception as error:
                    log.info("a run of %s %s notifications from %s failed (%s: %s); applying them "
                             "one by one", len(run), head.service, head.id, type(error).__name__, error)
                else:
                    for message in run:
                        self._on_outcome(message.service, "applied")
                    return len(messages)
                for message in run:
                    if not self._apply(message):
                        return done
                    done += 1
                return done
            if not self._apply(head):
                return done
            done += 1
        return done

    def _apply(self, message: Message) -> bool:
        """Apply (or finally dead-letter) the message; False when it must wait for a retry."""
        key = (message.service, message.id)
        tries, not_before = self._failures.get(key, (0, 0.0))
        if time.monotonic() < not_before:
            return False
        try:
            self.apply(message)
        except self.transient_errors as error:
            log.warning("%s notification %s not applied, will retry: %s",
                        message.service, message.id, error)
            self._failures[key] = (tries, time.monotonic() + self._retry_backoff)
            self._on_outcome(message.service, "failed")
            return False
        except Exception as error:
            tries += 1
            if tries < self._max_attempts:
                log.warning("%s notification %s (%s) failed (try %s of %s)", message.service,
                            message.id, message.event, tries, self._max_attempts, exc_info=True)
                backoff = self._retry_backoff * 2 ** (tries - 1)
                self._failures[key] = (tries, time.monotonic() + backoff)
                self._on_outcome(message.service, "failed")
                return False
            log.error("dead-lettering %s notification %s (%s) after %s tries", message.service,
                      message.id, message.event, tries, exc_info=True)
            self.dead_letter(message, f"{type(error).__name__}: {error}")
            self._on_outcome(message.service, "dead_lettered")
        else:
            self._on_outcome(message.service, "applied")
        self._failures.pop(key, None)
        return True
