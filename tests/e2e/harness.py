"""Real processes of the platform, and an HTTP client that acts as each role would."""
from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pyotp
import requests

import shared
from tests import factories
from tests.conftest import wait_for

BIN = Path(sys.executable).parent
CONFIG = str(Path(shared.__file__).parent / "config.yaml")


def midday_zone() -> str:
    """A fixed-offset zone where it is about noon now, so a round-the-clock test calendar
    ("00:00-23:59") is far from its one-minute gap at midnight."""
    offset = (12 - datetime.now(timezone.utc).hour + 12) % 24 - 12
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


#: Ports the tests' servers listen on: below Linux's ephemeral range (32768-60999), from which
#: every outgoing connection of the machine takes its local port. A port the kernel handed out
#: as free could be taken by such a connection before the server started binding it.
LISTENING_PORTS = range(20000, 32000)


def free_port() -> int:
    """A port nothing listens on now, outside the range outgoing connections take theirs from."""
    for port in random.sample(LISTENING_PORTS, 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {LISTENING_PORTS}")


class Process:
    def __init__(self, name: str, argv: list[str], env: dict, logs: Path):
        self.name, self.argv, self.env, self.logs = name, argv, env, logs
        self.popen = None

    def start(self) -> "Process":
        log = open(self.logs / f"{self.name}.log", "ab")
        self.popen = subprocess.Popen(self.argv, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def stop(self, sig=signal.SIGTERM, timeout=20) -> None:
        self.signal(sig)
        self.wait(timeout)

    def signal(self, sig=signal.SIGTERM) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.send_signal(sig)

    def wait(self, timeout=20) -> None:
        if self.popen is None:
            return
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise AssertionError(f"{self.name} did not stop within {timeout} s:\n{self.output()[-3000:]}")

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def output(self) -> str:
        return (self.logs / f"{self.name}.log").read_text(errors="replace")


def onestop(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "onestop"), *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


class Authenticator:
    """An authenticator app: the code of the next time step not used yet (a code serves once),
    waiting for the clock when the steps a platform accepts (the one before, now and the one
    after) are all used."""

    def __init__(self, secret: str):
        self.totp = pyotp.TOTP(secret)
        self.used = -1

    def code(self) -> str:
        while True:
            now = time.time()
            step = max(self.used + 1, self.totp.timecode(datetime.fromtimestamp(now, timezone.utc)) - 1)
            if step <= self.totp.timecode(datetime.fromtimestamp(now, timezone.utc)) + 1:
                self.used = step
                return self.totp.generate_otp(step)
            time.sleep(self.totp.interval - now % self.totp.interval + 0.1)


class Api:
    def __init__(self, base: str, env: dict):
        self.base = base
        self.env = env
        self._tokens: dict[tuple[str, str], str] = {}
        self.session = requests.Session()
        #: the authenticators the tests set up, by sign-in name
        self.authenticators: dict[str, "Authenticator"] = {}

    def token(self, role: str, subject: str) -> str:
        key = (role, subject)
        if key not in self._tokens:
            minted = onestop(self.env, "token", "--role", role, "--subject", subject)
            assert minted.returncode == 0, minted.stderr
            self._tokens[key] = minted.stdout.strip()
        return self._tokens[key]

    def signing_key(self):
        """The accounts service's current signing key (in the data folder), for tests that
        forge tokens `onestop token` refuses to mint."""
        from services.accounts.keys import KeyRing

        return KeyRing(Path(self.env["ONESTOP_DATA_DIR"]) / "signing-keys").current()

    def sign_in(self, name: str, password: str, code: str | None = None) -> requests.Response:
        body = {"sign_in_name": name, "password": password}
        if code is not None:
            body["code"] = code
        return self.session.post(self.base + "/api/v1/sessions", timeout=10, json=body)

    def first_operator_token(self, new_password: str) -> str:
        """Signs in as the first operator with the one-time password the first start kept in
        the data folder, changes it to ``new_password``, sets up the second factor operators
        must have, and signs in again with a code: that access token."""
        kept = (Path(self.env["ONESTOP_DATA_DIR"]) / "first-operator-password").read_text()
        password = re.search(r"one-time password: (\S+)", kept).group(1)
        first = self.sign_in("operator", password)
        assert first.status_code == 201, first.text
        changed = self.call("POST", "/api/v1/me/password", as_=first.json()["access_token"],
                            json={"current_password": password, "new_password": new_password})
        assert changed.status_code == 200, changed.text
        return self.with_second_factor("operator", new_password)

    def new_person(self, operator, organisation_id: str, name: str, roles: list[str],
                   password: str, **contacts: str) -> tuple[dict, dict]:
        """A person the operator creates in the organisation (with ``contacts``: email, mobile),
        who changes the one-time password to ``password`` and signs in: (the person, their
        tokens). Roles that need a second factor sign in with ``with_second_factor`` afterwards
        instead."""
        made = self.call("POST", "/api/v1/persons", as_=operator, json={
            "organisation_id": organisation_id, "sign_in_name": name, "name": name, "roles": roles,
            **contacts})
        assert made.status_code == 201, made.text
        once = made.json()["one_time_password"]
        first = self.sign_in(name, once)
        assert first.status_code == 201, first.text
        changed = self.call("POST", "/api/v1/me/password", as_=first.json()["access_token"],
                            json={"current_password": once, "new_password": password})
        assert changed.status_code == 200, changed.text
        return made.json(), self.sign_in(name, password).json()

    def with_second_factor(self, name: str, password: str) -> str:
        """Signs a person in whose role needs a second factor, sets one up (an authenticator
        played by the test), and signs in again with a code: that access token."""
        pending = self.sign_in(name, password)
        assert pending.status_code == 201 and pending.json()["pending"] == "second_factor_setup", pending.text
        proposed = self.call("POST", "/api/v1/me/second-factor", as_=pending.json()["access_token"])
        assert proposed.status_code == 201, proposed.text
        self.authenticators[name] = Authenticator(proposed.json()["secret"])
        confirmed = self.call("POST", "/api/v1/me/second-factor/confirmation",
                              as_=pending.json()["access_token"],
                              json={"code": self.authenticators[name].code()})
        assert confirmed.status_code == 200, confirmed.text
        again = self.sign_in(name, password, code=self.authenticators[name].code())
        assert again.status_code == 201 and again.json()["pending"] is None, again.text
        return again.json()["access_token"]

    def call(self, method: str, path: str, *, as_=None, **kwargs) -> requests.Response:
        """``as_``: a (role, party) acted as with a development token, or an access token."""
        headers = kwargs.pop("headers", {})
        if as_ is not None:
            headers["Authorization"] = f"Bearer {as_ if isinstance(as_, str) else self.token(*as_)}"
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.base + path, headers=headers, **kwargs)

    def wait_ready(self, timeout: float = 60) -> None:
        def ready():
            try:
                return self.session.get(self.base + "/readyz", timeout=3).status_code == 200
            except requests.RequestException:
                return False
        wait_for(ready, timeout, interval=0.2, message=f"{self.base}/readyz")

    def open_station(self, staff=("s-1",), **overrides) -> dict:
        """Register the default park's station (as an operator) and its specialists."""
        operator = ("operator", "ops-1")
        station = self.call("POST", "/api/v1/stations", as_=operator, json=factories.station(**overrides))
        assert station.status_code == 201, station.text
        for staff_id in staff:
            added = self.call("POST", f"/api/v1/stations/{station.json()['id']}/specialists",
                              as_=operator, json=factories.specialist(staff_id))
            assert added.status_code == 201, added.text
        return station.json()

    def wait_status(self, demand_id: str, status: str, as_, timeout: float = 20) -> dict:
        def reached():
            shown = self.call("GET", f"/api/v1/demands/{demand_id}", as_=as_).json()
            return shown if shown.get("status") == status else None
        return wait_for(reached, timeout, message=f"demand {demand_id} to be {status}")

    def wait_dossier(self, demand_id: str, status: str, as_, timeout: float = 20) -> dict:
        def archived():
            response = self.call("GET", f"/api/v1/archive/demands/{demand_id}", as_=as_)
            return response.json() if response.ok and response.json()["status"] == status else None
        return wait_for(archived, timeout, message=f"the dossier of {demand_id} to be {status}")


#: The tests (and the benchmark) drive thousands of writes from this machine's one address; the
#: rate limits are tested with their own settings (test_bad_input.py).
UNLIMITED = {"ONESTOP_SIGN_IN_RATE": "0", "ONESTOP_WRITE_RATE": "0", "ONESTOP_ADDRESS_WRITE_RATE": "0",
             # The lifecycle's tests serve testing demands straight away; the quote the
             # enterprise accepts first is tested where it is turned on (test_quotes_http.py).
             "ONESTOP_QUOTE_CATEGORIES": "[]"}


class Embedded:
    """``onestop up``: one process, memory broker, SQLite and the file archive store."""

    def __init__(self, tmp: Path, port: int | None = None, **settings: str):
        self.port = port or free_port()
        self.env = {**os.environ, **UNLIMITED, "ONESTOP_DATA_DIR": str(tmp / "data"),
                    "ONESTOP_HTTP_ADDRESS": f"127.0.0.1:{self.port}", "PYTHONWARNINGS": "ignore",
                    **settings}
        self.process = Process("onestop-up", [str(BIN / "onestop"), "up"], self.env, tmp)
        self.api = Api(f"http://127.0.0.1:{self.port}", self.env)

    def start(self) -> "Embedded":
        self.process.start()
        try:
            self.api.wait_ready()
        except AssertionError:
            self.stop()
            raise AssertionError(f"onestop up did not get ready:\n{self.process.output()[-3000:]}") from None
        return self

    def stop(self) -> None:
        self.process.stop()


class Distributed:
    """One ``nameko run`` process per service and the gateway, on RabbitMQ and PostgreSQL."""

    SERVICES = {
        "accounts": "services.accounts.service:AccountsService",
        "intake": "services.intake.service:IntakeService",
        "matching": "services.matching.service:MatchingService",
        "evaluation": "services.evaluation.service:EvaluationService",
        "archive": "services.archive.service:ArchiveService",
        "partners": "services.partners.service:PartnersService",
        "notices": "services.notices.service:NoticesService",
        "gateway": "gateway.service:GatewayService",
    }

    def __init__(self, tmp: Path, amqp_uri: str, pg_dbname: str, schema_prefix: str,
                 replicas: dict[str, int] | None = None, settings: dict[str, str] | None = None,
                 service_settings: dict[str, dict[str, str]] | None = None):
        self.port = free_port()
        self.env = {
            **os.environ,
            **UNLIMITED,
            "ONESTOP_AMQP_URI": amqp_uri,
            "ONESTOP_EVENT_STORE": "postgres",
            "ONESTOP_PG_DBNAME": pg_dbname,
            "ONESTOP_PG_SCHEMA_PREFIX": schema_prefix,
            "ONESTOP_DATA_DIR": str(tmp / "data"),
            # The tests act as parties through `onestop token`, signed with the accounts
            # service's key (in the data folder); persons sign in where a test is about them.
            "ONESTOP_DEVELOPMENT_TOKENS": "true",
            "ONESTOP_HTTP_ADDRESS": f"127.0.0.1:{self.port}",
            "ONESTOP_CATCH_UP_INTERVAL": "2",
            "PYTHONWARNINGS": "ignore",
            **(settings or {}),
        }
        self.processes, self.metrics_ports = {}, {}
        for name, module in self.SERVICES.items():
            for replica in range((replicas or {}).get(name, 1)):
                key = name if replica == 0 else f"{name}-{replica + 1}"
                self.metrics_ports[key] = free_port()
                env = {**self.env, **(service_settings or {}).get(name, {}),
                       "ONESTOP_METRICS_PORT": str(self.metrics_ports[key])}
                self.processes[key] = Process(
                    key, [str(BIN / "nameko"), "run", "--config", CONFIG, module], env, tmp)
        self.api = Api(f"http://127.0.0.1:{self.port}", self.env)

    def metrics(self, process: str) -> str:
        """The Prometheus text a service process serves on its own port."""
        return requests.get(f"http://127.0.0.1:{self.metrics_ports[process]}/metrics", timeout=5).text

    def start(self) -> "Distributed":
        for process in self.processes.values():
            process.start()
        try:
            self.api.wait_ready()
        except AssertionError:
            self.stop()
            raise AssertionError("the platform did not get ready:\n" + "\n".join(
                f"--- {p.name}\n{p.output()[-1500:]}" for p in self.processes.values())) from None
        return self

    def stop(self) -> None:
        for process in self.processes.values():
            process.signal()
        for process in self.processes.values():
            process.wait()
