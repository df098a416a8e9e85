"""Benchmark: HTTP submits and reads answered while the followers apply a backlog (target p99
<= 100 ms with 10 000 notifications behind), distributed mode.

The backlog is made as a bulk import or a long outage makes one: demands worth ``--notifications``
notifications are written into the running intake's store at once (bench/history.py's demands,
in ten parks no institution serves, half of them accepted, so matching answers each accepted one
with a failure), and intake's relay, then every follower, has all of them to take. As soon as
they are written, HTTP clients submit demands and read demands at a fixed rate between them, on
an open-loop schedule, for ``--seconds``; each latency counts from the request's intended time.
The backlog still waiting (notifications the relays have not published yet, and messages queued for
the followers) is printed at the window's start and end, so the figure is known to be taken
behind it.

    .venv/bin/python -m bench.backlog [--notifications 10000] [--rate 10] [--seconds 20]
"""
from __future__ import annotations

import argparse
import random
import time

from bench.catch_up import NOTIFICATIONS_PER_DEMAND
from bench.clients import Clients, open_loop
from bench.history import write_history
from bench.platform import (
    distributed, end_on_sigterm, load_average, pace, percentile, settle, waiting)


def measure(platform, amqp_uri: str, notifications: int, rate: float, seconds: float,
            workers: int = 8) -> dict:
    clients = Clients(platform)
    ids = [outcome for _, _, outcome in open_loop([0.0] * 20, clients.submit, 4)
           if isinstance(outcome, str)]
    settle(platform, amqp_uri)
    write_history(platform.env["ONESTOP_PG_SCHEMA_PREFIX"],
                  int(notifications / NOTIFICATIONS_PER_DEMAND) + 1)
    behind_at_start = waiting(platform, amqp_uri)
    rng = random.Random(7)
    calls = iter(range(10 ** 9))

    def submit_or_read():
        if next(calls) % 2 == 0:
            return ("submit", clients.submit())
        response = clients.get(f"/api/v1/demands/{rng.choice(ids)}")
        if response.status_code != 200:
            raise RuntimeError(f"GET: {response.status_code} {response.text[:200]}")
        return ("read", None)

    results = open_loop(pace(rate, seconds), submit_or_read, workers)
    behind_at_end = waiting(platform, amqp_uri)
    found = {"notifications": notifications, "rate": rate, "seconds": seconds,
             "behind_at_start": behind_at_start, "behind_at_end": behind_at_end,
             "errors": sum(isinstance(outcome, Exception) for _, _, outcome in results)}
    for kind in ("submit", "read"):
        latencies = sorted((finished - intended) * 1000 for intended, finished, outcome in results
                           if isinstance(outcome, tuple) and outcome[0] == kind)
        found[kind] = {"count": len(latencies), "p50": percentile(latencies, 0.50),
                       "p99": percentile(latencies, 0.99)}
    return found


def describe(found: dict) -> str:
    return (f"behind a backlog of {found['notifications']:,} notifications ({found['behind_at_start']:,} "
            f"waiting at the window's start, {found['behind_at_end']:,} at its end), "
            f"{found['rate']:.0f} calls/s for {found['seconds']:.0f} s ({found['errors']} errors): "
            f"submit p50 {found['submit']['p50']:.0f} ms, p99 {found['submit']['p99']:.0f} ms; "
            f"GET a demand p50 {found['read']['p50']:.0f} ms, p99 {found['read']['p99']:.0f} ms "
            f"(target p99 <= 100 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    end_on_sigterm()
    with distributed() as (platform, amqp_uri):
        print(f"load average: {load_average()}", flush=True)
        started = time.monotonic()
        print(describe(measure(platform, amqp_uri, args.notifications, args.rate, args.seconds)))
        print(f"load average: {load_average()} ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
