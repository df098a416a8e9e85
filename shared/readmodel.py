"""Read models: tables a service keeps in its own event store, beside its events.

Every query a service answers reads these tables; none folds the log. A row changes only in the
transaction that records the events (or the tracking of the upstream notification) that changed
it, so the tables are exactly as current as the events and a restart costs nothing to rebuild.

- An application declares its tables (``ServiceApplication.tables``: DDL statements) and says
  which rows an aggregate's new state makes (``ServiceApplication.rows``).
- The recorders below run those statements inside the library's own transaction (its
  ``_insert_events`` hook, eventsourcing-notes §9), on SQLite and on PostgreSQL alike.
- SQL is written once for both: ``%s`` placeholders (turned into ``?`` for SQLite) and ``{s}``
  before each table name (the service's PostgreSQL schema; nothing on SQLite, whose file is the
  service's own).
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import datetime, timezone
from itertools import groupby
from typing import Any, Callable, Iterable, Sequence

import psycopg
from eventsourcing.persistence import (
    IntegrityError, OperationalError, ProgrammingError, StoredEvent)
from eventsourcing.postgres import PostgresProcessRecorder
from eventsourcing.sqlite import SQLiteProcessRecorder

from shared.errors import Invalid
from shared.field_messages import said


@dataclass(frozen=True)
class Statement:
    """One SQL statement and its parameters, run in the events' transaction. An upsert also
    carries its multi-row form (``rows_sql``, with ``{rows}`` for the VALUES lists) and its
    key's values, so a run of them is written as one statement per chunk; an increment also
    says which parameter it adds (``adds``), so a run's rows of one key are added together."""
    sql: str
    params: tuple = ()
    rows_sql: str | None = None
    key: tuple | None = None
    adds: int | None = None


def upsert(table: str, key: Sequence[str], values: dict[str, Any]) -> Statement:
    """Insert the row, or replace the columns of the row with the same key."""
    sql, rows_sql = _upsert_sql(table, tuple(key), tuple(values), None)
    return Statement(sql, tuple(_column(value) for value in values.values()), rows_sql,
                     tuple(str(values[c]) for c in key))


def increment(table: str, key: Sequence[str], values: dict[str, Any], amount: str) -> Statement:
    """Insert the row, or add its ``amount`` column to the row with the same key."""
    sql, rows_sql = _upsert_sql(table, tuple(key), tuple(values), amount)
    return Statement(sql, tuple(_column(value) for value in values.values()), rows_sql,
                     tuple(str(values[c]) for c in key), adds=list(values).index(amount))


@lru_cache(maxsize=256)
def _upsert_sql(table: str, key: tuple, columns: tuple, adds: str | None) -> tuple[str, str]:
    updates = [f"{c} = kept.{c} + excluded.{c}" if c == adds else f"{c} = excluded.{c}"
               for c in columns if c not in key]
    action = f"DO UPDATE SET {', '.join(updates)}" if updates else "DO NOTHING"
    alias = " AS kept" if adds else ""  # the row kept, whose amount is added to
    head = f"INSERT INTO {{s}}{table}{alias} ({', '.join(columns)}) VALUES "
    tail = f" ON CONFLICT ({', '.join(key)}) {action}"
    return head + f"({', '.join(['%s'] * len(columns))})" + tail, head + "{rows}" + tail


