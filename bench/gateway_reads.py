"""Benchmark: the gateway reading a demand (target p99 <= 20 ms at 200 req/s), distributed mode.

Submits demands, then GETs /api/v1/demands/{id} of random ones at a fixed rate on an open-loop
schedule from several clients; each latency counts from the request's intended send time.
A read is the gateway's token check, an RPC to intake over RabbitMQ and intake's view.

    .venv/bin/python -m bench.gateway_reads [--rate 200] [--seconds 30] [--demands 200]
"""
from __future__ import annotations

import argparse
import os
import random
import time

from bench.clients import Clients, open_loop
from bench.platform import (
    cpu_seconds, distributed, end_on_sigterm, load_average, machine_cpu_seconds, pace, percentile,
    settle)


def measure(platform, amqp_uri: str, rate: float, seconds: float, demands: int = 200, workers: int = 16) -> dict:
    clients = Clients(platform)
    ids = [outcome for _, _, outcome in open_loop([0.0] * demands, clients.submit, 8)
           if isinstance(outcome, str)]
    if not ids:
        raise RuntimeError("no demand could be submitted to read")
    settle(platform, amqp_uri)  # timed on an idle platform, not behind any phase's processing
    rng = random.Random(7)

    def read():
        response = clients.get(f"/api/v1/demands/{rng.choice(ids)}")
        if response.status_code != 200:
            raise RuntimeError(f"GET: {response.status_code} {response.text[:200]}")

    cpu_before, machine_before, clients_before = cpu_seconds(platform), machine_cpu_seconds(), time.process_time()
    results = open_loop(pace(rate, seconds), read, workers)
    reads = max(len(results), 1)
    cpu = {name: 1000 * (used - cpu_before[name]) / reads for name, used in cpu_seconds(platform).items()}
    machine = 1000 * (machine_cpu_seconds() - machine_before) / reads
    clients = 1000 * (time.process_time() - clients_before) / reads
    latencies = sorted((finished - intended) * 1000 for intended, finished, outcome in results
                       if not isinstance(outcome, Exception))
    return {"rate": rate, "seconds": seconds, "reads": len(latencies),
            "errors": len(results) - len(latencies), "p50": percentile(latencies, 0.50),
            "p95": percentile(latencies, 0.95), "p99": percentile(latencies, 0.99),
            "max": latencies[-1] if latencies else float("nan"),
            # CPU per read, as the end-to-end run counts it per demand: each process's, and the
            # whole machine's (so the share of its cores the rate takes).
            "cpu_ms_per_read": {name: ms for name, ms in cpu.items() if ms >= 0.05},
            "machine_ms_per_read": machine, "clients_ms_per_read": clients, "cores": os.cpu_count()}


def describe(result: dict) -> str:
    return (f"GET a demand at {result['rate']:.0f} req/s for {result['seconds']:.0f} s "
            f"({result['reads']} reads, {result['errors']} errors): p50 {result['p50']:.1f} ms, "
            f"p95 {result['p95']:.1f} ms, p99 {result['p99']:.1f} ms, max {result['max']:.0f} ms "
            f"(target p99 <= 20 ms); CPU a read: " + ", ".join(
                f"{name} {ms:.1f} ms" for name, ms in result["cpu_ms_per_read"].items())
            + f", the benchmark's clients {result['clients_ms_per_read']:.1f} ms, the whole machine "
            f"{result['machine_ms_per_read']:.1f} ms: {result['rate']:.0f} reads/s take "
            f"{result['machine_ms_per_read'] * result['rate'] / 1000:.2f} of its {result['cores']} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--demands", type=int, default=200)
    args = parser.parse_args()
    end_on_sigterm()
    with distributed() as (platform, amqp_uri):
        print(f"load average: {load_average()}")
        print(describe(measure(platform, amqp_uri, args.rate, args.seconds, args.demands)))
        print(f"load average: {load_average()}")


if __name__ == "__main__":
    main()
