"""The raw limits the platform's figures are read against, measured in the same run:

- PostgreSQL commits/s: one-event saves through eventsourcing on one connection (each of the
  event path's steps commits like this: a command, or a follower applying one notification);
- confirmed publishes/s: one nameko publisher (kombu) with publisher confirms and persistent
  delivery to a durable queue, one message at a time, as the outbox relay publishes;
- notification-log read/s: the events just saved, read back through the notification log in
  pages of 1000 and decoded (what a relay, a catch-up or a rebuild reads).

    .venv/bin/python -m bench.raw_limits [--seconds 5]
"""
from __future__ import annotations

import argparse
import time
from contextlib import contextmanager

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from kombu import Exchange, Queue
from nameko.amqp.publish import Publisher
from nameko.constants import PERSISTENT

from bench.platform import PG, load_average, schema_prefix, vhost


class Probe(Aggregate):
    """One small event per aggregate: the smallest save the event path makes."""

    @event("Recorded")
    def __init__(self, n: int):
        self.n = n


class Probes(Application):
    name = "Probes"


@contextmanager
def probe_store():
    """A ``Probes`` application on a fresh PostgreSQL schema, with a single connection."""
    with schema_prefix() as prefix:
        schema = f"{prefix}probes"
        with psycopg.connect(**PG, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        app = Probes(env={
            "PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": PG["dbname"],
            "POSTGRES_HOST": PG["host"], "POSTGRES_PORT": str(PG["port"]),
            "POSTGRES_USER": PG["user"], "POSTGRES_PASSWORD": "", "POSTGRES_SCHEMA": schema,
            "POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "0"})
        try:
            yield app
        finally:
            app.close()


def pg_commits_per_second(app: Probes, seconds: float) -> float:
    deadline, saved = time.monotonic() + seconds, 0
    started = time.perf_counter()
    while time.monotonic() < deadline:
        app.save(Probe(saved))
        saved += 1
    return saved / (time.perf_counter() - started)


def log_reads_per_second(app: Probes) -> float:
    started, read, position = time.perf_counter(), 0, 0
    while notifications := app.recorder.select_notifications(
            start=position, limit=1000, inclusive_of_start=False):
        for notification in notifications:
            app.mapper.to_domain_event(notification)
        read += len(notifications)
        position = notifications[-1].id
    return read / (time.perf_counter() - started)


def confirmed_publishes_per_second(amqp_uri: str, seconds: float) -> float:
    exchange = Exchange("bench.events", type="topic", durable=True)
    queue = Queue("bench.follows", exchange=exchange, routing_key="#", durable=True)
    publisher = Publisher(amqp_uri, use_confirms=True, exchange=exchange, declare=[exchange, queue],
                          delivery_mode=PERSISTENT, serializer="json")
    body = {"demand_id": "2c6f3a52-41f1-4ad4-9a43-6f25f0a4b3a1", "category": "inspection_testing",
            "items": ["LED lamp"], "park": "panyu-energy-park"}
    headers = {"x-onestop-service": "bench", "x-onestop-event": "DemandSubmitted"}
    publisher.publish(body, routing_key="DemandSubmitted", headers=headers)  # connects
    deadline, published = time.monotonic() + seconds, 0
    started = time.perf_counter()
    while time.monotonic() < deadline:
        publisher.publish(body, routing_key="DemandSubmitted", headers=headers)
        published += 1
    return published / (time.perf_counter() - started)


def measure(seconds: float = 5.0, amqp_uri: str | None = None) -> dict:
    """The three limits; publishes go to ``amqp_uri`` or to a vhost made for the purpose."""
    with probe_store() as app:
        commits = pg_commits_per_second(app, seconds)
        reads = log_reads_per_second(app)
    if amqp_uri is None:
        with vhost() as uri:
            publishes = confirmed_publishes_per_second(uri, seconds)
    else:
        publishes = confirmed_publishes_per_second(amqp_uri, seconds)
    return {"pg_commits": commits, "confirmed_publishes": publishes, "log_reads": reads}


def describe(limits: dict) -> list[str]:
    return [f"PostgreSQL one-event commits: {limits['pg_commits']:,.0f}/s "
            f"({1000 / limits['pg_commits']:.2f} ms each)",
            f"confirmed publishes (one publisher): {limits['confirmed_publishes']:,.0f}/s "
            f"({1000 / limits['confirmed_publishes']:.2f} ms each)",
            f"notification-log read: {limits['log_reads']:,.0f} events/s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per measured limit")
    args = parser.parse_args()
    print(f"load average before: {load_average()}")
    for line in describe(measure(args.seconds)):
        print(line)


if __name__ == "__main__":
    main()
