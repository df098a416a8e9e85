"""The web console's own tests, run from here so the one test command covers them: its
component and composable tests (Vitest), and its browser tests (Playwright driving Debian's
Chromium against an embedded platform it starts, console/tests/e2e/). Each runs as its own
process; its output is shown when it fails."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from gateway.openapi import document
from gateway.service import GatewayService

CONSOLE = Path(__file__).resolve().parents[2] / "console"


def npm(script: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(["npm", "--prefix", str(CONSOLE), "run", "--silent", script],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "CI": "true"})


def test_the_console_s_api_document_is_the_gateway_s():
    kept = json.loads((CONSOLE / "openapi.json").read_text(encoding="utf-8"))
    assert kept == document(GatewayService), \
        "console/openapi.json is stale: run `onestop docs openapi > console/openapi.json` and fix " \
        "what the console's type check then finds"


@pytest.mark.parametrize("script, timeout", [("typecheck", 300), ("test:unit", 300), ("test:e2e", 1500)])
def test_the_console(script, timeout):
    ran = npm(script, timeout)
    assert ran.returncode == 0, f"npm run {script} failed:\n{ran.stdout[-8000:]}\n{ran.stderr[-4000:]}"