def instant(text: str) -> str:
    """An instant as sortable text: UTC, always with microseconds, so text order is time order."""
    return datetime.fromisoformat(text).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _column(value: Any) -> Any:
    """Lists and dicts are kept as JSON text (read back with ``json.loads``); ids as text."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


#: How many rows one multi-row statement writes at most, and how many parameters it takes
#: (under SQLite's 32 766 and PostgreSQL's 65 535).
ROWS_PER_STATEMENT = 500
PARAMETERS_PER_STATEMENT = 10_000


class ReadModelRecorder:
    """What both recorders add: the tables, the rows in the events' transaction, and queries."""

    placeholder = "%s"

    def _sql(self, sql: str) -> str:
        return sql.replace("{s}", self._prefix).replace("%s", self.placeholder)

    def create_read_model(self, tables: Iterable[str]) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            for ddl in tables:
                cursor.execute(self._sql(ddl))

    def _write_rows(self, cursor, rows: Iterable[Statement]) -> None:
        # Runs of one statement keep their order. A run of upserts (a page of demands' rows)
        # is one multi-row statement per chunk: one round trip and one parse instead of one
        # per row. Within a statement a key may appear once (PostgreSQL refuses a row
        # affected twice), so the last row of each key stands for it, as it would one by one.
        for sql, run in groupby(rows, key=lambda row: row.sql):
            run = list(run)
            if len(run) == 1:
                cursor.execute(self._sql(sql), run[0].params)
            elif run[0].rows_sql is None:
                cursor.executemany(self._sql(sql), [row.params for row in run])
            else:
                last = list(_one_per_key(run).values())
                template = self._sql(run[0].rows_sql)
                width = len(last[0].params)
                step = max(1, min(ROWS_PER_STATEMENT, PARAMETERS_PER_STATEMENT // width))
                for start in range(0, len(last), step):
                    chunk = last[start:start + step]
                    self._execute_rows(cursor, self._rows_statement(template, width, len(chunk)),
                                       [value for row in chunk for value in row.params])

    @staticmethod
    def _rows_statement(template: str, width: int, count: int) -> str:
        """The template with ``count`` VALUES lists of ``width`` placeholders each."""
        raise NotImplementedError

    def _execute_rows(self, cursor, statement: str, params: list) -> None:
        cursor.execute(statement, params)

    def _check_follows(self, cursor, follows: tuple[str, int] | None) -> None:
        """A run of an upstream's notifications records only its last one's position, which
        the library's tracking accepts over any lower one: so, before it, no notification of
        the run (from ``follows``: upstream and first id) may have been recorded already, by
        a replica applying part of the run meanwhile."""
        if follows is None:
            return
        upstream, first_id = follows
        recorded = self._locked_position(cursor, upstream)
        if recorded is not None and recorded >= first_id:
            raise IntegrityError(f"{upstream} notification {recorded} was recorded while a run "
                                 f"from {first_id} was applied")

    def _locked_position(self, cursor, upstream: str) -> int | None:
        """The upstream's recorded position, held until the transaction ends."""
        raise NotImplementedError

    def query(self, sql: str, params: Sequence = ()) -> list[dict]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql(sql), tuple(params))
            return [dict(row) for row in cursor.fetchall()]

    def select_events_of(self, originator_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[StoredEvent]]:
        """The stored events of several aggregates, by aggregate in version order, in one
        query (a page of notices loaded one by one was a round trip each)."""
        found: dict[uuid.UUID, list[StoredEvent]] = {}
        if not originator_ids:
            return found
        condition, params = self._one_of("originator_id", originator_ids)
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(f'SELECT originator_id, originator_version, topic, state FROM '
                           f'{self._prefix}"{self.events_table_name}" WHERE {condition} '
                           f'ORDER BY originator_id, originator_version', params)
            for row in cursor.fetchall():
                stored = StoredEvent(originator_id=self._originator_id(row["originator_id"]),
                                     originator_version=row["originator_version"],
                                     topic=row["topic"], state=bytes(row["state"]))
                found.setdefault(stored.originator_id, []).append(stored)
        return found

    def select_from_snapshot(self, originator_id: uuid.UUID, snapshots_table: str) -> list[StoredEvent]:
        """An aggregate's latest snapshot, if any, then its events after it, in one query: the
        library asks for each in a round trip of its own on every load."""
        snapshots, events = f'{self._prefix}"{snapshots_table}"', f'{self._prefix}"{self.events_table_name}"'
        key = self._stored_id(originator_id)
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql(
                "SELECT 0 AS part, originator_id, originator_version, topic, state FROM ("
                f"SELECT * FROM {snapshots} WHERE originator_id = %s "
                "ORDER BY originator_version DESC LIMIT 1) AS latest "
                "UNION ALL SELECT 1, originator_id, originator_version, topic, state "
                f"FROM {events} WHERE originator_id = %s AND originator_version > ("
                f"SELECT COALESCE(MAX(originator_version), 0) FROM {snapshots} WHERE originator_id = %s) "
                "ORDER BY part, originator_version"), (key, key, key))
            return [StoredEvent(originator_id=self._originator_id(row["originator_id"]),
                                originator_version=row["originator_version"], topic=row["topic"],
                                state=bytes(row["state"])) for row in cursor.fetchall()]

    def _one_of(self, column: str, values: Sequence) -> tuple[str, list]:
        """A condition that ``column`` is one of ``values``, and its parameters."""
        raise NotImplementedError

    def _originator_id(self, stored):
        """An aggregate's id as the store gives it back, as the library's own reads give it."""
        return stored

    def _stored_id(self, originator_id):
        """An aggregate's id as the store keeps it."""
        return originator_id

    def execute_returning(self, sql: str, params: Sequence = ()) -> list[dict]:
        """One statement that writes and returns rows (``RETURNING``), in a transaction of its
        own: an atomic read-and-change, such as counting an attempt."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._sql(sql), tuple(params))
            return [dict(row) for row in cursor.fetchall()]

    def execute(self, statements: Iterable[Statement]) -> None:
        """Statements in a transaction of their own, with no events (a rebuild, a snapshot)."""
        with self.datastore.transaction(commit=True) as cursor:
            self._write_rows(cursor, statements)


def _one_per_key(run: list[Statement]) -> dict[tuple, Statement]:
    """A run's rows, one per key: the last stands for an upsert's, the sum for an increment's."""
    found: dict[tuple, Statement] = {}
    for row in run:
        earlier = found.get(row.key)
        if earlier is not None and row.adds is not None:
            params = list(row.params)
            params[row.adds] += earlier.params[row.adds]
            row = replace(row, params=tuple(params))
        found[row.key] = row
    return found


