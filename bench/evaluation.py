"""Benchmark: scoring a period from a year of raw figures (the ledger is read on every report).

Records a year of tallies as a city platform would (50 stations, 9 categories, 500
institutions; each demand's steps add about six tallies) into evaluation's store, where the
ledger's tables are written with them, then times the figures of one station for a month and
for the year, and a full scored report (the default configuration).

    .venv/bin/python -m bench.evaluation [--demands 100000] [--store sqlite|postgres]
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta

from services.evaluation.application import Evaluation
from services.evaluation.indicators import Context
from services.evaluation.ledger import Entries, Period, Tally
from services.evaluation.scoring import Configuration
from shared.catalogue import CATEGORIES
from shared.eventstore import open_application

STEPS = ("demands_submitted", "first_responses", "assessments", "assignments", "completions",
         "feedback")


def record_year(evaluation: Evaluation, demands: int, rng: random.Random) -> tuple[int, str]:
    stations = [str(uuid.uuid4()) for _ in range(50)]
    institutions = [str(uuid.uuid4()) for _ in range(500)]
    categories = sorted(CATEGORIES)
    tallies, batch = 0, []
    for _ in range(demands):
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        entries = Entries(f"station:{rng.choice(stations)}", f"category:{rng.choice(categories)}",
                          f"institution:{rng.choice(institutions)}")
        for step in STEPS:
            batch.append(Tally(source=str(uuid.uuid4()), day=day.isoformat(),
                               entries=Entries(*entries.scopes[1:]).add(step).add(f"{step}_hours", 1.5).items))
            tallies += 1
        if len(batch) >= 600:
            evaluation.save(*batch)  # a batch a transaction: the benchmark is of reading
            batch = []
    evaluation.save(*batch)
    return tallies, stations[0]


def timed(run, repeat=50) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=100_000)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    store = {"kind": args.store}
    if args.store == "postgres":
        store.update(postgres_host="127.0.0.1", postgres_port=5432, postgres_dbname="test",
                     postgres_user="postgres", postgres_schema_prefix=f"bench{uuid.uuid4().hex[:8]}_")
    evaluation = open_application(Evaluation, {"EVENT_STORE": store, "DATA_DIR": tempfile.mkdtemp()})
    ledger, rng = evaluation.ledger, random.Random(7)
    started = time.perf_counter()
    tallies, station = record_year(evaluation, args.demands, rng)
    record_seconds = time.perf_counter() - started
    print(f"recorded {tallies} tallies in {record_seconds:.1f} s ({tallies / record_seconds:,.0f}/s) "
          f"on {args.store}, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.store == "postgres":
        from bench.raw_limits import pg_commits_per_second, probe_store

        with probe_store() as probes:
            commits = pg_commits_per_second(probes, 3)
        print(f"raw limit, same run: PostgreSQL one-event commits {commits:,.0f}/s "
              f"({1000 / commits:.2f} ms each)")
    configuration = Configuration.default()
    month, year = Period.parse("2026-06"), Period.parse("2026")
    for label, run in [
        ("station month figures", lambda: ledger.figures(f"station:{station}", month)),
        ("station year figures", lambda: ledger.figures(f"station:{station}", year)),
        ("platform year report", lambda: configuration.score(Context(
            "all", ledger.figures("all", year), year.days, {}, {}, None))),
    ]:
        times = sorted(timed(run, repeat=100))
        print(f"{label}: median {statistics.median(times):.2f} ms, p99 {times[98]:.2f} ms "
              f"(target p99 <= 50 ms: {times[98] / 50:.2f} of it), max {times[-1]:.2f} ms")
    evaluation.close()
    if args.store == "postgres":
        import psycopg

        with psycopg.connect(host="127.0.0.1", dbname="test", user="postgres", autocommit=True) as db:
            db.execute(f'DROP SCHEMA "{store["postgres_schema_prefix"]}evaluation" CASCADE')


if __name__ == "__main__":
    main()
