"""Work that must run once however many replicas run: timers and relays.

Among a service's replicas, the one that holds a PostgreSQL advisory lock for a role (``relay``,
``timer:check_deadlines``...) does that work; the others ask again at their next turn. The lock
belongs to a connection of its own, so it goes when the process dies or loses the database, and
another replica takes the role over at its next turn. An embedded (SQLite) or unit-test store
belongs to one process, which holds every role.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import psycopg

log = logging.getLogger(__name__)


class Leadership:
    #: Seconds a held role is trusted without asking the server again. A relay asks before each
    #: batch, which was a round trip per batch. A connection lost meanwhile may leave two
    #: replicas doing a role for this long, as it could between a check and the work before:
    #: followers drop a relay's duplicates, and a timer's changes are saved to aggregates,
    #: where the second of two concurrent changes of one loses its save.
    confirm_interval = 1.0

    def __init__(self, store: dict, scope: str, clock: Callable[[], float] = time.monotonic):
        """``store``: the EVENT_STORE settings; ``scope``: what the roles belong to (the
        service's schema), so two platforms on one database do not share leaders."""
        self._store = store
        self._scope = scope
        self._shared = (store.get("kind") or "sqlite") == "postgres"
        self._connection: psycopg.Connection | None = None
        self._held: set[str] = set()
        self._lock = threading.Lock()
        self._clock = clock
        self._confirmed_at = float("-inf")

    def holds(self, role: str) -> bool:
        """Whether this process does ``role``'s work now (taking the role if it is free)."""
        if not self._shared:
            return True
        with self._lock:
            try:
                connection = self._connect()
                if role in self._held:
                    if self._clock() - self._confirmed_at >= self.confirm_interval:
                        connection.execute("SELECT 1")  # still connected, so still held
                        self._confirmed_at = self._clock()
                    return True
                taken = connection.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                           (f"{self._scope}:{role}",)).fetchone()[0]
            except psycopg.Error as error:
                log.warning("leadership of %s unknown, not acting on it: %s", role, error)
                self._drop()  # the locks went with the connection
                return False
            if taken:
                log.info("this process now does %s's %s", self._scope, role)
                self._held.add(role)
                self._confirmed_at = self._clock()
            return taken

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _connect(self) -> psycopg.Connection:
        if self._connection is None:
            store = self._store
            self._connection = psycopg.connect(
                host=store["postgres_host"], port=store["postgres_port"],
                dbname=store["postgres_dbname"], user=store["postgres_user"],
                password=store.get("postgres_password") or None, autocommit=True,
                connect_timeout=5)
        return self._connection

    def _drop(self) -> None:
        self._held.clear()
        if self._connection is not None:
            try:
                self._connection.close()
            except psycopg.Error:
                pass
            self._connection = None
