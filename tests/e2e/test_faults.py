"""The fault suite: under a steady stream of demands, on RabbitMQ and PostgreSQL, every service is
killed and restarted in turn, the broker restarts, a queue's messages are dropped, messages are
delivered twice, and a deployed defect turns some events into poison. At the end every demand must
be where a fault-free run puts it: nothing lost, nothing doubled, the poison set aside and then
replayed by ``onestop deadletters replay`` once the defect is gone.
"""
from __future__ import annotations

import itertools
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pika
import requests

from tests import factories
from tests.conftest import PG, wait_for
from tests.e2e.harness import Api, Distributed, onestop
from tests.e2e.test_distributed import sample_value

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")
OPERATOR = ("operator", "ops-1")
DEFECT = str(Path(__file__).parent / "defect")
SERVICES = ("intake", "matching", "evaluation", "archive", "partners", "gateway")


class DemandStream:
    """Submits demands at a steady rate from its own thread. Each submission has an
    Idempotency-Key and is retried, with the same key, until the platform answers with the
    demand: so a submission lost to a fault is a retry, never a second demand."""

    def __init__(self, api: Api, per_second: float):
        self.api = Api(api.base, api.env)  # its own HTTP session: sessions are not thread-safe
        self.interval = 1 / per_second
        self.demands: dict[str, str] = {}  # Idempotency-Key -> demand id
        self.retries = 0
        self.failure: AssertionError | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "DemandStream":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(120)
        assert not self._thread.is_alive(), "the stream did not finish its last submission"
        if self.failure is not None:
            raise self.failure

    def submit(self, key: str, **overrides) -> str:
        payload = factories.demand(**overrides)  # a retry repeats the request exactly
        while True:
            try:
                response = self.api.call("POST", "/api/v1/demands", as_=SPECIALIST, json=payload,
                                         headers={"Idempotency-Key": key})
                if response.status_code in (200, 201):
                    self.demands[key] = response.json()["id"]
                    return self.demands[key]
                assert response.status_code >= 500, response.text  # never a 4xx for a retry
            except requests.RequestException:
                pass
            self.retries += 1
            time.sleep(0.5)

    def _run(self) -> None:
        try:
            for number in itertools.count():
                if self._stop.is_set():
                    return
                self.submit(f"stream-{number}")
                self._stop.wait(self.interval)
        except AssertionError as failure:  # a refused retry: raised again by stop()
            self.failure = failure


STARTED = time.monotonic()


def say(what: str) -> None:
    """Progress on the test's output (pytest -s shows it), so a slow phase is visible in CI."""
    print(f"[{time.monotonic() - STARTED:6.1f} s] {what}", flush=True)


class Supervisor:
    """Restarts a service process that exits on its own, as Kubernetes does with a crashed
    container (restartPolicy Always). A broker outage longer than nameko's publish retries
    (about 12 s) ends a process that is answering an RPC at that moment: by design of nameko,
    a container that cannot reply stops rather than guess."""

    def __init__(self, platform: Distributed):
        self.platform = platform
        self.restarted: Counter[str] = Counter()
        self.lock = threading.Lock()  # held while a fault stops and starts a process itself
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "Supervisor":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            with self.lock:
                for name, process in self.platform.processes.items():
                    if process.popen.poll() is not None:
                        self.restarted[name] += 1
                        process.start()


class Faults:
    """Injects each fault and keeps count, for the summary."""

    def __init__(self, platform: Distributed, supervisor: Supervisor, amqp_uri: str):
        self.platform = platform
        self.supervisor = supervisor
        self.injected: Counter[str] = Counter()
        self._params = pika.URLParameters(amqp_uri.replace("pyamqp://", "amqp://"))

    def channel(self):
        return pika.BlockingConnection(self._params).channel()

    def restart(self, name: str, *, kill: bool = True, env: dict | None = None) -> None:
        say(f"{'killing' if kill else 'stopping'} {name}")
        process = self.platform.processes[name]
        with self.supervisor.lock:
            if kill:
                process.kill()
                self.injected[f"killed {name}"] += 1
            else:
                process.stop()
            if env is not None:
                process.env = env
            process.start()
        self.platform.api.wait_ready(timeout=90)

    def restart_broker(self) -> None:
        say("restarting the broker")
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True, timeout=120)
        try:
            time.sleep(2)
        finally:
            subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True, timeout=120)
        subprocess.run(["rabbitmqctl", "await_startup"], check=True, capture_output=True, timeout=120)
        self.injected["broker restarted"] += 1
        self.platform.api.wait_ready(timeout=120)

    def drop_queue(self, consumer: str, upstream: str) -> None:
        """Freeze the consumer so its queue fills, drop what waits there, and let it go on."""
        queue = f"{consumer}.follows.{upstream}"
        say(f"dropping the messages of {queue}")
        process = self.platform.processes[consumer]
        channel = self.channel()
        process.signal(signal.SIGSTOP)
        try:
            wait_for(lambda: channel.queue_declare(queue, passive=True).method.message_count >= 5,
                     timeout=30, interval=0.2, message=f"messages to wait in {queue}")
            self.injected[f"messages dropped from {queue}"] += channel.queue_purge(queue).method.message_count
        finally:
            process.signal(signal.SIGCONT)
            channel.connection.close()

    def duplicate(self, tap: str, exchange: str) -> None:
        """Publish again every message the tap queue has seen of ``exchange`` so far."""
        say(f"delivering {exchange}'s messages twice")
        channel = self.channel()
        try:
            # The copies come back to the tap (it is bound to the exchange): take only what
            # was there, then let the tap go.
            seen = channel.queue_declare(tap, passive=True).method.message_count
            for _ in range(seen):
                method, properties, body = channel.basic_get(tap, auto_ack=True)
                channel.basic_publish(exchange, method.routing_key, body, properties)
                self.injected[f"{exchange} messages delivered twice"] += 1
            channel.queue_delete(tap)
        finally:
            channel.connection.close()


