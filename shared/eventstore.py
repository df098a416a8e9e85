"""The event-sourced base every owning service builds on, and where its events are stored.

A ``ServiceApplication`` is an eventsourcing application (with a process recorder, so tracking
of upstream notifications commits in the same transaction as the events a reaction produces)
that also reads its own notification log as integration messages: the outbox relay publishes
them, and followers pull ranges of them over RPC to fill gaps.
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, timezone
from typing import Callable, ClassVar

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate, BaseAggregate, event
from eventsourcing.persistence import (
    IntegrityError, InterfaceError, OperationalError, Tracking, Transcoding)
from eventsourcing.projection import EventSourcedProjection
from marshmallow import EXCLUDE

from shared.commands import Command, load_command
from shared.config import ConfigurationError, data_dir, section
from shared.contracts import contract_for
from shared import metrics
from shared.cooperation import let_others_run
from shared.errors import Conflict, NotFound
from shared.inbox import FollowsUpstreams
from shared.messages import Message
from shared.readmodel import Statement, upsert, where
from shared.times import local_date

log = logging.getLogger(__name__)

#: How often a reaction that lost a race for an aggregate is re-applied before it counts as a failure.
CONFLICT_RETRIES = 20

_DEAD_LETTERS = uuid.UUID("5d1c6a3e-9a0b-4f5e-8d55-3c1f1f0d0e11")


class DeadLetter(Aggregate):
    """An upstream notification this service set aside after it failed every try."""

    @staticmethod
    def create_id(upstream: str, notification_id: int, **_) -> uuid.UUID:
        return uuid.uuid5(_DEAD_LETTERS, f"{upstream}:{notification_id}")

    @event("NotificationDeadLettered")
    def __init__(self, upstream: str, notification_id: int, event: str, data: dict, error: str):
        self.upstream = upstream
        self.notification_id = notification_id
        self.event = event
        self.data = data
        self.error = error
        self.replayed_by: str | None = None

    @event("DeadLetterReplayed")
    def replayed(self, by: str):
        self.replayed_by = by


class Collected(ProcessingEvent):
    """The library's processing event, except that an aggregate's events are collected without
    first asking whether it is itself a domain event: that question is an ``isinstance`` of a
    runtime protocol, which Python 3.11 answers by walking the protocol's attributes each time
    (a tenth of evaluation's CPU, which collects a tally for most notifications)."""

    def collect_events(self, *objs, **kwargs) -> None:
        for obj in objs:
            if isinstance(obj, BaseAggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            elif obj is not None:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)


class ServiceApplication(EventSourcedProjection[uuid.UUID], FollowsUpstreams):
    #: The nameko service name; also the name upstream trackers know this log by.
    service: ClassVar[str]
    #: Upstream event name -> name of the method that reacts to it. The method gets the message,
    #: its data loaded through the event's contract, and the processing event to collect on.
    reactions: ClassVar[dict[str, str]] = {}
    # The relay and followers read the log in large pages; the library's default is 10.
    log_section_size = 1000
    # A store outage, or a race for an aggregate that kept being lost, is retried, never
    # dead-lettered.
    transient_errors = (OperationalError, InterfaceError, IntegrityError)
    #: The read model's tables (shared/readmodel.py); a service adds its own to these.
    tables: ClassVar[tuple[str, ...]] = (
        "CREATE TABLE IF NOT EXISTS {s}dead_letters (upstream TEXT NOT NULL, "
        "notification_id BIGINT NOT NULL, event TEXT NOT NULL, error TEXT NOT NULL, "
        "replayed_by TEXT, PRIMARY KEY (upstream, notification_id))",
    )

    #: How many notifications no reaction takes may pass in a row before their position is
    #: recorded on its own (``_pass``).
    quiet_positions = 500

    def __init__(self, env=None):
        super().__init__(env)
        self._on_recorded: list[Callable[[], None]] = []
        self._passed: dict[str, int] = {}
        self._passed_since: dict[str, int] = {}
        #: The business time of commands and reactions; tests replace it with a controlled one.
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)

    def construct_repository(self):
        return RunRepository(super().construct_repository())

    # The library's save and process_event, collecting on ``Collected``.
    def save(self, *objs, **kwargs):
        processing_event = Collected()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        return recordings

    def process_event(self, domain_event, tracking: Tracking) -> None:
        processing_event = Collected(tracking=tracking)
        self.policy(domain_event, processing_event)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)

    def register_transcodings(self, transcoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def configure(self, config: dict) -> None:
        """Take the service's own settings from the configuration (none by default)."""

    # The read model -------------------------------------------------------------------------
    def rows(self, aggregate) -> list[Statement]:
        """The read-model rows an aggregate's new state makes; a service extends this."""
        if isinstance(aggregate, DeadLetter):
            return [upsert("dead_letters", ("upstream", "notification_id"), {
                "upstream": aggregate.upstream, "notification_id": aggregate.notification_id,
                "event": aggregate.event, "error": aggregate.error,
                "replayed_by": aggregate.replayed_by})]
        return []

    def recorded_rows(self, aggregates: list) -> list[Statement]:
        """The rows of aggregates recorded together (a run's, a command's); a service whose
        rows of one table are better written together (one statement per chunk) regroups them."""
        return [row for aggregate in aggregates for row in self.rows(aggregate)]

    def rebuilt_rows(self, aggregates: list) -> list[Statement]:
        """The rows a read-model rebuild writes for a page's aggregates, as they now stand."""
        return self.recorded_rows(aggregates)

    def event_rows(self, events: list) -> list[Statement]:
        """Rows of the new events themselves, not of their aggregates' state (a service that
        keeps a trail of what happened, e.g. accounts' audit, adds them)."""
        return []

    def _record(self, processing_event: ProcessingEvent):
        # Every save, reaction, run, dead letter and replay comes through here: the rows of
        # what changed are written in the transaction that records it.
        processing_event.saved_kwargs["rows"] = (
            self.recorded_rows(list(processing_event.aggregates.values()))
            + self.event_rows(list(processing_event.events)))
        return super()._record(processing_event)

    def rebuild_read_model(self, progress: Callable[[int, int, int], None] | None = None,
                           page: int = 1000, keep: int = 10_000) -> int:
        """Bring the read model up to date with the event store (a store written before a table
        existed, or after a fix to ``rows``). The log is read in order, a page at a time; each
        event is applied to its aggregate, and at the end of the page the rows of every
        aggregate it touched are written from that state. The ``keep`` aggregates touched last
        are kept for the pages after (an aggregate's events are mostly near each other in the
        log); one not kept is loaded as it stood before its event. So memory stays bounded,
        the tables stay readable throughout, a second run changes nothing, and the events are
        only read. ``progress(position, last, read)`` after each page; returns how many
        notifications were read. (``open_application`` has created the tables.)"""
        last = self.last_notification_id()
        position = read = 0
        recent: OrderedDict = OrderedDict()
        while notifications := self.recorder.select_notifications(
                start=position, limit=page, inclusive_of_start=False):
            touched = {}
            for notification in notifications:
                aggregate_id = notification.originator_id
                aggregate = recent.pop(aggregate_id, None)
                if aggregate is None and notification.originator_version > 1:
                    aggregate = self.repository.get(aggregate_id, version=notification.originator_version - 1)
                aggregate = self.mapper.to_domain_event(notification).mutate(aggregate)
                recent[aggregate_id] = touched[aggregate_id] = aggregate
            while len(recent) > keep:
                recent.popitem(last=False)
            self.recorder.execute(self.rebuilt_rows(list(touched.values())))
            position, read = notifications[-1].id, read + len(notifications)
            if progress is not None:
                progress(position, last, read)
        return read

    def read(self, sql: str, *params) -> list[dict]:
        """Rows of the read model (shared/readmodel.py's SQL dialect)."""
        return self.recorder.query(sql, params)

    def load_command(self, schema: type[Command], payload) -> dict:
        """Load a command's payload, judging its dates by this application's clock."""
        return load_command(schema, payload, today=local_date(self.clock()))

    def on_recorded(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after every commit of new events (wakes the relay)."""
        self._on_recorded.append(callback)

    def _notify(self, recordings) -> None:
        for recording in recordings:
            metrics.BUSINESS_EVENTS.labels(self.service, type(recording.domain_event).__name__).inc()
        for callback in self._on_recorded:
            callback()

    def save_or_conflict(self, *aggregates, what: str, details: dict | None = None) -> None:
        """Save a command's changes; lost to a concurrent change of the same aggregates, the
        caller gets a Conflict to retry rather than an internal error."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise Conflict(f"{what} changed while this request was handled; try again",
                           details or {}) from None

    def find(self, aggregate_class: type[Aggregate], aggregate_id, label: str):
        """The aggregate of that class with that id; NotFound for a malformed id, an unknown
        one, or the id of another kind of aggregate."""
        try:
            found = self.repository.get(uuid.UUID(str(aggregate_id)))
        except (ValueError, AggregateNotFoundError):
            found = None
        if not isinstance(found, aggregate_class):
            raise NotFound(f"no {label} {aggregate_id}")
        return found

    # The log as messages -------------------------------------------------------------------
    def log(self, after: int, limit: int) -> list[Message]:
        notifications = self.recorder.select_notifications(
            start=max(int(after), 0), limit=max(1, min(int(limit), self.log_section_size)),
            inclusive_of_start=False)
        messages = []
        previous = after
        for notification in notifications:
            domain_event = self.mapper.to_domain_event(notification)
            terms = contract_for(type(domain_event).__name__)
            messages.append(Message(
                service=self.service,
                id=notification.id,
                previous_id=previous,
                event=terms.event,
                schema_version=terms.version,
                originator_id=str(notification.originator_id),
                originator_version=notification.originator_version,
                occurred_at=domain_event.timestamp.isoformat(),
                data=terms.dump(domain_event),
            ))
            previous = notification.id
            let_others_run()  # a page is read without I/O between events (as in apply_all)
        return messages

    def last_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    # Following upstream logs ---------------------------------------------------------------
    def position(self, upstream: str) -> int:
        return max(self.recorder.max_tracking_id(upstream) or 0, self._passed.get(upstream, 0))

    def apply(self, message: Message) -> None:
        if message.event not in self.reactions:
            self._pass(message)
            return
        for attempt in range(1, CONFLICT_RETRIES + 1):
            try:
                self.process_event(message, Tracking(message.service, message.id))
                self._passed_since[message.service] = 0  # recorded past the ones passed
                return
            except IntegrityError:
                if self.position(message.service) >= message.id:
                    return  # another consumer (a replica) recorded this notification first
                # An aggregate changed under the reaction (a command, or the reaction to
                # another upstream): a race, not a poison message. Reload and apply again.
                if attempt == CONFLICT_RETRIES:
                    raise

    def apply_all(self, messages) -> None:
        """A run's reactions collected on one processing event, recorded with the last
        notification's position in one transaction. A reaction that loads an aggregate an
        earlier one of the run changed gets it as changed (``RunRepository``): so only a service
        whose reactions decide from their aggregates alone, never from a read model or an
        in-memory fold an earlier reaction of the run would have changed, sets
        ``applies_runs``. The store checks that no notification of the run was recorded
        meanwhile (by a replica): one recorded is an ``IntegrityError``, and the run goes one
        by one, where each duplicate is found."""
        first, last = messages[0], messages[-1]
        if not any(message.event in self.reactions for message in messages):
            for message in messages:
                self._pass(message)
            return
        processing_event = Collected(Tracking(last.service, last.id))
        processing_event.saved_kwargs["follows"] = (first.service, first.id)
        with self.repository.run(processing_event):
            for message in messages:
                self.policy(message, processing_event)
                # A reaction may do no I/O (its aggregates loaded earlier in the run), and
                # green threads switch only on I/O: requests waiting in this process get a
                # turn between reactions rather than after the whole run.
                let_others_run()
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._passed_since[last.service] = 0
        self._notify(recordings)

    def _pass(self, message: Message) -> None:
        """A notification nothing here reacts to changes nothing, so it needs no commit of its
        own: its position is kept in memory, and the next commit that tracks its upstream
        records a position past it (tracking is one row per upstream, its highest id). Only
        after ``quiet_positions`` such notifications in a row is the position recorded alone.
        A restart reads those passed since again, and passes them again: which event types a
        service reacts to is fixed in its code, so passing never depends on state."""
        upstream = message.service
        self._passed[upstream] = message.id
        self._passed_since[upstream] = self._passed_since.get(upstream, 0) + 1
        if self._passed_since[upstream] >= self.quiet_positions:
            self._passed_since[upstream] = 0
            try:
                self.recorder.insert_tracking(Tracking(upstream, message.id))
            except IntegrityError:
                pass  # a replica recorded a position at or past it

    def policy(self, message: Message, processing_event: ProcessingEvent) -> None:
        reaction = self.reactions.get(message.event)
        if reaction is not None:
            # Fields a newer producer added are ignored, so producers can deploy first.
            data = contract_for(message.event).load(message.data, unknown=EXCLUDE)
            getattr(self, reaction)(message, data, processing_event)

    def dead_letter(self, message: Message, error: str) -> None:
        processing_event = Collected(Tracking(message.service, message.id))
        processing_event.collect_events(DeadLetter(
            upstream=message.service, notification_id=message.id, event=message.event,
            data=message.data, error=error[:2000]))
        try:
            self._record(processing_event)
        except IntegrityError:
            if self.position(message.service) < message.id:
                raise
        self._notify([])

    def dead_letters(self, after=None, limit: int = 100, replayed: bool | None = None) -> list[dict]:
        conditions, params = [], []
        if after is not None:
            # The table's key orders the page, so each page is one range of its index.
            conditions.append("(upstream > %s OR (upstream = %s AND notification_id > %s))")
            params += [after[0], after[0], int(after[1])]
        if replayed is not None:
            conditions.append(f"replayed_by IS {'NOT ' if replayed else ''}NULL")
        return [{"upstream": row["upstream"], "notification_id": row["notification_id"],
                 "event": row["event"], "error": row["error"],
                 "replayed": row["replayed_by"] is not None}
                for row in self.read(f"SELECT * FROM {{s}}dead_letters{where(conditions)} "
                                     "ORDER BY upstream, notification_id LIMIT %s", *params, int(limit))]

    def replay(self, message: Message, by: str) -> None:
        # The letter's new version is saved with the reaction's events: two operators replaying
        # at once conflict on it, so the effects land once.
        letter = self.repository.get(DeadLetter.create_id(message.service, message.id))
        if letter.replayed_by is not None:
            return
        processing_event = Collected()
        self.policy(message, processing_event)
        letter.replayed(by=by)
        processing_event.collect_events(letter)
        self._notify(self._record(processing_event))


class RunRepository:
    """The application's repository, except that within a run (``ServiceApplication.apply_all``)
    an aggregate is loaded once: later reactions of the run get it as the run left it. Its
    events are not recorded yet, so loading it again from the store would fork it; and one
    loaded and left alone (a station whose calendar every reaction reads) is not read again."""

    def __init__(self, repository):
        self._repository = repository
        self._current = threading.local()  # green-thread local under eventlet

    def __getattr__(self, name):
        return getattr(self._repository, name)

    def get(self, aggregate_id, **kwargs):
        run = getattr(self._current, "run", None)
        if run is None or kwargs.get("version") is not None:
            return self._load(aggregate_id, **kwargs)
        collected, loaded = run
        if aggregate_id in collected:
            return collected[aggregate_id]
        if aggregate_id not in loaded:
            loaded[aggregate_id] = self._load(aggregate_id, **kwargs)
        return loaded[aggregate_id]

    def _load(self, aggregate_id, **kwargs):
        """The aggregate as it stands: from its latest snapshot and the events after it, read
        in one query (the library reads each in a round trip of its own)."""
        snapshots = self._repository.snapshot_store
        if kwargs or snapshots is None:
            return self._repository.get(aggregate_id, **kwargs)
        stored = self._repository.event_store.recorder.select_from_snapshot(
            aggregate_id, snapshots.recorder.events_table_name)
        if not stored:
            raise AggregateNotFoundError(aggregate_id)
        return self._folded(stored)

    def _folded(self, stored_events):
        aggregate = None
        for stored_event in stored_events:
            aggregate = self._repository.event_store.mapper.to_domain_event(stored_event).mutate(aggregate)
        return aggregate

    def get_all(self, aggregate_ids) -> list:
        """Several aggregates, as their events leave them, read in one query (outside a run:
        a page of due notices); AggregateNotFoundError if one has no events."""
        aggregate_ids = list(aggregate_ids)
        if getattr(self._current, "run", None) is not None:
            return [self.get(aggregate_id) for aggregate_id in aggregate_ids]  # as the run left them
        stored = self._repository.event_store.recorder.select_events_of(aggregate_ids)
        missing = [aggregate_id for aggregate_id in aggregate_ids if aggregate_id not in stored]
        if missing:
            raise AggregateNotFoundError(missing[0])
        return [self._folded(stored[aggregate_id]) for aggregate_id in aggregate_ids]

    @contextmanager
    def run(self, processing_event: ProcessingEvent):
        self._current.run = (processing_event.aggregates, {})
        try:
            yield
        finally:
            self._current.run = None


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class OwnLogFold:
    """An in-memory read model folded from the application's own log.

    ``refresh`` applies whatever was recorded since the last call (by this process or by a
    replica sharing the store), so a query or a decision made right after it sees everything
    committed before it. Subclasses implement ``fold(domain_event)``.
    """

    page = 1000

    def __init__(self, app: ServiceApplication):
        self._app = app
        self._position = 0
        self._lock = threading.Lock()

    def refresh(self) -> None:
        with self._lock:
            while True:
                notifications = self._app.recorder.select_notifications(
                    start=self._position, limit=self.page, inclusive_of_start=False)
                for notification in notifications:
                    self.fold(self._app.mapper.to_domain_event(notification))
                    self._position = notification.id
                if len(notifications) < self.page:
                    return

    def fold(self, domain_event) -> None:
        raise NotImplementedError


# Where events are stored -----------------------------------------------------------------
_MODULES = {
    "sqlite": "eventsourcing.sqlite",
    "postgres": "eventsourcing.postgres",
    # Unit tests: SQLite in memory, so the read model's SQL is the same as everywhere else.
    "memory": "eventsourcing.sqlite",
}
_RECORDERS = {
    "eventsourcing.sqlite": "shared.readmodel:SQLiteReadModelRecorder",
    "eventsourcing.postgres": "shared.readmodel:PostgresReadModelRecorder",
}


def open_application(app_class: type[ServiceApplication], config: dict) -> ServiceApplication:
    """Construct the application on the configured store, failing loudly on a bad setting.

    eventsourcing silently falls back to an in-memory store when ``PERSISTENCE_MODULE`` is
    missing; here the module is always named and checked after construction.
    """
    store = section(config, "EVENT_STORE")
    kind = store.get("kind") or "sqlite"
    if kind not in _MODULES:
        raise ConfigurationError(f"EVENT_STORE.kind must be one of {sorted(_MODULES)}, not {kind!r}")
    settings = {"PERSISTENCE_MODULE": _MODULES[kind],
                "PROCESS_RECORDER_TOPIC": _RECORDERS[_MODULES[kind]]}
    if kind == "sqlite":
        settings["SQLITE_DBNAME"] = str(data_dir(config) / f"{app_class.service}.sqlite3")
        settings["SQLITE_LOCK_TIMEOUT"] = "5"
    elif kind == "memory":
        # Shared between the pool's connections, gone with the application.
        settings["SQLITE_DBNAME"] = f"file:{app_class.service}-{uuid.uuid4().hex}?mode=memory&cache=shared"
    elif kind == "postgres":
        schema = schema_of(store, app_class.service)
        settings.update({
            "POSTGRES_DBNAME": str(store["postgres_dbname"]),
            "POSTGRES_HOST": str(store["postgres_host"]),
            "POSTGRES_PORT": str(store["postgres_port"]),
            "POSTGRES_USER": str(store["postgres_user"]),
            "POSTGRES_PASSWORD": str(store.get("postgres_password") or ""),
            "POSTGRES_SCHEMA": schema,
        })
    # Prefixed keys: they beat any plain or prefixed key in os.environ (see eventsourcing-notes).
    prefix = app_class.name.upper() + "_"
    with _schema_created(store, schema) if kind == "postgres" else nullcontext():
        app = app_class(env={prefix + key: value for key, value in settings.items()})
        app.recorder.create_read_model(app.tables)
    app.configure(config)
    actual = type(app.factory).__module__
    if not actual.startswith(_MODULES[kind]):
        raise ConfigurationError(f"{app_class.name} opened {actual}, expected {_MODULES[kind]}")
    return app


def schema_of(store: dict, service: str) -> str:
    """The PostgreSQL schema of a service's store."""
    return f"{store.get('postgres_schema_prefix') or ''}{service}"


@contextmanager
def _schema_created(store: dict, schema: str):
    """Create the schema, and keep other processes out of it while the application creates
    its tables: two replicas starting together would otherwise race in ``CREATE TABLE IF NOT
    EXISTS``, which PostgreSQL does not make atomic, and one of them would fail."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=store["postgres_host"], port=store["postgres_port"], dbname=store["postgres_dbname"],
        user=store["postgres_user"], password=store.get("postgres_password") or None,
        autocommit=True,
    ) as connection:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (schema,))
        try:
            # A service's own role in a deployment owns a schema an administrator made for it
            # and may create nothing else in the database, not even "IF NOT EXISTS".
            if not connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                                      (schema,)).fetchone():
                connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (schema,))