class SQLiteReadModelRecorder(ReadModelRecorder, SQLiteProcessRecorder):
    placeholder = "?"
    _prefix = ""

    @staticmethod
    @lru_cache(maxsize=512)
    def _rows_statement(template: str, width: int, count: int) -> str:
        one = f"({', '.join(['?'] * width)})"
        return template.replace("{rows}", ", ".join([one] * count))

    def _one_of(self, column: str, values: Sequence) -> tuple[str, list]:
        return f"{column} IN ({', '.join(['?'] * len(values))})", [self._stored_id(v) for v in values]

    def _originator_id(self, stored):
        return self.convert_originator_id(stored)

    def _stored_id(self, originator_id):
        # As the library's own reads: a UUID by its hex, any other id as it is.
        return originator_id.hex if isinstance(originator_id, uuid.UUID) else originator_id

    def _locked_position(self, cursor, upstream: str) -> int | None:
        # A SQLite transaction that writes holds the whole database.
        return self._max_tracking_id(upstream, cursor)

    def _insert_events(self, c, stored_events, *, rows: Iterable[Statement] = (),
                       follows: tuple[str, int] | None = None, **kwargs):
        self._check_follows(c, follows)
        returning = super()._insert_events(c, stored_events, **kwargs)
        self._write_rows(c, rows)
        return returning


class PostgresReadModelRecorder(ReadModelRecorder, PostgresProcessRecorder):
    def __init__(self, datastore, *args, **kwargs):
        super().__init__(datastore, *args, **kwargs)
        datastore.get_connection = _renewed_when_unprepared(datastore, datastore.get_connection)

    @property
    def _prefix(self) -> str:
        return f'"{self.datastore.schema}".'

    @staticmethod
    @lru_cache(maxsize=512)
    def _rows_statement(template: str, width: int, count: int) -> str:
        # Numbered as the server takes them, for a raw cursor: psycopg parses every statement
        # of more than 50 parameters for its %s afresh, which cost a sixth of a rebuild.
        return template.replace("{rows}", ", ".join(
            f"({', '.join(f'${row * width + column + 1}' for column in range(width))})"
            for row in range(count)))

    def _one_of(self, column: str, values: Sequence) -> tuple[str, list]:
        return f"{column} = ANY(%s)", [list(values)]

    def _execute_rows(self, cursor, statement: str, params: list) -> None:
        # On the library's connection, so in its transaction (and pipeline).
        psycopg.RawCursor(cursor.connection).execute(statement, params)

    def _locked_position(self, cursor, upstream: str) -> int | None:
        # The row is made first if need be, so that it can be locked: a replica's tracking of
        # a notification of the run then waits for this transaction, and fails after it.
        table = f'{self._prefix}"{self.tracking_table_name}"'
        cursor.execute(f"INSERT INTO {table} (application_name, notification_id) VALUES (%s, 0) "
                       "ON CONFLICT (application_name) DO NOTHING", (upstream,))
        cursor.execute(f"SELECT notification_id FROM {table} WHERE application_name = %s "
                       "FOR UPDATE", (upstream,))
        return cursor.fetchone()["notification_id"]

    def _insert_events(self, curs, stored_events, *, rows: Iterable[Statement] = (),
                       follows: tuple[str, int] | None = None, **kwargs):
        # Inside the library's pipeline and transaction, before the events' own insert.
        self._check_follows(curs, follows)
        super()._insert_events(curs, stored_events, **kwargs)
        self._write_rows(curs, rows)


