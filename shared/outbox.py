"""The outbox relay: publishes a service's notification log to RabbitMQ, in order, at least once.

The relay's position (the last notification id it published) is a tracking record in the
service's own store under the pseudo-upstream name ``relay``. It publishes a batch and waits
once for the broker's confirms of all of it (shared/publishing.py). It records its position
only once confirmed: at most every ``record_interval`` seconds while it is busy, and once
nothing was saved for a poll interval (a commit per batch was a commit per demand or two under
load). A crash republishes what was confirmed since (about ``record_interval``'s worth, more if
a batch took longer); followers drop the duplicates. It never runs inside a request handler:
commands only wake it.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from eventsourcing.persistence import IntegrityError, Tracking

from shared.eventstore import ServiceApplication
from shared.messages import Message

log = logging.getLogger(__name__)

RELAY = "relay"

#: publish(messages) returns once the broker confirmed every message of the batch.
Publish = Callable[[list[Message]], None]


class Relay:
    def __init__(self, app: ServiceApplication, publish: Publish, *, batch: int = 500,
                 poll_interval: float = 0.5, on_published: Callable[[int], None] | None = None,
                 name: str = RELAY, leads: Callable[[str], bool] = lambda role: True,
                 record_interval: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self.app = app
        #: the tracking name its position is kept under (one per destination of the log)
        self.name = name
        self.publish = publish
        self.batch = batch
        self.poll_interval = poll_interval
        self.on_published = on_published or (lambda count: None)
        #: leads(role): whether this replica does the role's work now (shared/leadership.py)
        self.leads = leads
        self.record_interval = record_interval
        self.clock = clock
        #: the last id published and confirmed, while this relay leads; None: read the store's
        self._published: int | None = None
        self._recorded: int | None = None
        self._recorded_at = float("-inf")
        self._wake = threading.Event()
        self._stopped = threading.Event()
        app.on_recorded(self._wake.set)

    def position(self) -> int:
        """The last id published and confirmed (recorded or not yet)."""
        if self._published is None:
            self._published = self._recorded = self.app.recorder.max_tracking_id(self.name) or 0
        return self._published

    def lag(self) -> int:
        """Notifications recorded but not yet published. Read from the store while this relay
        holds no position (a replica standing by), and without keeping it: a scrape must not
        give a relay that is about to lead a stale position to start from."""
        published = self._published
        if published is None:
            published = self.app.recorder.max_tracking_id(self.name) or 0
        return max(self.app.last_notification_id() - published, 0)

    def publish_pending(self) -> int:
        """Publish one batch beyond the position; returns how many were published. The
        position is recorded once the interval has passed since it last was."""
        messages = self.app.log(self.position(), self.batch)
        if messages:
            self.publish(messages)
            self._published = messages[-1].id
            self.on_published(len(messages))
        if self.clock() - self._recorded_at >= self.record_interval:
            self.record_pending_position()
        return len(messages)

    def _quiet(self) -> None:
        """Nothing was saved for a poll interval: record the position now (each batch's
        next read finds nothing while a burst goes on, so that does not count as quiet)."""
        try:
            self.record_pending_position()
        except Exception:
            log.exception("relay of %s could not record its position; retrying", self.app.service)

    def record_pending_position(self) -> None:
        """Record the position published since the last record, if any."""
        if self._published is None or self._published == self._recorded:
            return
        try:
            self.app.recorder.insert_tracking(Tracking(self.name, self._published))
        except IntegrityError:
            # Another relay of a replica got there first; its record already covers ours.
            log.info("relay position already at or beyond %s", self._published)
        self._recorded, self._recorded_at = self._published, self.clock()

    def forget_position(self) -> None:
        """Record what this replica published, and read the position from the store again
        when it leads next: another replica may have published since."""
        self.record_pending_position()
        self._published = self._recorded = None

    def run(self) -> None:
        while not self._stopped.is_set():
            # Cleared before reading, so a save during the read still wakes the next round.
            self._wake.clear()
            try:
                # One replica publishes; the others stand by to take over if it goes.
                if not self.leads(f"relay:{self.name}"):
                    self.forget_position()
                elif self.publish_pending():
                    # Read again at once: only this process's saves wake the relay, and a
                    # replica's saves would otherwise wait for the poll interval.
                    continue
            except Exception:
                log.exception("relay of %s failed; retrying", self.app.service)
                time.sleep(self.poll_interval)
            if not self._wake.wait(self.poll_interval):
                self._quiet()
        self._quiet()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
