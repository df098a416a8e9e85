"""Benchmark: the archive at volume, at two sizes side by side (targets: rebuild >= 20 000
events/s with peak memory flat in N; search p99 <= 50 ms).

For each size N, a child process rebuilds the archive from a history of N demands into the
file-backed store of the embedded mode (litemongo), then searches it as a supervisor would, and
reports its peak resident memory. The history is generated a page at a time as the upstream
logs would serve it (intake, matching and evaluation: twelve events per demand, with sealed
dossiers and demand-less figures), so the figures are the archive's own, not an event store's.
The raw limit is measured in the same child: the document store's bulk insert of the same raw
events, which a rebuild cannot beat (it writes each dossier event twice: raw, then as an entry).

    .venv/bin/python -m bench.archive_volume [--demands 20000 200000] [--searches 200]
    (from the project folder)
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta, timezone

from shared.messages import Message

STATIONS, INSTITUTIONS, CATEGORIES = 40, 400, ("inspection_testing", "metrology",
                                               "certification_accreditation", "standardization",
                                               "intellectual_property")
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone(timedelta(hours=8)))
#: Each upstream's events of one demand, in its log's order (evaluation's last has no demand).
TIMELINE = {"intake": ("DemandSubmitted", "DemandAccepted", "DemandAssigned", "FollowUpRecorded",
                       "DemandCompleted"),
            "matching": ("MatchingStarted", "AssignmentOffered", "InstitutionAssigned",
                         "ServiceCompleted"),
            "evaluation": ("FeedbackRequested", "FeedbackGiven", "TallyRecorded")}


def _id(kind: str, n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"onestop-bench:{kind}:{n}"))


def message(upstream: str, notification_id: int) -> Message:
    """The history's notification ``notification_id`` of ``upstream`` (a pure function)."""
    per_demand = len(TIMELINE[upstream])
    n, step = divmod(notification_id - 1, per_demand)
    name = TIMELINE[upstream][step]
    demand_id, station = _id("demand", n), _id("station", n % STATIONS)
    institution, assignment = _id("institution", n % INSTITUTIONS), _id("assignment", n)
    offset = {"intake": (0, 1, 3, 4, 6), "matching": (2, 2, 3, 5), "evaluation": (6, 7, 7)}[upstream]
    at = (START + timedelta(minutes=n * 3, hours=offset[step] * 5)).isoformat()
    data: dict = {"demand_id": demand_id}
    if name == "DemandSubmitted":
        data.update(enterprise={"name": f"Enterprise {n % 5000}",
                                "credit_code": f"91440113{n % 5000:010d}", "contact": "Li Hua",
                                "phone": "+86 20 8888 0000"},
                    park=f"park-{n % STATIONS}", category=CATEGORIES[n % len(CATEGORIES)],
                    title=f"Safety test of an LED lamp, batch {n}", station_id=station, at=at,
                    description="Type test before export", items=["LED lamp"], channel="phone")
    elif name == "DemandAccepted":
        data.update(category=CATEGORIES[n % len(CATEGORIES)], by={"role": "specialist", "subject": "s-1"})
    elif name in ("DemandAssigned", "InstitutionAssigned"):
        data.update(assignment_id=assignment, institution_id=institution)
    elif name == "AssignmentOffered":
        data.update(assignment_id=assignment, institution_id=institution, considered=120,
                    shortlist=[{"institution_id": _id("institution", (n + k) % INSTITUTIONS),
                                "score": 0.9 - k / 10} for k in range(5)],
                    excluded={"no qualification in scope": 80, "at capacity": 35},
                    explanation_digest=uuid.uuid5(uuid.NAMESPACE_OID, demand_id).hex)
    elif name == "FeedbackGiven":
        data.update(institution_id=institution, scores={"overall": 5, "timeliness": 4,
                                                        "professionalism": 5, "attitude": 4,
                                                        "outcome": 5}, channel="online")
    elif name == "TallyRecorded":
        data = {"station_id": station, "figure": "demands_completed", "day": at[:10]}
    else:
        data.update(note="Called the enterprise", by={"role": "specialist", "subject": "s-1"})
    return Message(service=upstream, id=notification_id, previous_id=notification_id - 1,
                   event=name, schema_version=1, originator_id=demand_id,
                   originator_version=step + 1, occurred_at=at, data=data)