def _renewed_when_unprepared(datastore, get_connection):
    """The store's connections, replaced when psycopg believes a statement prepared that the
    server does not have ("prepared statement ... does not exist"). Seen under the fault suite,
    after a pipeline was cut short: psycopg's record of a connection's prepared statements went
    out of step with the server, and every later use of that statement on that connection
    failed. Every connection of the pool is then replaced, and the error is raised as an
    outage (``OperationalError``), which followers retry rather than set aside."""
    @contextmanager
    def renewed(*args, **kwargs):
        try:
            with get_connection(*args, **kwargs) as connection:
                yield connection
        except ProgrammingError as error:
            if not isinstance(error.__cause__, psycopg.errors.InvalidSqlStatementName):
                raise
            datastore.pool.drain()
            raise OperationalError(f"the store's connections were renewed: {error}") from error
    return renewed


# Conditions and pages by key -------------------------------------------------------------
def equal(**columns) -> tuple[list[str], list]:
    """``column = %s`` for each column given a value (None: not filtered), and the values."""
    given = {column: value for column, value in columns.items() if value is not None}
    return [f"{column} = %s" for column in given], [str(value) for value in given.values()]


def containing(column: str, part: str) -> tuple[str, str]:
    """The condition that ``column`` holds ``part`` anywhere (text a person typed: its
    wildcards are taken as themselves), and its value; Chinese substrings match on both stores."""
    return f"{column} LIKE %s ESCAPE '!'", "%" + re.sub(r"([!%_])", r"!\1", part) + "%"


def where(conditions: Sequence[str]) -> str:
    """The WHERE clause of these conditions (all of them), or nothing."""
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


# Pages by key ----------------------------------------------------------------------------
def cursor(sort_value, row_id) -> str:
    """An opaque cursor: the sort key of the last row shown."""
    return base64.urlsafe_b64encode(json.dumps([sort_value, row_id]).encode()).decode().rstrip("=")


def cursor_position(after: str) -> tuple:
    """The sort key a cursor holds; a clear error for anything but a cursor a list returned."""
    try:
        found = json.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
        if not (isinstance(found, list) and len(found) == 2 and all(isinstance(v, str) for v in found)):
            raise ValueError
        return tuple(found)
    except (ValueError, binascii.Error):
        raise Invalid("after must be a cursor this list returned as next_after",
                      {"after": [said("not_a_cursor")]}) from None


def keyset_page(read: Callable[..., list[dict]], table: str, filters: Sequence[str],
                params: Sequence, sort: str, after: str | None, limit: int,
                key: str = "id") -> tuple[list[dict], str | None]:
    """One page of ``table``'s rows matching ``filters`` (SQL conditions, all of them), ordered
    by ``sort`` (a column, ``-`` first for descending) and then the row's ``key``, after the
    cursor ``after``. Returns the rows and the cursor of the next page (None on the last): each
    page costs one indexed range read, however deep it is."""
    column = sort.lstrip("-")
    descending = sort.startswith("-")
    conditions, values = list(filters), list(params)
    if after is not None:
        conditions.append(f"({column}, {key}) {'<' if descending else '>'} (%s, %s)")
        values += cursor_position(after)
    direction = "DESC" if descending else "ASC"
    found = read(f"SELECT * FROM {{s}}{table}{where(conditions)} "
                 f"ORDER BY {column} {direction}, {key} {direction} LIMIT %s", *values, limit + 1)
    if len(found) <= limit:
        return found, None
    last = found[limit - 1]
    return found[:limit], cursor(last[column], last[key])
