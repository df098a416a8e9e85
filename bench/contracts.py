"""Benchmark: what a contract costs a message, dumped by its producer and loaded by a follower,
on the plain path (shared/contracts/plain.py) and through marshmallow's own machinery.

Intake's log is written first (bench/history.py: demands submitted, half of them accepted, on
PostgreSQL); each notification is then dumped from its recorded event and loaded from its
message, every way, several rounds, the best round counted (CPU time of this process). The
raw limit beside them, measured in the same run: the same messages encoded to JSON and decoded
again, which every message pays on the wire whatever its contract costs.

    .venv/bin/python -m bench.contracts [--demands 3000] [--rounds 5]
"""
from __future__ import annotations

import argparse
import json
import time

from marshmallow import EXCLUDE

from bench.history import config, write_history
from bench.platform import load_average, schema_prefix


def best(rounds: int, work) -> float:
    """The least CPU seconds ``work`` took in ``rounds`` rounds."""
    fastest = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        fastest = min(fastest, time.process_time() - started)
    return fastest


def measure(demands: int, rounds: int) -> dict:
    from services.intake.application import Intake
    from shared.contracts import contract_for
    from shared.eventstore import open_application

    with schema_prefix() as prefix:
        write_history(prefix, demands)
        intake = open_application(Intake, config(prefix))
        try:
            notifications = intake.recorder.select_notifications(start=1, limit=10 ** 7)
            events = [intake.mapper.to_domain_event(n) for n in notifications]
        finally:
            intake.close()
    pairs = [(contract_for(type(event).__name__), event) for event in events]
    messages = [(terms, terms.dump(event)) for terms, event in pairs]

    def marshmallow_dump():
        for terms, event in pairs:
            values = dict(vars(event))
            values[terms.subject] = event.originator_id
            terms._instance().dump(values)

    seconds = {
        "plain dump": best(rounds, lambda: [terms.dump(event) for terms, event in pairs]),
        "marshmallow dump": best(rounds, marshmallow_dump),
        "plain load": best(rounds, lambda: [terms.load(data, unknown=EXCLUDE) for terms, data in messages]),
        "marshmallow load": best(rounds, lambda: [terms._instance().load(data, unknown=EXCLUDE)
                                                  for terms, data in messages]),
        "JSON encode and decode": best(rounds, lambda: [json.loads(json.dumps(data, default=str))
                                                        for _, data in messages]),
    }
    return {"messages": len(messages),
            "us_per_message": {name: s / len(messages) * 1e6 for name, s in seconds.items()}}


def describe(found: dict) -> list[str]:
    costs = found["us_per_message"]
    raw = costs["JSON encode and decode"]
    lines = [f"{found['messages']:,} messages of intake's log; raw limit, same run: JSON encode "
             f"and decode {raw:.1f} us a message"]
    for way in ("dump", "load"):
        plain, marshmallow = costs[f"plain {way}"], costs[f"marshmallow {way}"]
        lines.append(f"{way}: plain {plain:.1f} us a message ({plain / raw:.1f}x the JSON round "
                     f"trip), marshmallow {marshmallow:.1f} us ({marshmallow / raw:.1f}x); "
                     f"plain takes {plain / marshmallow:.2f} of marshmallow's time")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demands", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average at start: {load_average()}", flush=True)
    for line in describe(measure(args.demands, args.rounds)):
        print(line)
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
