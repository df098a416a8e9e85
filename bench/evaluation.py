"""Benchmark: scoring a period from a year of raw figures (the ledger is read on every report).

Folds a year of tallies as a city platform would record them (50 stations, 9 categories, 500
institutions; each demand's steps add about six tallies), then times the figures of one station
for a month and for the year, and a full scored report (the default configuration).

    .venv/bin/python bench/evaluation.py [--demands 100000]
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
import uuid
from datetime import date, timedelta

from services.evaluation.indicators import Context
from services.evaluation.ledger import Entries, Ledger, Period, Tally
from services.evaluation.scoring import Configuration
from shared.catalogue import CATEGORIES

STEPS = ("demands_submitted", "first_responses", "assessments", "assignments", "completions",
         "feedback")


def fold_year(ledger: Ledger, demands: int, rng: random.Random) -> tuple[int, str]:
    stations = [str(uuid.uuid4()) for _ in range(50)]
    institutions = [str(uuid.uuid4()) for _ in range(500)]
    categories = sorted(CATEGORIES)
    tallies = 0
    for _ in range(demands):
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        entries = Entries(f"station:{rng.choice(stations)}", f"category:{rng.choice(categories)}",
                          f"institution:{rng.choice(institutions)}")
        for step in STEPS:
            ledger.fold(Tally(source=str(uuid.uuid4()), day=day.isoformat(),
                              entries=Entries(*entries.scopes[1:]).add(step).add(f"{step}_hours", 1.5).items))
            tallies += 1
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
    args = parser.parse_args()
    ledger, rng = Ledger(), random.Random(7)
    started = time.perf_counter()
    tallies, station = fold_year(ledger, args.demands, rng)
    fold_seconds = time.perf_counter() - started
    print(f"folded {tallies} tallies in {fold_seconds:.1f} s ({tallies / fold_seconds:,.0f}/s), "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    configuration = Configuration.default()
    month, year = Period.parse("2026-06"), Period.parse("2026")
    for label, run in [
        ("station month figures", lambda: ledger.figures(f"station:{station}", month)),
        ("station year figures", lambda: ledger.figures(f"station:{station}", year)),
        ("platform year report", lambda: configuration.score(Context(
            "all", ledger.figures("all", year), year.days, {}, {}, None))),
    ]:
        times = sorted(timed(run))
        print(f"{label}: median {statistics.median(times):.2f} ms, max {times[-1]:.2f} ms")


if __name__ == "__main__":
    main()
