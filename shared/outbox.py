"""The outbox relay: publishes a service's notification log to RabbitMQ, in order, at least once.

The relay's position (the last notification id it published) is a tracking record in the
service's own store under the pseudo-upstream name ``relay``. It publishes a batch, waits once
for the broker's confirms of all of it (shared/publishing.py), and only then records the
batch's last id, so a crash republishes at most one batch; followers drop the duplicates. It
never runs inside a request handler: commands only wake it.
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
                 name: str = RELAY, leads: Callable[[str], bool] = lambda role: True):
        self.app = app
        #: the tracking name its position is kept under (one per destination of the log)
        self.name = name
        self.publish = publish
        self.batch = batch
        self.poll_interval = poll_interval
        self.on_published = on_published or (lambda count: None)
        #: leads(role): whether this replica does the role's work now (shared/leadership.py)
        self.leads = leads
        self._wake = threading.Event()
        self._stopped = threading.Event()
        app.on_recorded(self._wake.set)

    def position(self) -> int:
        return self.app.recorder.max_tracking_id(self.name) or 0

    def lag(self) -> int:
        """Notifications recorded but not yet published."""
        return max(self.app.last_notification_id() - self.position(), 0)

    def publish_pending(self) -> int:
        """Publish one batch beyond the position; returns how many were published."""
        messages = self.app.log(self.position(), self.batch)
        if not messages:
            return 0
        self.publish(messages)
        try:
            self.app.recorder.insert_tracking(Tracking(self.name, messages[-1].id))
        except IntegrityError:
            # Another relay of a replica got there first; its record already covers ours.
            log.info("relay position already at or beyond %s", messages[-1].id)
        self.on_published(len(messages))
        return len(messages)

    def run(self) -> None:
        while not self._stopped.is_set():
            # Cleared before reading, so a save during the read still wakes the next round.
            self._wake.clear()
            try:
                # One replica publishes; the others stand by to take over if it goes.
                if self.leads(f"relay:{self.name}") and self.publish_pending():
                    continue
            except Exception:
                log.exception("relay of %s failed; retrying", self.app.service)
                time.sleep(self.poll_interval)
            self._wake.wait(self.poll_interval)

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