def history(demands: int):
    def read(upstream: str, after: int, limit: int) -> list[Message]:
        last = demands * len(TIMELINE[upstream])
        return [message(upstream, i) for i in range(after + 1, min(after + limit, last) + 1)]
    return read


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(demands: int, searches: int) -> dict:
    """One size, in this process (run as a child, so its peak memory is its own)."""
    import litemongo

    from services.archive.projection import Archive, bucket_of
    from services.archive.seals import ArchiveSeals
    from shared.eventstore import open_application

    read = history(demands)
    with tempfile.TemporaryDirectory() as folder:
        raw_db = litemongo.connect(f"{folder}/raw")["bench"]
        sample = min(demands, 5000)
        started = time.perf_counter()
        for upstream in TIMELINE:
            position, last = 0, sample * len(TIMELINE[upstream])
            while position < last and (page := read(upstream, position, 1000)):
                raw_db.events.insert_many([
                    {"_id": f"{m.service}:{m.id}", "service": m.service, "notification_id": m.id,
                     "name": m.event, "occurred_at": m.occurred_at, "data": m.data,
                     "demand_id": m.data.get("demand_id"), "bucket": bucket_of(m.data.get("demand_id"))}
                    for m in page])
                position = page[-1].id
        raw_rate = sample * 12 / (time.perf_counter() - started)
        raw_db.client.close()

        seals = open_application(ArchiveSeals, {"EVENT_STORE": {"kind": "sqlite"}, "DATA_DIR": folder})
        archive = Archive(litemongo.connect(f"{folder}/archive")["bench"], seals)
        steps: list[float] = []

        def progress(stage: str, position: int, count: int) -> None:
            # What a fold step allocates, traced for three steps once the first is done (tracing
            # them all would slow the rebuild that is being timed).
            if stage != "dossiers" or len(steps) >= 3:
                return
            if tracemalloc.is_tracing():
                current, peak = tracemalloc.get_traced_memory()
                steps.append((peak - traced[0]) / 2 ** 20)
                traced[0] = current
                tracemalloc.reset_peak()
                if len(steps) == 3:
                    tracemalloc.stop()
            else:
                tracemalloc.start()
                traced[0] = tracemalloc.get_traced_memory()[0]
        traced = [0]
        started, cpu = time.perf_counter(), time.process_time()
        copied = archive.rebuild(read, progress=progress)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        documents = copied + archive.generation().entries.count_documents({}) + sum(
            1 for _ in archive.dossier_ids())
        rebuild_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        queries = []
        for k in range(searches):
            n = k * 7919 % demands
            queries.append([{"station": _id("station", n % STATIONS), "status": "completed"},
                            {"enterprise": f"91440113{n % 5000:010d}"},
                            {"institution": _id("institution", n % INSTITUTIONS)},
                            {"category": CATEGORIES[n % len(CATEGORIES)], "breached": "false"}][k % 4])
        archive.search(queries[0])  # the store's first query builds its in-memory index
        times = []
        for query in queries:
            started = time.perf_counter()
            page = archive.search({**query, "per_page": 20})
            if page["next_after"]:
                archive.search({**query, "per_page": 20, "after": page["next_after"]})
            times.append((time.perf_counter() - started) / (2 if page["next_after"] else 1))
        seals.close()
        return {"demands": demands, "events": copied, "rebuild_s": elapsed,
                "rebuild_per_s": copied / elapsed, "rebuild_per_cpu_s": copied / cpu,
                "raw_insert_per_s": raw_rate, "documents_per_s": documents / elapsed,
                "rebuild_peak_mib": rebuild_rss, "fold_step_mib": max(steps, default=0.0),
                "search_p50_ms": statistics.median(times) * 1000,
                "search_p99_ms": percentile(times, 0.99) * 1000,
                "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, nargs="+", default=[20000, 200000])
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.searches)))
        return
    results = []
    for demands in args.demands:
        print(f"N = {demands} demands ({demands * 12} events)...", flush=True)
        child = subprocess.run([sys.executable, "-m", "bench.archive_volume", "--child", str(demands),
                                "--searches", str(args.searches)], capture_output=True, text=True)
        if child.returncode:
            sys.exit(child.stderr)
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    rows = [("archive rebuild, events/s", "rebuild_per_s", "≥ 20 000"),
            ("  the same per CPU second", "rebuild_per_cpu_s", ""),
            ("  documents it wrote per second (raw events, entries, summaries)", "documents_per_s", ""),
            ("  raw limit: the store's bulk insert, documents/s", "raw_insert_per_s", ""),
            ("archive rebuild, largest fold step's allocations, MiB", "fold_step_mib", "flat in N"),
            ("archive rebuild, peak resident memory MiB (the store's indexes included)",
             "rebuild_peak_mib", "flat in N"),
            ("archive search p50, ms", "search_p50_ms", ""),
            ("archive search p99, ms", "search_p99_ms", "≤ 50"),
            ("peak memory after the searches, MiB", "peak_mib", "")]
    sizes = " | ".join(f"N = {r['demands']:,}" for r in results)
    print(f"\n| figure | target | {sizes} | ratio (last / first) |")
    print("|---|---|" + "---|" * len(results) + "---|")
    for label, key, target in rows:
        values = [r[key] for r in results]
        print(f"| {label} | {target} | " + " | ".join(f"{v:,.1f}" for v in values)
              + f" | {values[-1] / values[0]:.2f} |")
    for r in results:
        print(f"N = {r['demands']:,}: rebuild writes at {r['documents_per_s'] / r['raw_insert_per_s']:.2f} "
              f"of the store's raw insert rate, {r['rebuild_per_s'] / 20000:.2f} of the target; search p99 "
              f"{r['search_p99_ms'] / 50:.2f} of the target")


if __name__ == "__main__":
    main()
