"""Benchmark: a follower far behind its upstream catches up (target: >= 10 000 notifications/s
for one 100 000 behind), as a new follower, a long outage or a replica started late would.

Intake's log is written first (bench/history.py's ten years of demands, half of them accepted,
so each demand is one or two notifications), on PostgreSQL. Then each follower of intake that
applies runs (the partner feed, evaluation) is opened on a store of its own and catches up the
whole log, pulling 500 notifications at a time from intake's ``log``, as the notifications RPC
serves it (read in the same process here, so the figure holds reading, decoding, the reactions
and the commits, not the broker's round trip). For comparison, each also catches up the first
``--one-by-one`` notifications one transaction each, as before runs. Beside them, measured in
the same run: the rate at which intake's log is read as messages alone (the ceiling of any
catch-up), and PostgreSQL's one-event commits/s (bench/raw_limits.py).

    .venv/bin/python -m bench.catch_up [--notifications 100000] [--one-by-one 10000]
"""
from __future__ import annotations

import argparse
import time

from bench.history import config, write_history
from bench.platform import load_average, schema_prefix
from bench.raw_limits import pg_commits_per_second, probe_store

#: bench.history writes 1.5 notifications a demand (every demand submitted, half accepted).
NOTIFICATIONS_PER_DEMAND = 1.5


def log_read_rate(upstream, last: int) -> float:
    """Intake's log read as messages, 500 at a time, as a pull reads it."""
    started, position = time.perf_counter(), 0
    while position < last:
        position = upstream.log(position, 500)[-1].id
    return last / (time.perf_counter() - started)


def catch_up(follower_class, upstream, last: int, runs: bool) -> float:
    """A fresh follower's catch-up of intake's log up to ``last``: notifications/s."""
    from shared.eventstore import open_application

    with schema_prefix() as prefix:
        follower = open_application(follower_class, config(prefix))
        try:
            follower.applies_runs = runs
            follower.follow_upstreams(
                lambda _, after, limit: [m for m in upstream.log(after, limit) if m.id <= last],
                pull_limit=500)
            started = time.perf_counter()
            applied = follower.catch_up(["intake"])
            seconds = time.perf_counter() - started
            assert follower.position("intake") == last and not follower.dead_letters(), \
                f"{follower_class.service} did not apply the whole log"
            return applied / seconds
        finally:
            follower.close()


def measure(notifications: int, one_by_one: int) -> dict:
    from services.evaluation.application import Evaluation
    from services.intake.application import Intake
    from services.partners.application import PartnerFeed
    from shared.eventstore import open_application

    with probe_store() as probes:
        commits = pg_commits_per_second(probes, 3)
    with schema_prefix() as prefix:
        wrote = write_history(prefix, int(notifications / NOTIFICATIONS_PER_DEMAND) + 1)
        intake = open_application(Intake, config(prefix))
        try:
            last = intake.last_notification_id()
            found = {"notifications": last, "written_s": wrote, "pg_commits": commits,
                     "log_read": log_read_rate(intake, last)}
            for follower in (PartnerFeed, Evaluation):
                found[follower.service] = {
                    "runs": catch_up(follower, intake, last, runs=True),
                    "one_by_one": catch_up(follower, intake, min(one_by_one, last), runs=False)}
        finally:
            intake.close()
    return found


def describe(found: dict) -> list[str]:
    lines = [f"intake's log: {found['notifications']:,} notifications (written in "
             f"{found['written_s']:.0f} s); raw limits, same run: log read as messages "
             f"{found['log_read']:,.0f}/s, PostgreSQL one-event commits {found['pg_commits']:,.0f}/s"]
    for service in ("partners", "evaluation"):
        rates = found[service]
        lines.append(
            f"{service} catching up {found['notifications']:,} behind: {rates['runs']:,.0f} "
            f"notifications/s (target >= 10 000; {rates['runs'] / found['log_read']:.2f} of the log "
            f"read, {rates['runs'] / found['pg_commits']:.1f}x the one-event commits); one "
            f"transaction each: {rates['one_by_one']:,.0f}/s "
            f"({rates['one_by_one'] / found['pg_commits']:.2f}x the commits)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=100_000)
    parser.add_argument("--one-by-one", type=int, default=10_000,
                        help="how many notifications the one-transaction-each comparison applies")
    args = parser.parse_args()
    print(f"load average at start: {load_average()}", flush=True)
    for line in describe(measure(args.notifications, args.one_by_one)):
        print(line)
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
