"""Starting and stopping the platform as a new user does: `onestop up` with its own options says
where it listens, where the data is and how to sign in the first time, logs no expected wait as
a problem, and says when it stopped; `onestop token` never signs with a secret no platform uses;
`--help` reads as plain text."""
import os
import signal
import stat

import requests

from tests.e2e.harness import BIN, Process, free_port, onestop, wait_for


def test_up_takes_its_own_options_says_what_it_did_and_stops_cleanly(tmp_path):
    port, data = free_port(), tmp_path / "station-data"
    env = {key: value for key, value in os.environ.items()
           if key not in ("ONESTOP_HTTP_ADDRESS", "ONESTOP_DATA_DIR")}
    up = Process("up", [str(BIN / "onestop"), "up", "--port", str(port), "--data-dir", str(data)],
                 env, tmp_path).start()
    try:
        wait_for(lambda: "Ctrl-C stops it" in up.output(), 60, message="the ready line")
        output = up.output()
        assert f"ready in " in output and f"at http://127.0.0.1:{port}" in output
        assert f"data in {data}" in output
        # The data folder and all it holds are the user's alone.
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        shared = [str(p) for p in data.rglob("*") if stat.S_IMODE(p.stat().st_mode) & 0o077]
        assert not shared, shared
        kept = data / "first-operator-password"
        password = kept.read_text().split("one-time password: ")[1].strip()
        assert password in output and str(kept) in output  # printed once, and where it is kept
        # What it printed works: the first operator signs in with it, and must change it.
        signed_in = requests.post(f"http://127.0.0.1:{port}/api/v1/sessions", timeout=10,
                                  json={"sign_in_name": "operator", "password": password})
        assert signed_in.status_code == 201 and signed_in.json()["must_change_password"], signed_in.text
        # The development aid works where the embedded mode allows it: its token is the gateway's.
        minted = onestop(env, "--data-dir", str(data), "token", "--role", "operator", "--subject", "ops-1")
        assert minted.returncode == 0, minted.stderr
        answer = requests.get(f"http://127.0.0.1:{port}/api/v1/dead-letters", timeout=10,
                              headers={"Authorization": f"Bearer {minted.stdout.strip()}"})
        assert answer.status_code == 200, answer.text
    finally:
        up.signal(signal.SIGINT)
        up.wait(30)
    output = up.output()
    assert up.popen.returncode == 0
    assert "stopped in " in output and f"the data stays in {data}" in output
    # Every service starts at once: waiting for the others is not a warning nor a traceback.
    assert "WARNING" not in output and "Traceback" not in output, output


def test_a_token_for_a_folder_no_platform_used_is_refused_and_creates_nothing(tmp_path):
    nowhere = tmp_path / "typo"
    minted = onestop(dict(os.environ), "--data-dir", str(nowhere), "token", "--role", "operator",
                     "--subject", "ops-1")
    assert minted.returncode == 2 and minted.stdout == ""
    assert "no platform has run with the data folder" in minted.stderr and "--data-dir" in minted.stderr
    assert not nowhere.exists()


def test_help_is_plain_text():
    shown = onestop(dict(os.environ), "--help")
    assert shown.returncode == 0 and "``" not in shown.stdout and "onestop command" in shown.stdout
    up = onestop(dict(os.environ), "up", "--help")
    assert all(option in up.stdout for option in ("--host", "--port", "--data-dir"))
