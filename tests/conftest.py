import os
import time
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import eventsourcing.domain
import psycopg
import pytest

from shared.config import load

PG = dict(host="127.0.0.1", port=5432, dbname=os.environ.get("ONESTOP_TEST_PG_DBNAME", "test"),
          user="postgres")


SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """A controlled clock for the applications, set in Shanghai local time."""

    #: Where unit platforms start: Monday 30 November 2026, 09:00 in Shanghai.
    START = "2026-11-30T09:00"

    def __init__(self, now):
        self.set(now)

    def set(self, now):
        self.now = datetime.fromisoformat(now).replace(tzinfo=SHANGHAI)

    def __call__(self):
        return self.now

    def advance(self, **elapsed):
        """Move on by a ``timedelta(**elapsed)``."""
        self.now += timedelta(**elapsed)



def eventually(condition, seconds: float = 30) -> bool:
    """Whether ``condition()`` holds within ``seconds`` (a bound for a slow machine, not a
    timing the test relies on), asked every 10 ms."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True

@pytest.fixture
def clock(monkeypatch):
    """The test's clock. The library stamps every event with the real time; here it stamps
    them with this clock too, a microsecond apart at least, as real time would never stand
    still between two events."""
    controlled = Clock(Clock.START)
    stamped = [controlled()]

    def stamp():
        stamped[0] = max(controlled(), stamped[0] + timedelta(microseconds=1))
        return stamped[0].astimezone(timezone.utc)
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", stamp)
    return controlled


def evaluation_month(at: str) -> str:
    """The month evaluation counts a moment in (its days are Shanghai days by default)."""
    return datetime.fromisoformat(at).astimezone(SHANGHAI).strftime("%Y-%m")


def wait_for(predicate, timeout=10.0, interval=0.05, message="condition"):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


@pytest.fixture
def pg_schema_prefix():
    """A fresh schema prefix on the test database; the schemas are dropped afterwards."""
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    yield prefix
    with psycopg.connect(**PG, autocommit=True) as connection:
        for service in ("accounts", "intake", "matching", "evaluation", "archive", "partners",
                        "notices"):
            connection.execute(f'DROP SCHEMA IF EXISTS "{prefix}{service}" CASCADE')
            # The role `onestop credentials create` made for the service, if a test made one.
            if connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                  (f"{prefix}{service}",)).fetchone():
                connection.execute(f'DROP OWNED BY "{prefix}{service}"')
                connection.execute(f'DROP ROLE "{prefix}{service}"')


@pytest.fixture
def service_config(rabbit_config, tmp_path):
    """The packaged configuration on the test's RabbitMQ vhost and a fresh data folder."""
    config = load()
    config.update(AMQP_URI=rabbit_config["AMQP_URI"], DATA_DIR=str(tmp_path))
    config["EVENT_STORE"]["kind"] = "sqlite"
    config["INBOX"].update(catch_up_interval=3600, rpc_timeout=5)
    config["RELAY"].update(poll_interval=0.2)
    return config
