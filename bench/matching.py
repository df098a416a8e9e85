"""Benchmark: matching one demand among 10 000 institutions (target p99 <= 5 ms, 2 cores).

Builds 10 000 institutions with realistic data (1-3 of the nine categories, 1-5 of 40 parks,
1-3 qualifications of the kinds the categories need, scopes of 5-40 items from a pool of
300, some suspended, some expired), indexes them by category as matching's registry does,
and times the whole decision (hard constraints, scores and explanation for every institution
serving the category) for 2 000 random demands.

    .venv/bin/python -m bench.matching [--institutions 10000] [--demands 2000]
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from services.matching.selection import REQUIRED_QUALIFICATIONS, Profile, Request, Weights, select
from shared.catalogue import CATEGORIES

TODAY = date(2026, 11, 24)


def institutions(count: int, rng: random.Random) -> list[Profile]:
    parks = [f"park-{n}" for n in range(40)]
    pool = [f"item-{n}" for n in range(300)]
    profiles = []
    for n in range(count):
        categories = rng.sample(sorted(CATEGORIES), rng.randint(1, 3))
        kinds = sorted({k for c in categories for k in REQUIRED_QUALIFICATIONS.get(c, ("OTHER",))})
        qualifications = []
        for q in range(rng.randint(1, 3)):
            start = TODAY - timedelta(days=rng.randint(0, 6 * 365))
            qualifications.append({
                "type": rng.choice(kinds), "number": f"Q-{n}-{q}",
                "scope": rng.sample(pool, rng.randint(5, 40)),
                "status": "valid" if rng.random() > 0.05 else "suspended",
                "valid_from": start, "valid_until": start + timedelta(days=6 * 365)})
        profiles.append(Profile(
            id=f"{n:05d}", categories=frozenset(categories),
            parks=frozenset(rng.sample(parks, rng.randint(1, 5))), capacity=rng.randint(5, 100),
            qualifications=tuple(qualifications),
            status="active" if rng.random() > 0.03 else "suspended",
            open_assignments=rng.randint(0, 5), assignments_total=rng.randint(0, 500),
            satisfaction=rng.choice([None, rng.random()]), offers=10, refusals=rng.randint(0, 3)))
    return profiles


def measure(count: int = 10_000, demands: int = 2_000) -> dict:
    rng = random.Random(7)
    profiles = institutions(count, rng)
    by_category: dict[str, list[Profile]] = {}
    for profile in profiles:
        for category in profile.categories:
            by_category.setdefault(category, []).append(profile)
    weights = Weights()
    timings, assigned = [], 0
    pool = [f"item-{n}" for n in range(300)]
    for _ in range(demands):
        category = rng.choice(sorted(CATEGORIES))
        request = Request(category=category, items=tuple(rng.sample(pool, rng.randint(0, 2))),
                          park=f"park-{rng.randrange(40)}", service_date=TODAY,
                          required_types=REQUIRED_QUALIFICATIONS.get(category, ()))
        started = time.perf_counter()
        decision = select(by_category.get(category, []), request, weights)
        timings.append((time.perf_counter() - started) * 1000)
        assigned += decision.chosen is not None
    timings.sort()
    return {"institutions": count, "demands": demands, "matched": assigned,
            "candidates": statistics.mean(len(v) for v in by_category.values()),
            "p50": statistics.median(timings), "p99": timings[int(len(timings) * 0.99) - 1],
            "max": timings[-1]}


def describe(result: dict) -> list[str]:
    return [f"matching among {result['institutions']} institutions "
            f"(~{result['candidates']:.0f} serving each category), {result['demands']} demands, "
            f"{result['matched']} matched",
            f"decision time: p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms, "
            f"max {result['max']:.2f} ms (target p99 <= 5 ms)"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--institutions", type=int, default=10_000)
    parser.add_argument("--demands", type=int, default=2_000)
    args = parser.parse_args()
    for line in describe(measure(args.institutions, args.demands)):
        print(line)

if __name__ == "__main__":
    main()
