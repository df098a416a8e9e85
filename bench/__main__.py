"""Every performance target of the architecture brief in one run, printed as one table with the
raw limit measured in the same run beside each figure (docs/performance.md reads it).

    .venv/bin/python -m bench            # the full run (about twenty minutes)
    .venv/bin/python -m bench --quick    # short windows, to check the benchmark itself

The distributed figures share one platform (its own vhost and schemas), in this order: latency
at 50/s, gateway reads at 200/s, the sustained throughput (with the CPU, commits and publishes
each demand cost), then the answers behind a backlog written at once (bench/backlog.py), which
leaves the platform busy for minutes, so it comes last. A follower's catch-up (bench/catch_up.py)
runs on stores of its own; the archive rebuild runs as its own module (bench/archive_rebuild.py)
and is read from its output.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys

from bench import backlog, catch_up, end_to_end, gateway_reads, matching, raw_limits
from bench.platform import distributed, end_on_sigterm, load_average, wait_for_quiet

FULL = {"sustained": 60, "latency": 30, "reads": 30, "rebuild_demands": 1500, "rebuild_rounds": 3, "match_demands": 2000,
        "limit_seconds": 5, "backlog": 10_000, "behind": 100_000, "one_by_one": 10_000}
QUICK = {"sustained": 15, "latency": 10, "reads": 10, "rebuild_demands": 200, "rebuild_rounds": 1, "match_demands": 300,
         "limit_seconds": 2, "backlog": 2_000, "behind": 10_000, "one_by_one": 2_000}


def archive_rebuild(demands: int, rounds: int) -> tuple[str, str]:
    """(rebuild events/s into the embedded store, raw log read events/s) from its own output."""
    output = subprocess.run([sys.executable, "-m", "bench.archive_rebuild", "--demands", str(demands),
                             "--rounds", str(rounds)],
                            capture_output=True, text=True, check=True).stdout
    raw = re.search(r"raw log read: .* at ([\d,]+) events/s", output)
    rebuilt = re.search(r"rebuild into litemongo.* at ([\d,]+) events/s", output)
    return (rebuilt.group(1) if rebuilt else "?"), (raw.group(1) if raw else "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short windows (not the targets' terms)")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    end_on_sigterm()
    rows = []

    def row(figure, target, measured, raw):
        rows.append((figure, target, measured, raw, load_average().split()[0]))
        print(f"  {figure}: {measured}  [{raw}]", flush=True)

    print(f"load average at start: {load_average()}", flush=True)
    with distributed() as (platform, amqp_uri):
        limits = raw_limits.measure(plan["limit_seconds"], amqp_uri)
        commits = f"PG {limits['pg_commits']:,.0f} commits/s"
        publishes = f"{limits['confirmed_publishes']:,.0f} confirmed publishes/s"
        latency = end_to_end.latency(platform, amqp_uri, 50, plan["latency"])
        row("end-to-end p99 at 50 demands/s (ms)", "<= 250",
            f"{latency['p99']:.0f} (p50 {latency['p50']:.0f}, {latency['missing']} missing)",
            f"{1000 / limits['pg_commits']:.1f} ms/commit, {1000 / limits['confirmed_publishes']:.1f} ms/publish")
        print(f"  {end_to_end.describe_latency(latency)}", flush=True)
        reads = gateway_reads.measure(platform, amqp_uri, 200, plan["reads"])
        row("gateway GET a demand p99 at 200 req/s (ms)", "<= 20",
            f"{reads['p99']:.1f} (p50 {reads['p50']:.1f}, {reads['errors']} errors)", "-")
        sustained = end_to_end.sustained(platform, amqp_uri, plan["sustained"])
        print(f"  {end_to_end.describe_sustained(sustained)}", flush=True)
        row(f"end-to-end demands/s archived, sustained {plan['sustained']} s", ">= 300",
            f"{sustained['archived_per_s']:.1f} (submitted {sustained['submitted_per_s']:.1f}/s, "
            f"backlog {sustained['backlog']})", f"{commits}; {publishes}")
        cpu = sum(sustained["cpu_ms_per_demand"].values())
        row("Python CPU per demand, all services (ms)", "<= 20",
            f"{cpu:.0f} (" + ", ".join(f"{name} {ms:.0f}" for name, ms in
                                       sustained["cpu_ms_per_demand"].items()) + ")",
            f"{1000 / limits['pg_commits']:.1f} ms/commit")
        machine = sustained["machine_ms_per_demand"]
        row("the whole machine's CPU per demand (ms)", "-",
            f"{machine:.0f} (the services {cpu:.0f}, the benchmark's clients "
            f"{sustained['clients_ms_per_demand']:.0f}, PostgreSQL, RabbitMQ and the kernel "
            f"{machine - cpu - sustained['clients_ms_per_demand']:.0f})",
            f"{sustained['cores']} cores: at most {1000 * sustained['cores'] / machine:.1f} demands/s "
            f"(completed {sustained['completed_per_s']:.1f}/s)")
        per_demand = sustained["per_demand"]
        row("PostgreSQL commits / confirmed publishes per demand", "<= 8 / <= 6",
            f"{per_demand['commits']:.1f} / {per_demand['confirms']:.1f} "
            f"({per_demand['publishes']:.1f} published, RPC included)", "counts: no machine limit")
        behind = backlog.measure(platform, amqp_uri, plan["backlog"], 10, plan["latency"])
        print(f"  {backlog.describe(behind)}", flush=True)
        row(f"HTTP submit / GET p99 behind a backlog of {plan['backlog']:,} notifications (ms)",
            "<= 100", f"{behind['submit']['p99']:.0f} / {behind['read']['p99']:.0f} "
            f"(p50 {behind['submit']['p50']:.0f} / {behind['read']['p50']:.0f})", "-")
    wait_for_quiet()
    caught_up = catch_up.measure(plan["behind"], plan["one_by_one"])
    for line in catch_up.describe(caught_up):
        print(f"  {line}", flush=True)
    for service in ("partners", "evaluation"):
        rates = caught_up[service]
        row(f"{service} catching up {caught_up['notifications']:,} behind (notifications/s)",
            ">= 10 000", f"{rates['runs']:,.0f} (one transaction each: {rates['one_by_one']:,.0f})",
            f"log read {caught_up['log_read']:,.0f}/s; PG {caught_up['pg_commits']:,.0f} commits/s")
    rebuilt, raw_read = archive_rebuild(plan["rebuild_demands"], plan["rebuild_rounds"])
    row("archive rebuild (events/s, SQLite + litemongo)", ">= 20 000", rebuilt,
        f"log read {raw_read} events/s (SQLite); PG log read {limits['log_reads']:,.0f}/s")
    matched = matching.measure(10_000, plan["match_demands"])
    row("matching among 10 000 institutions p99 (ms)", "<= 5", f"{matched['p99']:.2f}", "-")

    header = ("figure", "target", "measured", "raw limit (same run)", "load 1 min")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    print()
    for line in [header, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(str(cell).ljust(width) for cell, width in zip(line, widths)))
    print(f"\n{'quick run: short windows, not the targets’ terms. ' if args.quick else ''}"
          f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
