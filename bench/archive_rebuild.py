"""Benchmark: rebuilding the archive from the event stores (target >= 20 000 events/s).

Runs intake, matching, evaluation and the archive's seals in-process on SQLite event stores in
a temporary folder, pushes demands through them (submitted, matched, completed, rated: about
twenty events each, with evaluation's figures), then times, in the same run:
- the raw read of every log (the limit a rebuild cannot beat), and
- `Archive.rebuild` into the file-backed store the embedded mode uses (litemongo) and into an
  in-memory one (mongomock), which shows the document store's share.

    .venv/bin/python -m bench.archive_rebuild [--demands 1500] [--rounds 3] [--folder DIR]
    (from the project folder)

Each figure is the best of ``--rounds`` runs (other work on the machine slows single runs).
``--folder`` keeps the event stores there and reuses them on the next run, so the slow part
(pushing demands through the platform) is paid once while the rebuild is being tuned.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import nullcontext

import litemongo
import mongomock

from services.archive.projection import Archive
from services.archive.seals import ArchiveSeals
from services.evaluation.application import Evaluation
from services.intake.application import Intake
from services.matching.application import Matching
from shared.eventstore import open_application
from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
OPERATOR = {"role": "operator", "subject": "ops-1"}
SCORES = {"overall": 5, "timeliness": 4, "professionalism": 5, "attitude": 4, "outcome": 5}


def open_platform(folder: str) -> dict:
    config = {"EVENT_STORE": {"kind": "sqlite"}, "DATA_DIR": folder}
    apps = {cls.service: open_application(cls, config) for cls in (Intake, Matching, Evaluation)}
    apps["archive"] = open_application(ArchiveSeals, config)
    return apps


def run_platform(apps: dict, demands: int) -> None:
    def read(upstream, after, limit):
        return apps[upstream].log(after, limit)

    for name in ("intake", "matching", "evaluation"):
        apps[name].follow_upstreams(read, retry_backoff=0)

    def settle():
        while sum(apps[name].catch_up() for name in ("intake", "matching", "evaluation")):
            pass

    intake, matching, evaluation = apps["intake"], apps["matching"], apps["evaluation"]
    station = intake.register_station(factories.station(), OPERATOR)
    intake.add_specialist(station["id"], factories.specialist(), OPERATOR)
    for _ in range(5):
        matching.register_institution(factories.institution(capacity=100000), SPECIALIST, factories.PANYU)
    settle()
    for n in range(demands):
        code = factories.credit_code()
        demand = intake.submit_demand(factories.demand(code), SPECIALIST)
        settle()
        shown = intake.demand(demand["id"], SPECIALIST)
        lab = {"role": "institution", "subject": shown["assignment"]["institution_id"]}
        matching.complete_service(shown["assignment"]["assignment_id"], {"report_number": f"R-{n}"}, lab)
        settle()
        evaluation.give_feedback(demand["id"], SCORES, {"role": "enterprise", "subject": code})
        if n % 100 == 99:
            print(f"  {n + 1} demands through the platform", flush=True)
    settle()


def raw_read(read) -> int:
    events = 0
    for upstream in Archive.upstreams:
        position = 0
        while batch := read(upstream, position, 1000):
            events += len(batch)
            position = batch[-1].id
    return events


def best_rate(rounds: int, run) -> tuple[int, float, float]:
    """The events one run handles, and the best events/s over the rounds by the clock and by
    this process's CPU time (which other work on the machine hardly changes)."""
    best = best_cpu = 0.0
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        events = run()
        best = max(best, events / (time.perf_counter() - started))
        best_cpu = max(best_cpu, events / (time.process_time() - cpu))
    return events, best, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs")
    parser.add_argument("--folder", help="keep the event stores here and reuse them")
    args = parser.parse_args()
    with nullcontext(args.folder) if args.folder else tempfile.TemporaryDirectory() as folder:
        reused = os.path.exists(os.path.join(folder, "intake.sqlite3"))
        apps = open_platform(folder)
        if not reused:
            run_platform(apps, args.demands)

        def read(upstream, after, limit):
            return apps[upstream].log(after, limit)

        events, raw, raw_cpu = best_rate(args.rounds, lambda: raw_read(read))
        print(f"raw log read: {events} events at {raw:,.0f} events/s ({raw_cpu:,.0f} per CPU second)")
        for label, db in (("litemongo (embedded default)", litemongo.connect(f"{folder}/archive")["bench"]),
                          ("mongomock (in memory)", mongomock.MongoClient().bench)):
            archive = Archive(db, apps["archive"])
            applied, rate, cpu = best_rate(args.rounds, lambda: archive.rebuild(read))
            print(f"rebuild into {label}: {applied} events, "
                  f"{db.dossiers.count_documents({})} dossiers at {rate:,.0f} events/s "
                  f"({cpu:,.0f} per CPU second; target 20 000; raw read {raw:,.0f})")
        for app in apps.values():
            app.close()


if __name__ == "__main__":
    main()
