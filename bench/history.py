"""Benchmark: services with years behind them. Does history change start-up, memory or query
times?

For each size it writes a history of N demands into fresh PostgreSQL stores, in batches through
each service's own aggregates, so the events and the read model's rows are what the service
would have recorded:
- intake: ten stations and their specialists; demands submitted over ten years, half of them
  accepted by the station's rules, the rest waiting, so most first responses are overdue;
- matching: a hundred institutions, and each demand's match offered, accepted and completed
  (four events, its assignment row and whole explanation), the registry snapshot taken as a
  running matching takes it every 1 000 notifications;
- the partner feed: three integration events per demand for its institution.
Then, per service, a new process, timed from its start, opens the service on that store and:
- is ready: the first answer given (what a probe or the first request costs after a restart:
  intake's overdue list; matching's registry caught up and an institution's assignments; the
  feed's first page for an institution);
- answers 1 000 of those requests, 50 a page: their p99;
- reports its peak resident memory after those requests;
- rebuilds its read model from the store (``onestop readmodels rebuild``): notifications/s.
Evaluation's ledger under a city year is bench/evaluation.py; the archive, bench/archive_volume.py.

It prints the figures for every size side by side, with the ratio of the largest to the
smallest, beside the raw limits measured in the same run (PostgreSQL one-event commits/s and
notification-log reads/s, bench/raw_limits.py). The schemas are dropped afterwards.

    .venv/bin/python -m bench.history [--demands 20000 200000]

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
import uuid
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


LABS = 100
SPECIALIST = {"role": "specialist", "subject": "staff-0"}


def lab_ids() -> list[uuid.UUID]:
    return [uuid.uuid5(uuid.NAMESPACE_URL, f"onestop-bench-lab:{n}") for n in range(LABS)]


def write_matching(prefix: str, demands: int) -> float:
    """Matching's history: its institutions, and each demand matched, served and completed."""
    from services.matching.application import Matching
    from services.matching.domain import Match
    from shared.eventstore import open_application
    from tests import factories

    matching = open_application(Matching, config(prefix))
    labs = [matching.register_institution(factories.institution(capacity=100_000), SPECIALIST, factories.PANYU)["id"]
            for _ in range(LABS)]
    first_day = datetime(2016, 12, 1, 1, 0, tzinfo=timezone.utc)
    started, batch = time.perf_counter(), []
    for number in range(demands):
        at = (first_day + timedelta(seconds=number * (3650 * 86400 / demands))).isoformat()
        lab = uuid.UUID(labs[number % LABS])
        match = Match(demand_id=uuid.uuid5(uuid.NAMESPACE_URL, f"onestop-bench-demand:{number}"),
                      category="inspection_testing", items=["LED lamp"], park="panyu-energy-park",
                      expected_by=None, excluded_institutions=[], round=1)
        explanation = [{"institution_id": labs[(number + k) % LABS], "eligible": True,
                        "score": round(0.9 - k / 100, 2), "reason": None} for k in range(8)]
        match.offer(lab, respond_by=at, explanation=explanation, weights={}, at=at)
        assignment = match.current["assignment_id"]
        by = {"role": "institution", "subject": str(lab)}
        match.accept(assignment, None, by=by, at=at)
        match.complete(assignment, {"report_number": f"R-{number}"}, by=by, at=at)
        batch.append(match)
        if len(batch) == BATCH:
            matching.save(*batch)
            batch = []
    matching.save(*batch)
    matching.registry.refresh()  # folds the log and snapshots, as a running matching does
    seconds = time.perf_counter() - started
    matching.close()
    return seconds


def write_feed(prefix: str, demands: int) -> float:
    """The partner feed's history: three integration events per demand, for its institution."""
    from services.partners.application import PartnerFeed
    from services.partners.feed import PartnerMessage
    from shared.eventstore import open_application

    feed = open_application(PartnerFeed, config(prefix))
    labs = lab_ids()
    started, batch = time.perf_counter(), []
    for number in range(demands):
        for step, event in enumerate(("offer.made", "assignment.started", "assignment.completed")):
            batch.append(PartnerMessage(
                source=f"matching:{number * 3 + step + 1}", institution_id=labs[number % LABS],
                event=event, schema_version=1, occurred_at="2026-12-01T09:00:00+08:00",
                data={"demand_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"d:{number}")),
                      "step": step}))
        if len(batch) >= BATCH:
            feed.save(*batch)
            batch = []
    feed.save(*batch)
    seconds = time.perf_counter() - started
    feed.close()
    return seconds


def write_ledger(prefix: str, demands: int) -> float:
    """Evaluation's history: a city year of tallies (bench/evaluation.py), about six a demand."""
    from bench.evaluation import record_year
    from services.evaluation.application import Evaluation
    from shared.eventstore import open_application

    evaluation = open_application(Evaluation, config(prefix))
    started = time.perf_counter()
    record_year(evaluation, demands, random.Random(7))
    seconds = time.perf_counter() - started
    evaluation.close()
    return seconds


