"""The distributed platform a benchmark drives, on its own RabbitMQ vhost and PostgreSQL schemas.

Reuses the end-to-end tests' process harness (one ``nameko run`` per service and the gateway);
what is added here is what the test fixtures otherwise provide: a fresh vhost made through the
management API, a fresh schema prefix on the ``test`` database, and removing both afterwards.
"""
from __future__ import annotations

import os
import re
import signal
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
import requests

from tests import factories
from tests.e2e.harness import Distributed

MANAGEMENT = os.environ.get("ONESTOP_BENCH_MANAGEMENT", "http://127.0.0.1:15672")
MANAGEMENT_AUTH = ("guest", "guest")
PG = dict(host="127.0.0.1", port=5432, dbname=os.environ.get("ONESTOP_BENCH_PG_DBNAME", "test"),
          user="postgres")

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")


@contextmanager
def vhost():
    """A fresh vhost for guest; yields its AMQP URI and deletes it (and its queues) after."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    url = f"{MANAGEMENT}/api/vhosts/{quote(name, safe='')}"
    requests.put(url, auth=MANAGEMENT_AUTH, timeout=10).raise_for_status()
    requests.put(f"{MANAGEMENT}/api/permissions/{quote(name, safe='')}/guest", auth=MANAGEMENT_AUTH,
                 json={"configure": ".*", "write": ".*", "read": ".*"}, timeout=10).raise_for_status()
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{quote(name, safe='')}"
    finally:
        requests.delete(url, auth=MANAGEMENT_AUTH, timeout=30)


@contextmanager
def schema_prefix():
    """A fresh schema prefix; every schema under it is dropped afterwards."""
    prefix = f"bench{uuid.uuid4().hex[:8]}_"
    try:
        yield prefix
    finally:
        with psycopg.connect(**PG, autocommit=True) as connection:
            schemas = connection.execute(
                "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)", (prefix,)).fetchall()
            for (schema,) in schemas:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def distributed(institutions: int = 5):
    """The running platform with the default park's station and ``institutions`` testing
    institutions that accept offers at once (so matching assigns without a human); yields
    ``(platform, amqp_uri)``."""
    with vhost() as amqp_uri, schema_prefix() as prefix, tempfile.TemporaryDirectory() as tmp:
        platform = Distributed(Path(tmp), amqp_uri, PG["dbname"], prefix).start()
        try:
            platform.api.open_station()
            for _ in range(institutions):
                registered = platform.api.call(
                    "POST", "/api/v1/institutions", as_=SPECIALIST,
                    json=factories.institution(capacity=100_000, auto_accept_offers=True))
                registered.raise_for_status()
            yield platform, amqp_uri
        finally:
            stop(platform)


def stop(platform) -> None:
    """Stop every process, killing any that does not stop in time, whatever the others do
    (the harness's own ``stop`` gives up at the first process that hangs)."""
    for process in platform.processes.values():
        process.signal()
    for process in platform.processes.values():
        try:
            process.wait()
        except AssertionError as hung:  # already killed by ``wait``
            print(str(hung).splitlines()[0])


def end_on_sigterm() -> None:
    """Turn SIGTERM (``timeout``, a CI cancel) into an exit that runs the clean-ups above."""
    def exit_(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")
    signal.signal(signal.SIGTERM, exit_)


def cpu_seconds(platform) -> dict[str, float]:
    """CPU time (user + system) each platform process has used so far: unlike rates, the CPU
    a demand costs is not much changed by other load on the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, process in platform.processes.items():
        fields = Path(f"/proc/{process.popen.pid}/stat").read_text().rpartition(")")[2].split()
        used[name] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy so far (every core, every process: the
    platform's, PostgreSQL's, RabbitMQ's, the benchmark's own, the kernel's), from /proc/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9])
    return (user + nice + system + irq + softirq + steal) / ticks


def work_done(amqp_uri: str) -> dict[str, float]:
    """What the stores and the broker have done so far: PostgreSQL transactions that wrote (a
    transaction id is given to a transaction only when it first writes, so the next id to be
    given counts them, and reads, which autocommit one by one, do not; the server's, not only
    the benchmark's database's), and messages published to the benchmark's vhost and confirmed
    to their publisher."""
    with psycopg.connect(**PG, autocommit=True) as connection:
        (commits,) = connection.execute(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint").fetchone()
    name = amqp_uri.rpartition("/")[2]
    stats = requests.get(f"{MANAGEMENT}/api/vhosts/{name}", auth=MANAGEMENT_AUTH,
                         timeout=10).json().get("message_stats", {})
    exchanges = requests.get(f"{MANAGEMENT}/api/exchanges/{quote(name, safe='')}",
                             auth=MANAGEMENT_AUTH, timeout=10).json()
    return {"commits": commits, "publishes": stats.get("publish", 0),
            "confirms": stats.get("confirm", 0),
            **{f"exchange {e['name'] or '(default)'}": e.get("message_stats", {}).get("publish_in", 0)
               for e in exchanges}}


def inbox_outcomes(platform) -> dict[str, float]:
    """Upstream notifications the followers have received so far, by what they did with them
    (applied, duplicate, gap...), all services together: a duplicate is a notification read and
    carried twice (a catch-up that pulled what was on its way as a message)."""
    outcomes: dict[str, float] = {}
    for name in platform.metrics_ports:
        for outcome, count in re.findall(
                r'^onestop_inbox_messages_total\{[^}]*outcome="([a-z_]+)"[^}]*\} ([\d.e+]+)$',
                platform.metrics(name), re.MULTILINE):
            outcomes[f"received {outcome}"] = outcomes.get(f"received {outcome}", 0) + float(count)
    return outcomes


def waiting(platform, amqp_uri: str) -> int:
    """Notifications some service's relay has yet to publish (the partners' second relay, to
    the partner exchange, exports no lag), and messages queued for the followers (delivered and
    not yet acknowledged included)."""
    unpublished = sum(
        float(lag) for name in platform.metrics_ports
        for lag in re.findall(r'^onestop_relay_lag_notifications\{service="[^"]+"\} ([\d.e+]+)$',
                              platform.metrics(name), re.MULTILINE))
    vhost_name = quote(amqp_uri.rpartition("/")[2], safe="")
    queues = requests.get(f"{MANAGEMENT}/api/queues/{vhost_name}", auth=MANAGEMENT_AUTH, timeout=10).json()
    return int(unpublished) + sum(q.get("messages", 0) for q in queues if ".follows." in q["name"])


def settle(platform, amqp_uri: str, at_most: float = 600) -> None:
    """Wait until nothing is waiting, seen twice five seconds apart (the broker refreshes its
    queue figures every few seconds), so a figure is not taken behind an earlier phase's
    backlog; ``at_most`` seconds at most (a phase of 50 demands/s for 30 s leaves minutes of
    work on 2 cores)."""
    deadline, quiet, left = time.monotonic() + at_most, 0, 0
    while quiet < 2 and time.monotonic() < deadline:
        left = waiting(platform, amqp_uri)
        quiet = quiet + 1 if left == 0 else 0
        time.sleep(5)
    if quiet < 2:
        print(f"  (not settled after {at_most:.0f} s: {left:,} notifications still waiting; the "
              "next figure is taken behind them)", flush=True)


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(share * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def wait_for_quiet(below: float = 1.0, at_most: float = 150) -> None:
    """Wait (``at_most`` seconds at most) for the one-minute load average to fall below
    ``below``: a figure taken right after a busy platform stops would share the cores with
    what it left behind (the broker and PostgreSQL still cleaning up)."""
    deadline = time.monotonic() + at_most
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(5)


def pace(rate: float, seconds: float):
    """Open-loop schedule: the intended send times (monotonic) of ``rate`` requests a second.
    Latencies are measured from these, so a slow reply does not hide the requests it delayed."""
    start = time.monotonic() + 0.2
    return [start + n / rate for n in range(int(rate * seconds))]