def answering(api: Api):
    """``api.call``, or None while the platform is too busy to answer within the client's
    timeout (a slow machine recovering from the faults): a wait polls again."""
    def call(*args, **kwargs):
        try:
            return api.call(*args, **kwargs)
        except requests.Timeout:
            return None
    return call


def partner_feed(api: Api, institution: str) -> list[dict]:
    items, after = [], None
    while True:
        page = api.call("GET", "/api/v1/partner/events", as_=("institution", institution),
                        params={"limit": 500, **({"after": after} if after else {})}).json()
        items += page["items"]
        if not page["more"]:
            return items
        after = page["next_after"]


def every_demand(api: Api) -> list[dict]:
    items, after = [], None
    while True:
        page = api.call("GET", "/api/v1/demands", as_=SUPERVISOR,
                        params={"per_page": 100, **({"after": after} if after else {})}).json()
        items += page["items"]
        if page["next_after"] is None:
            return items
        after = page["next_after"]


def event_names(dossier: dict) -> Counter:
    return Counter(entry["name"] for entry in dossier["events"])


def test_faults_lose_and_double_nothing(tmp_path, rabbit_config, pg_schema_prefix, capsys):
    platform = Distributed(tmp_path, rabbit_config["AMQP_URI"], PG["dbname"], pg_schema_prefix,
                           settings={"ONESTOP_MAX_ATTEMPTS": "3", "ONESTOP_CATCH_UP_INTERVAL": "1"})
    platform.start()
    supervisor = Supervisor(platform).start()
    faults = Faults(platform, supervisor, rabbit_config["AMQP_URI"])
    api = platform.api
    answered = answering(api)
    stream = None
    try:
        api.open_station()
        # Qualified for the poison sample too: once the defect is fixed, it is matched as any.
        qualified = [{"type": "CMA", "number": "CMA-2021-0001", "scope": ["LED lamp", "poison sample"],
                      "valid_from": "2021-01-01", "valid_until": "2099-12-31"}]
        institutions = [api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution(
                            capacity=500, qualifications=qualified)).json()["id"]
                        for _ in range(3)]
        tap = faults.channel()
        tap.queue_declare("faults.tap", durable=True)
        tap.queue_bind("faults.tap", "intake.events", routing_key="#")
        tap.connection.close()

        # A fault-free demand first: where every other demand must end up.
        by_hand = DemandStream(api, per_second=1)  # submissions from this thread
        reference = by_hand.submit("reference")
        api.wait_dossier(reference, "assigned", SUPERVISOR, timeout=60)

        stream = DemandStream(api, per_second=4).start()
        for name in SERVICES:
            time.sleep(2)
            faults.restart(name)
        time.sleep(2)
        faults.restart_broker()
        time.sleep(2)
        faults.drop_queue("archive", "matching")
        faults.drop_queue("evaluation", "intake")
        faults.duplicate("faults.tap", "intake.events")

        # A defect deployed in matching: some events become poison. They are set aside after
        # their tries, counted, and the stream behind them moves on.
        defective = {**platform.processes["matching"].env, "PYTHONPATH": DEFECT}
        healthy = platform.processes["matching"].env
        faults.restart("matching", kill=False, env=defective)
        poison = [by_hand.submit(f"poison-{n}", items=["poison sample"]) for n in range(2)]

        def set_aside():
            response = answered("GET", "/api/v1/dead-letters", as_=OPERATOR)
            listed = response.json()["items"] if response is not None else []
            return listed if len(listed) == len(poison) else None
        say("waiting for the poison to be set aside")
        letters = wait_for(set_aside, timeout=60, message="the poison to be dead-lettered")
        assert {(l["service"], l["event"], l["replayed"]) for l in letters} == {
            ("matching", "DemandAccepted", False)}
        assert sample_value(platform.metrics("matching"), "onestop_dead_letters_total",
                            {"service": "matching", "upstream": "intake"}) == len(poison)
        faults.injected["poison events"] += len(poison)
        after_poison = by_hand.submit("after-poison")
        api.wait_dossier(after_poison, "assigned", SUPERVISOR, timeout=60)  # not blocked

        faults.restart("matching", kill=False, env=healthy)  # the fix
        say("replaying the dead letters")
        replayed = onestop(platform.env, "deadletters", "replay")
        assert replayed.returncode == 0, replayed.stdout + replayed.stderr
        assert f"replayed {len(poison)} of {len(poison)}" in replayed.stdout
        stream.stop()

        say(f"stream stopped after {len(stream.demands)} demands; waiting for them to converge")
        # Where a fault-free run puts every demand.
        expected = event_names(api.wait_dossier(reference, "assigned", SUPERVISOR))
        demands = {**stream.demands, **by_hand.demands}
        outcome = {}

        def converged():
            for key, demand_id in demands.items():
                response = answered("GET", f"/api/v1/archive/demands/{demand_id}", as_=SUPERVISOR)
                outcome[key] = response.json() if response is not None and response.ok else None
            return all(d is not None and d["status"] == "assigned" and event_names(d) == expected
                       for d in outcome.values())
        try:
            wait_for(converged, timeout=120, interval=2, message="every demand to converge")
        except AssertionError:
            pass  # counted below, and the summary says which
        # The partner feed follows intake on its own: it may still be catching up when the
        # dossiers are complete. Late is not lost: wait for it as for the dossiers, and say
        # how long it took.
        partner_events = Counter()

        def partners_converged():
            partner_events.clear()
            for institution in institutions:
                try:
                    items = partner_feed(api, institution)
                except requests.Timeout:
                    return False
                assert len({e["event_id"] for e in items}) == len(items)
                partner_events.update(e["data"]["demand_id"] for e in items
                                      if e["event"] == "assignment.started")
            return all(partner_events[d] >= 1 for d in demands.values())
        partners_waited = time.monotonic()
        try:
            wait_for(partners_converged, timeout=120, interval=2,
                     message="every assignment in its institution's partner feed")
        except AssertionError:
            pass  # counted below
        partners_waited = time.monotonic() - partners_waited
        lost = [key for key, d in outcome.items()
                if d is None or d["status"] != "assigned" or expected - event_names(d)]
        doubled = [key for key, d in outcome.items() if d is not None and (
            event_names(d) - expected or len({(e["service"], e["notification_id"])
                                              for e in d["events"]}) < len(d["events"]))]
        submitted_twice = len(every_demand(api)) - len(demands)
        partner_doubled = [d for d, n in partner_events.items() if n > 1]
        partner_lost = [d for d in demands.values() if partner_events[d] == 0]
        intact = [api.call("GET", f"/api/v1/archive/demands/{d}/verify",
                           as_=SUPERVISOR).json()["intact"] for d in demands.values()]

        summary = ["fault suite summary",
                   f"  demands submitted: {len(demands)} ({stream.retries + by_hand.retries} "
                   "submissions retried)",
                   *(f"  fault: {fault}: {count}" for fault, count in sorted(faults.injected.items())),
                   *(f"  {name} exited on its own and was restarted: {count}"
                     for name, count in sorted(supervisor.restarted.items())),
                   f"  dead-lettered: {len(letters)}, replayed: {len(poison)}",
                   f"  partner feeds complete {partners_waited:.1f} s after the dossiers",
                   f"  lost: {len(lost) + len(partner_lost)}",
                   f"  duplicated: {len(doubled) + max(submitted_twice, 0) + len(partner_doubled)}"]
        with capsys.disabled():  # printed in CI's log whether the test passes or not
            print("\n" + "\n".join(summary), flush=True)
        assert lost == [] and partner_lost == [], (lost, partner_lost)
        assert doubled == [] and submitted_twice == 0 and partner_doubled == []
        assert all(intact)
        assert {l["replayed"] for l in api.call("GET", "/api/v1/dead-letters",
                                                as_=OPERATOR).json()["items"]} == {True}
    finally:
        if stream is not None:
            stream._stop.set()
        supervisor.stop()
        platform.stop()
