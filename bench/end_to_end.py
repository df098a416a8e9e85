"""Benchmark: the event path end to end, distributed mode (RabbitMQ + PostgreSQL, one process per
service and the gateway, as tests/e2e/harness.py starts them).

(b) latency at a fixed rate (target p99 <= 250 ms at 50 demands/s): demands are submitted over
    HTTP on an open-loop schedule, and the latency of each is from its intended send time to the
    moment its ``assignment.started`` reaches the institution's subscriber, a plain AMQP (pika)
    consumer on the partner exchange, as examples/partner-subscriber is.
(a) sustained throughput (target >= 300 demands/s for 60 s): several HTTP clients submit as
    fast as they are answered; a demand is complete once its dossier is archived as assigned
    (counted through the archive's search). Reports submitted/s, assigned/s and archived/s in
    the window, the backlog at its end and how long it took to drain.

The raw limits measured in the same run are printed beside (bench/raw_limits.py).

    .venv/bin/python -m bench.end_to_end [--seconds 60] [--rate 50] [--latency-seconds 30]
"""
from __future__ import annotations

import argparse
import os
import threading
import time

from bench import raw_limits
from bench.clients import Clients, PartnerSubscriber, open_loop
from bench.platform import (
    SUPERVISOR, cpu_seconds, distributed, end_on_sigterm, inbox_outcomes, load_average,
    machine_cpu_seconds, pace, percentile, settle, waiting, work_done)


def latency(platform, amqp_uri: str, rate: float, seconds: float, workers: int = 8) -> dict:
    clients = Clients(platform)
    with PartnerSubscriber(amqp_uri) as subscriber:
        results = open_loop(pace(rate, seconds), clients.submit, workers)
        submitted = {r[2]: r[0] for r in results if isinstance(r[2], str)}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not submitted.keys() <= subscriber.assigned.keys():
            time.sleep(0.1)
        seen = dict(subscriber.assigned)
    latencies = sorted((seen[d] - sent) * 1000 for d, sent in submitted.items() if d in seen)
    answers = sorted((finished - intended) * 1000 for intended, finished, _ in results)
    return {"rate": rate, "seconds": seconds, "submitted": len(submitted),
            "errors": len(results) - len(submitted), "missing": len(submitted) - len(latencies),
            "p50": percentile(latencies, 0.50), "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99), "max": latencies[-1] if latencies else float("nan"),
            "submit_p50": percentile(answers, 0.50), "submit_p99": percentile(answers, 0.99)}


def archived(platform) -> int:
    """Dossiers archived as assigned (counted through the archive's search, page by page)."""
    count, params = 0, {"status": "assigned", "per_page": 100}
    while True:
        response = platform.api.call("GET", "/api/v1/archive/demands", as_=SUPERVISOR, params=params)
        response.raise_for_status()
        page = response.json()
        count += len(page["items"])
        if page["next_after"] is None:
            return count
        params = {**params, "after": page["next_after"]}


