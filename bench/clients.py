"""What drives the platform in a benchmark: HTTP clients for a role, and the institution's
subscriber on the partner exchange."""
from __future__ import annotations

import json
import queue
import threading
import time

import pika
import requests

from bench.platform import SPECIALIST
from tests import factories


class Clients:
    """HTTP clients of one role: one session per thread (a session is not shared safely)."""

    def __init__(self, platform, role=SPECIALIST):
        self.base = platform.api.base
        self.headers = {"Authorization": f"Bearer {platform.api.token(*role)}"}
        self._local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
            self._local.session.headers.update(self.headers)
        return self._local.session

    def submit(self) -> str:
        response = self.session().post(f"{self.base}/api/v1/demands", json=factories.demand(), timeout=10)
        if response.status_code != 201:
            raise RuntimeError(f"submit: {response.status_code} {response.text[:200]}")
        return response.json()["id"]

    def get(self, path: str, **params) -> requests.Response:
        return self.session().get(f"{self.base}{path}", params=params, timeout=10)


def open_loop(schedule: list[float], call, workers: int, max_errors: int = 50
              ) -> list[tuple[float, float, object]]:
    """Run ``call()`` at each intended time (monotonic) from ``workers`` threads; returns
    (intended, finished, result or exception) for each. A worker late for its slot sends at
    once, and the latency counted from the intended time includes the wait. After
    ``max_errors`` failures the rest of the schedule is dropped: the platform is down."""
    slots: queue.Queue = queue.Queue()
    for intended in schedule:
        slots.put(intended)
    results, lock, errors = [], threading.Lock(), [0]

    def work():
        while errors[0] < max_errors:
            try:
                intended = slots.get_nowait()
            except queue.Empty:
                return
            delay = intended - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                outcome = call()
            except Exception as error:  # counted and reported, not fatal to the run
                outcome = error
            with lock:
                results.append((intended, time.monotonic(), outcome))
                errors[0] += isinstance(outcome, Exception)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class PartnerSubscriber:
    """An institution's system as examples/partner-subscriber is: plain AMQP (pika) on the
    partner exchange. It binds to every institution's ``assignment.started`` (guest may, an
    institution's own user could bind only its keys) and notes when each demand's arrived."""

    EXCHANGE = "onestop.partners"
    QUEUE = "bench.partner-subscriber"

    def __init__(self, amqp_uri: str):
        self.amqp_uri = amqp_uri
        self.assigned: dict[str, float] = {}
        self._stopped = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._consume, daemon=True)

    def __enter__(self) -> "PartnerSubscriber":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the partner subscriber did not connect")
        return self

    def __exit__(self, *exc) -> None:
        self._stopped.set()
        self._thread.join(10)

    def _consume(self) -> None:
        # A durable queue, so a broker restart (other work on a shared machine restarts it)
        # loses nothing: the subscriber reconnects and carries on, as a real one would.
        while not self._stopped.is_set():
            try:
                self._consume_until_stopped()
            except pika.exceptions.AMQPConnectionError:
                time.sleep(1)

    def _consume_until_stopped(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
        channel = connection.channel()
        channel.exchange_declare(self.EXCHANGE, "topic", durable=True)
        channel.queue_declare(self.QUEUE, durable=True)
        channel.queue_bind(self.QUEUE, self.EXCHANGE, "inst.*.assignment.started")

        def on_message(channel, method, properties, body):
            seen = time.monotonic()
            self.assigned.setdefault(json.loads(body)["data"]["demand_id"], seen)

        channel.basic_consume(self.QUEUE, on_message, auto_ack=True)
        self._ready.set()
        while not self._stopped.is_set():
            connection.process_data_events(time_limit=0.1)
        connection.close()