def _restarted(open_service, answer) -> dict:
    """What a restarted service costs: ready (its first answer, timed from the process start),
    the p99 of 1 000 answers, its peak memory, and its read model's rebuild rate."""
    app = open_service()
    answer(app)
    ready = time.time() - STARTED
    times = []
    for _ in range(LISTS):
        began = time.perf_counter()
        answer(app)
        times.append((time.perf_counter() - began) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    rebuilt = app.rebuild_read_model()
    rebuild_rate = rebuilt / (time.perf_counter() - began)
    times.sort()
    app.close()
    return {"ready_s": ready, "list_p50_ms": times[LISTS // 2],
            "list_p99_ms": times[int(LISTS * 0.99) - 1], "rss_mb": rss,
            "rebuild_per_s": rebuild_rate, "notifications": rebuilt}


def measure(service: str, prefix: str) -> dict:
    """In a process of its own (``--measure``): what a restarted service costs on this store."""
    from shared.eventstore import open_application

    if service == "intake":
        from services.intake.application import Intake

        def overdue(intake):
            page = intake.list_demands({"overdue": "true", "per_page": "50"}, SPECIALIST)
            assert page["items"], "the history has overdue demands at every station"
        return _restarted(lambda: open_application(Intake, config(prefix)), overdue)
    if service == "matching":
        from services.matching.application import Matching

        def assignments(matching):
            matching.registry.refresh()
            lab = {"role": "institution", "subject": str(matching.registry.serving("inspection_testing")[0].id)}
            assert matching.assignments(lab, {"per_page": "50"})["items"]
        return _restarted(lambda: open_application(Matching, config(prefix)), assignments)
    if service == "evaluation":
        from services.evaluation.application import Evaluation

        def year(evaluation):
            figures = evaluation.figures("all", "2026", {"role": "supervisor", "subject": "s"})
            assert figures["figures"]["demands_submitted"], "the ledger holds the year"
        return _restarted(lambda: open_application(Evaluation, config(prefix)), year)
    from services.partners.application import PartnerFeed
    lab = str(lab_ids()[0])

    def first_page(feed):
        assert feed.stream(lab, limit=50)["items"]
    return _restarted(lambda: open_application(PartnerFeed, config(prefix)), first_page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demands", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--services", nargs="+", choices=WRITERS,
                        default=["intake", "matching", "partners", "evaluation"])
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)  # the measured process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    print(f"load average at start: {load_average()}", flush=True)
    with probe_store() as probes:
        commits = pg_commits_per_second(probes, 3)
        log_reads = log_reads_per_second(probes)
    results: dict[str, dict[int, dict]] = {service: {} for service in args.services}
    for demands in args.demands:
        for service in args.services:
            with schema_prefix() as prefix:
                wrote = WRITERS[service](prefix, demands)
                print(f"{service}: {demands} demands written in {wrote:.0f} s", flush=True)
                measured = subprocess.run(
                    [sys.executable, "-m", "bench.history", "--measure", service, prefix],
                    capture_output=True, text=True, check=True)
                results[service][demands] = json.loads(measured.stdout.strip().splitlines()[-1])
                print(f"  {results[service][demands]}", flush=True)
    sizes = sorted(args.demands)
    print(f"\n| figure | target | {' | '.join(f'N = {n:,}' for n in sizes)} | ratio |")
    print("|---|---|" + "---|" * len(sizes) + "---|")
    for service in args.services:
        found = results[service]
        for label, target, key, shown in (
                ("process start to ready (s)", "<= 5, the same at both sizes", "ready_s", "{:.2f}"),
                ("peak resident memory after 1000 requests (MB)", "<= 200, flat in N", "rss_mb", "{:.0f}"),
                (f"{REQUESTS[service]}: p99 (ms)", TARGETS.get(service, "<= 20"), "list_p99_ms",
                 "{:.2f}"),
                ("readmodels rebuild (notifications/s)", ">= 10 000", "rebuild_per_s", "{:,.0f}")):
            figures = " | ".join(shown.format(found[n][key]) for n in sizes)
            ratio = found[sizes[-1]][key] / found[sizes[0]][key]
            print(f"| {service}: {label} | {target} | {figures} | {ratio:.2f} |")
    rates = [results[s][sizes[-1]]["rebuild_per_s"] for s in args.services]
    print(f"\nraw limits, same run: PostgreSQL one-event commits {commits:,.0f}/s "
          f"({1000 / commits:.2f} ms each); notification-log read {log_reads:,.0f}/s "
          f"(the rebuilds' ratios to it at N = {sizes[-1]:,}: "
          + ", ".join(f"{s} {r / log_reads:.2f}" for s, r in zip(args.services, rates)) + ")")
    print(f"load average at end: {load_average()}")


WRITERS = {"intake": write_history, "matching": write_matching, "partners": write_feed,
           "evaluation": write_ledger}
REQUESTS = {"intake": "GET demands (a station's overdue ones), 50 a page",
            "matching": "an institution's assignments, 50 a page",
            "partners": "an institution's feed, 50 a page",
            "evaluation": "the platform's year of figures"}
TARGETS = {"evaluation": "<= 50 (a report of a year)"}


if __name__ == "__main__":
    main()