def sustained(platform, amqp_uri: str, seconds: float, workers: int = 8,
              drain_seconds: float = 120) -> dict:
    clients = Clients(platform)
    settle(platform, amqp_uri)
    before, cpu_before = archived(platform), cpu_seconds(platform)
    machine_before, clients_before = machine_cpu_seconds(), time.process_time()
    work_before = {**work_done(amqp_uri), **inbox_outcomes(platform)}
    submitted, errors, lock = [], [], threading.Lock()
    with PartnerSubscriber(amqp_uri) as subscriber:
        started = time.monotonic()
        deadline = started + seconds

        def submit_until_deadline():
            while time.monotonic() < deadline:
                try:
                    demand = clients.submit()
                except Exception as error:
                    with lock:
                        errors.append(error)
                else:
                    with lock:
                        submitted.append(demand)

        threads = [threading.Thread(target=submit_until_deadline, daemon=True) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        window = time.monotonic() - started
        assigned_in_window = sum(1 for d in submitted if subscriber.assigned.get(d, deadline + 1) <= deadline)
        archived_in_window = archived(platform) - before
        drain_deadline = time.monotonic() + drain_seconds
        done = archived_in_window
        while done < len(submitted) and time.monotonic() < drain_deadline:
            time.sleep(1)
            # Counted only once nothing waits: a count pages through every dossier archived
            # (a search each 100), which polled each second took a third of the archive's
            # CPU in a long drain and slowed the drain it measured.
            if waiting(platform, amqp_uri) == 0:
                done = archived(platform) - before
        drained = time.monotonic() - started - window
        if done < len(submitted):  # the drain's time ran out while something still waited
            done = archived(platform) - before
    cpu = {name: used - cpu_before[name] for name, used in cpu_seconds(platform).items()}
    machine, clients_cpu = machine_cpu_seconds() - machine_before, time.process_time() - clients_before
    time.sleep(6)  # the broker's message rates are sampled every 5 s
    work = {what: count - work_before.get(what, 0)
            for what, count in {**work_done(amqp_uri), **inbox_outcomes(platform)}.items()}
    return {"seconds": window, "workers": workers, "submitted": len(submitted), "errors": len(errors),
            "submitted_per_s": len(submitted) / window,
            "assigned_per_s": assigned_in_window / window,
            "archived_per_s": archived_in_window / window,
            "backlog": len(submitted) - archived_in_window,
            # A submit that timed out may still have been recorded: never below zero.
            "drain_seconds": drained, "left_after_drain": max(len(submitted) - done, 0),
            "completed_per_s": done / (window + drained),
            # Per demand archived, over the window and the drain: what caps a 2-core machine.
            "cpu_ms_per_demand": {name: 1000 * used / max(done, 1) for name, used in cpu.items()},
            # The whole machine's: what else a demand costs (PostgreSQL, RabbitMQ, the kernel,
            # the benchmark's own HTTP clients), and so the rate its cores allow at most.
            "machine_ms_per_demand": 1000 * machine / max(done, 1),
            "clients_ms_per_demand": 1000 * clients_cpu / max(done, 1),
            "cores": os.cpu_count(),
            # Per demand archived, counted, so they do not depend on the machine.
            "per_demand": {what: count / max(done, 1) for what, count in work.items()}}


def describe_latency(result: dict) -> str:
    return (f"latency at {result['rate']:.0f} demands/s for {result['seconds']:.0f} s "
            f"({result['submitted']} submitted, {result['errors']} errors, {result['missing']} "
            f"never assigned), submit -> assignment.started at the subscriber: "
            f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms, "
            f"max {result['max']:.0f} ms (target p99 <= 250 ms); HTTP submit answered "
            f"p50 {result['submit_p50']:.0f} ms, p99 {result['submit_p99']:.0f} ms")


def describe_sustained(result: dict) -> str:
    return (f"sustained {result['seconds']:.0f} s, {result['workers']} HTTP clients: submitted "
            f"{result['submitted_per_s']:.1f}/s ({result['errors']} errors), assigned "
            f"{result['assigned_per_s']:.1f}/s and archived {result['archived_per_s']:.1f}/s within "
            f"the window (target >= 300/s), backlog {result['backlog']} at its end, drained in "
            f"{result['drain_seconds']:.0f} s ({result['left_after_drain']} left); "
            f"{result['completed_per_s']:.1f} completed/s overall; CPU per demand: "
            + ", ".join(f"{name} {ms:.0f} ms" for name, ms in result["cpu_ms_per_demand"].items())
            + f" (total {sum(result['cpu_ms_per_demand'].values()):.0f} ms); "
            + describe_machine(result) + "; per demand: "
            f"{result['per_demand']['commits']:.1f} PostgreSQL commits that wrote (target <= 8), "
            f"{result['per_demand']['publishes']:.1f} messages published and "
            f"{result['per_demand']['confirms']:.1f} confirmed (target <= 6), in batches; "
            "published to each exchange per demand: " + ", ".join(
                f"{what.removeprefix('exchange ')} {count:.1f}"
                for what, count in result["per_demand"].items()
                if what.startswith("exchange ") and count)
            + "; notifications received per demand: " + ", ".join(
                f"{what.removeprefix('received ')} {count:.1f}"
                for what, count in result["per_demand"].items()
                if what.startswith("received ") and count))


def describe_machine(result: dict) -> str:
    """The machine's CPU per demand, what of it is not the platform's Python, and the rate
    at which that would fill every core."""
    machine, platform = result["machine_ms_per_demand"], sum(result["cpu_ms_per_demand"].values())
    clients = result["clients_ms_per_demand"]
    return (f"the whole machine {machine:.0f} ms of CPU a demand (the services {platform:.0f}, "
            f"the benchmark's clients {clients:.0f}, PostgreSQL, RabbitMQ and the kernel "
            f"{machine - platform - clients:.0f}): its {result['cores']} cores allow at most "
            f"{1000 * result['cores'] / machine:.1f} demands/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="the sustained window")
    parser.add_argument("--workers", type=int, default=8, help="HTTP clients of the sustained run")
    parser.add_argument("--rate", type=float, default=50, help="demands/s of the latency run")
    parser.add_argument("--latency-seconds", type=float, default=30)
    args = parser.parse_args()
    end_on_sigterm()
    with distributed() as (platform, amqp_uri):
        print(f"load average: {load_average()}")
        print(describe_latency(latency(platform, amqp_uri, args.rate, args.latency_seconds)))
        print(f"load average: {load_average()}")
        print(describe_sustained(sustained(platform, amqp_uri, args.seconds, args.workers)))
        print(f"load average: {load_average()}")
        limits = raw_limits.measure(amqp_uri=amqp_uri)
    for line in raw_limits.describe(limits):
        print(f"raw limit: {line}")


if __name__ == "__main__":
    main()
