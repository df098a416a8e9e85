"""Benchmark: the web console as people meet it (issue 19's terms), embedded mode.

- The sign-in page's first JavaScript, gzipped: the entry, the page and what they import
  statically, from the build's manifest (console/scripts/bundle-size.mjs). Target: 400 KB.
- A specialist's queue with 10 000 demands in the store: from the navigation to its first page
  of rows shown in Debian's Chromium (console/scripts/bench-queue.mjs), the median of 5. Target:
  1 s. Beside it, the raw limits measured in the same run: the same first page asked of the API
  directly, and a navigation to a page that loads nothing.
The demands are written through intake's own application into the embedded store before the
platform starts (so the events and rows are what intake records), then the platform serves it.

    .venv/bin/python -m bench.console [--demands 10000]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSOLE = ROOT / "console"
SIZE_TARGET_KB, QUEUE_TARGET_MS = 400.0, 1000.0
PASSWORD = "Bench-Queue-2026!"
OPERATOR = {"role": "operator", "subject": "bench"}


def sign_in_page_kb() -> float:
    ran = subprocess.run(["node", "scripts/bundle-size.mjs"], cwd=CONSOLE, capture_output=True,
                         text=True, check=True)
    return float(ran.stdout.strip().splitlines()[-1].split()[0])


def seed(data: Path, demands: int, specialist: str) -> tuple[str, float]:
    """A station whose specialist is ``specialist`` and ``demands`` demands waiting at it."""
    os.environ["ONESTOP_DATA_DIR"] = str(data)
    from services.accounts.person import Person
    from services.intake.application import Intake
    from shared.config import load
    from shared.eventstore import open_application
    from tests import factories

    intake = open_application(Intake, load())
    try:
        station = intake.register_station(factories.station(auto_accept=[]), OPERATOR)
        staff = str(Person.create_id(specialist))
        intake.add_specialist(station["id"], factories.specialist(staff), OPERATOR)
        by = {"role": "specialist", "subject": staff}
        started = time.perf_counter()
        for number in range(demands):
            intake.submit_demand(factories.demand(title=f"第 {number} 项检测需求"), by)
        return station["id"], demands / (time.perf_counter() - started)
    finally:
        intake.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demands", type=int, default=10_000)
    args = parser.parse_args()
    from tests.e2e.harness import Embedded

    size = sign_in_page_kb()
    print(f"sign-in page, first JavaScript gzipped: {size:.1f} KB (target <= {SIZE_TARGET_KB:.0f} KB, "
          f"{size / SIZE_TARGET_KB:.2f} of it)")
    name = "bench-specialist"
    with tempfile.TemporaryDirectory() as tmp:
        station, rate = seed(Path(tmp) / "data", args.demands, name)
        print(f"seeded {args.demands} demands through intake at {rate:.0f}/s")
        platform = Embedded(Path(tmp)).start()
        try:
            api = platform.api
            operator = api.first_operator_token(PASSWORD)
            organisation = api.call("POST", "/api/v1/organisations", as_=operator, json={
                "kind": "station", "party": station, "name": "番禺节能科技园服务站"}).json()["id"]
            api.new_person(operator, organisation, name, ["specialist"], PASSWORD)
            ran = subprocess.run(["node", "scripts/bench-queue.mjs", api.base, name, PASSWORD, "5"],
                                 cwd=CONSOLE, capture_output=True, text=True, timeout=600)
            if ran.returncode != 0:
                raise SystemExit(f"the browser run failed:\n{ran.stdout}\n{ran.stderr}")
            timed = json.loads(ran.stdout.strip().splitlines()[-1])
        finally:
            platform.stop()
    print(f"specialist's queue with {args.demands} demands, first rows shown: median {timed['queue']} ms, "
          f"max {timed['queueMax']} ms of {timed['rounds']} (target <= {QUEUE_TARGET_MS:.0f} ms, "
          f"{timed['queue'] / QUEUE_TARGET_MS:.2f} of it)")
    print(f"  raw limits in the same run: the API's first page {timed['api']:.0f} ms "
          f"(queue / API: {timed['queue'] / max(timed['api'], 1):.1f}); a page loading nothing "
          f"{timed['blank']} ms (queue / that: {timed['queue'] / max(timed['blank'], 1):.1f})")


if __name__ == "__main__":
    main()
