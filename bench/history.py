"""Benchmark: intake with years behind it. Does history change start-up, memory or query times?

For each size it writes a history of N demands into a fresh PostgreSQL store of intake (ten
stations and their specialists; demands submitted over ten years, half of them accepted by the
station's rules, the rest waiting, so most first responses are overdue by now), in batches
through intake itself, so the events and the read model's rows are what the service would have
recorded. Then a new process, timed from its start, opens intake on that store and:

- is ready: the first list answered (what a probe or the first request costs after a restart);
- answers 1 000 lists of a specialist's station, overdue, 50 a page: their p99;
- reports its peak resident memory after those requests;
- rebuilds the read model from the store (``onestop readmodels rebuild``): notifications/s.

It prints the figures for every size side by side, with the ratio of the largest to the
smallest, beside the raw limits measured in the same run (PostgreSQL one-event commits/s and
notification-log reads/s, bench/raw_limits.py). The schemas are dropped afterwards.

    .venv/bin/python -m bench.history [--demands 20000 200000]

Evaluation's ledger under a year of a city's figures is bench/evaluation.py; the archive's
rebuild, bench/archive_rebuild.py.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

STARTED = time.time()  # before the imports: a measured process counts them as start-up

from bench.platform import PG, load_average, schema_prefix  # noqa: E402
from bench.raw_limits import log_reads_per_second, pg_commits_per_second, probe_store  # noqa: E402

STATIONS = 10
BATCH = 500
LISTS = 1000


def config(prefix: str) -> dict:
    return {"EVENT_STORE": {"kind": "postgres", "postgres_host": PG["host"],
                            "postgres_port": PG["port"], "postgres_dbname": PG["dbname"],
                            "postgres_user": PG["user"], "postgres_schema_prefix": prefix},
            "DATA_DIR": tempfile.mkdtemp()}


def write_history(prefix: str, demands: int) -> float:
    """Write ``demands`` demands; returns the seconds it took."""
    from services.intake.application import Intake, _calendar
    from services.intake.demand import Demand
    from services.intake.station import Station
    from shared.commands import SubmitDemand
    from shared.eventstore import open_application
    from tests import factories

    operator = {"role": "operator", "subject": "ops-1"}
    intake = open_application(Intake, config(prefix))
    rng = random.Random(7)
    stations = []
    for n in range(STATIONS):
        park = f"history-park-{n}"
        station = intake.register_station(factories.station(park=park, auto_accept=[]), operator)
        intake.add_specialist(station["id"], factories.specialist(f"staff-{n}"), operator)
        stations.append((park, intake.repository.get(Station.create_id(park))))
    first_day = datetime(2016, 12, 1, 1, 0, tzinfo=timezone.utc)
    started, batch = time.perf_counter(), []
    for number in range(demands):
        park, station = stations[number % STATIONS]
        at = first_day + timedelta(seconds=number * (3650 * 86400 / demands))
        by = {"role": "specialist", "subject": f"staff-{number % STATIONS}"}
        command = intake.load_command(SubmitDemand, factories.demand(park=park, channel="phone"))
        command.pop("attachments")
        calendar = _calendar(station.calendar)
        demand = Demand(
            station_id=station.id, attachments=[], request_hash=f"{number:064x}",
            idempotency_key=None, by=by, at=at.isoformat(),
            deadlines={"first_response": intake.limits.start("first_response", calendar, at),
                       "assessment": intake.limits.start("assessment", calendar, at)}, **command)
        if rng.random() < 0.5:
            demand.accept(demand.category, demand.items, [], "normal", by=by, at=at.isoformat())
        batch.append(demand)
        if len(batch) == BATCH:
            intake.save(*batch)
            batch = []
    intake.save(*batch)
    seconds = time.perf_counter() - started
    intake.close()
    return seconds


def measure(prefix: str) -> dict:
    """In a process of its own (``--measure``): what a restarted intake costs on this store."""
    from services.intake.application import Intake
    from shared.eventstore import open_application

    intake = open_application(Intake, config(prefix))
    viewer = {"role": "specialist", "subject": "staff-0"}
    query = {"overdue": "true", "per_page": "50"}
    intake.list_demands(query, viewer)
    ready = time.time() - STARTED
    times = []
    for _ in range(LISTS):
        began = time.perf_counter()
        page = intake.list_demands(query, viewer)
        times.append((time.perf_counter() - began) * 1000)
    assert len(page["items"]) == 50, "the history has overdue demands at every station"
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    rebuilt = intake.rebuild_read_model()
    rebuild_rate = rebuilt / (time.perf_counter() - began)
    times.sort()
    intake.close()
    return {"ready_s": ready, "list_p50_ms": times[LISTS // 2], "list_p99_ms": times[int(LISTS * 0.99) - 1],
            "rss_mb": rss, "rebuild_per_s": rebuild_rate, "notifications": rebuilt}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demands", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the measured process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    print(f"load average at start: {load_average()}", flush=True)
    with probe_store() as probes:
        commits = pg_commits_per_second(probes, 3)
        log_reads = log_reads_per_second(probes)
    results = {}
    for demands in args.demands:
        with schema_prefix() as prefix:
            wrote = write_history(prefix, demands)
            print(f"{demands} demands written in {wrote:.0f} s", flush=True)
            measured = subprocess.run([sys.executable, "-m", "bench.history", "--measure", prefix],
                                      capture_output=True, text=True, check=True)
            results[demands] = json.loads(measured.stdout.strip().splitlines()[-1])
            print(f"  {results[demands]}", flush=True)
    sizes = sorted(results)
    small, large = results[sizes[0]], results[sizes[-1]]
    rows = [("intake: process start to ready (s)", "<= 5, the same at both sizes", "ready_s", "{:.2f}"),
            ("intake: peak resident memory after 1000 lists (MB)", "<= 200, flat in N", "rss_mb", "{:.0f}"),
            ("GET demands: station, overdue, 50 a page: p99 (ms)", "<= 20", "list_p99_ms", "{:.2f}"),
            ("readmodels rebuild of intake (notifications/s)", ">= 10 000", "rebuild_per_s", "{:,.0f}")]
    print(f"\n| figure | target | {' | '.join(f'N = {n:,}' for n in sizes)} | ratio |")
    print("|---|---|" + "---|" * len(sizes) + "---|")
    for label, target, key, shown in rows:
        figures = " | ".join(shown.format(results[n][key]) for n in sizes)
        print(f"| {label} | {target} | {figures} | {large[key] / small[key]:.2f} |")
    print(f"\nraw limits, same run: PostgreSQL one-event commits {commits:,.0f}/s "
          f"({1000 / commits:.2f} ms each); notification-log read {log_reads:,.0f}/s "
          f"(the rebuild's ratio to it: {large['rebuild_per_s'] / log_reads:.2f})")
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
