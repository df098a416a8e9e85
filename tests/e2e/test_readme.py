"""The README's walkthrough, pasted as a new user would, twice on the same data: every command
runs, every answer is the one the README leads to expect, and the second run finds what the
first made instead of failing on it."""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.harness import Embedded

ROOT = Path(__file__).resolve().parents[2]
#: Answers the README says to expect: what is there already (409, on the second run) and a
#: month too young to grade (422 insufficient_data).
EXPECTED_ERRORS = {"first": {"insufficient_data"}, "second": {"insufficient_data", "conflict"}}


def walkthrough() -> str:
    """Every indented code block of the README's "Trying it", in order, as one script."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Trying it", 1)[1].split("\n## ", 1)[0]
    blocks, current = [], []
    for line in section.splitlines():
        if line.startswith("    "):
            current.append(line[4:])
        elif line.strip() == "" and current:
            current.append("")
        elif current:
            blocks.append("\n".join(current))
            current = []
    blocks.append("\n".join(current))
    return "\n".join(block for block in blocks if block.strip())


@pytest.fixture
def platform(tmp_path):
    platform = Embedded(tmp_path).start()
    yield platform
    platform.stop()


def run(platform, script: str) -> tuple[list[dict], str, str]:
    env = {**platform.env, "ONESTOP_API": f"http://127.0.0.1:{platform.port}/api/v1"}
    done = subprocess.run(["bash", "-c", script + '\necho "ids $STATION $LAB $DEMAND"'], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    answers = []
    for line in done.stdout.splitlines():
        try:
            found = json.loads(line)
        except ValueError:
            continue  # the CSV report
        if isinstance(found, dict):
            answers.append(found)
    ids = re.search(r"^ids (\S+) (\S+) (\S+)$", done.stdout, re.M)
    assert done.returncode == 0 and done.stderr == "", done.stderr + done.stdout[-3000:]
    return answers, ids.groups(), done.stdout


def test_the_readme_walkthrough_runs_as_written_twice(platform):
    script = walkthrough()
    assert "<id>" not in script and "2026-11" not in script  # nothing to fill in, no fixed month
    outcomes = {}
    for turn in ("first", "second"):
        answers, ids, output = run(platform, script)
        errors = {answer["error"] for answer in answers if "error" in answer}
        assert errors <= EXPECTED_ERRORS[turn], output[-3000:]
        assert all(len(found) == 36 for found in ids), ids  # every id captured
        dossiers = [a for a in answers if a.get("demand_id") == ids[2] and "events" in a]
        assert dossiers and dossiers[-1]["status"] == "assigned", output[-3000:]
        outcomes[turn] = ids
    assert outcomes["second"] == outcomes["first"]  # the same station, lab and demand
