"""nameko adapters of the event path: the follow entrypoint and the providers that run it.

- ``follow(upstream)`` consumes every message of ``<upstream>.events`` (each a run of that log's
  notifications, shared/messages.py) from one durable queue per (service, upstream), so the
  follower sees that upstream's log in order.
- ``Following`` gives a service its follower (whatever ``build`` returns), connects it to the
  upstream logs over RPC, and runs the periodic catch-up.
- ``EventSourced`` is a ``Following`` for service applications, and also runs their outbox relay.
"""
from __future__ import annotations

import logging
import threading
import time
import weakref

from amqp.exceptions import ConnectionError as AMQPConnectionError
from kombu import Exchange, Queue
from nameko.exceptions import ContainerBeingKilled
from nameko.extensions import DependencyProvider, SharedExtension
from nameko.messaging import Consumer
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.timer import Timer
from prometheus_client import start_http_server

from shared import cooperation, metrics
from shared.errors import CLIENT_ERRORS
from shared.logs import keep_expected_errors_brief
from shared.config import refuse_placeholders, section
from shared.eventstore import ServiceApplication, open_application, schema_of
from shared.inbox import FollowsUpstreams
from shared.leadership import Leadership
from shared.messages import ROUTING_KEY, MalformedMessage, Message, from_amqp, to_amqp
from shared.outbox import Relay
from shared.publishing import ConfirmedPublisher, Outgoing
from shared.rpc import Rpc, rpc

log = logging.getLogger(__name__)
keep_expected_errors_brief()

#: How long after its start a follower takes an unanswered upstream for one still starting.
STARTING_SECONDS = 60


def events_exchange(service: str) -> Exchange:
    return Exchange(f"{service}.events", type="topic", durable=True)


class Follow(Consumer):
    """Entrypoint: the decorated method gets the upstream's messages in log order, a list at a
    time. One worker per upstream at most: the messages that arrive while it works wait and go
    to the next worker together, so a backlog of notifications holds one of the container's
    workers, never the ones that answer RPC (submits and reads)."""

    def __init__(self, upstream: str, **kwargs):
        self.upstream = upstream
        super().__init__(queue=None, requeue_on_error=False, **kwargs)

    def setup(self):
        self.queue = Queue(
            f"{self.container.service_name}.follows.{self.upstream}",
            exchange=events_exchange(self.upstream), routing_key="#", durable=True)
        self._waiting: list[tuple[list[Message], object]] = []
        self._working = False
        super().setup()

    def handle_message(self, body, message):
        try:
            parsed = from_amqp(body, message.headers)
            if parsed[0].service != self.upstream:
                raise MalformedMessage(f"claims to come from {parsed[0].service!r}")
        except MalformedMessage as error:
            # Not part of any log: nothing to order or replay. Counted and dropped.
            log.error("dropping malformed message from %s: %s", self.upstream, error)
            metrics.INBOX_MESSAGES.labels(self.container.service_name, self.upstream, "malformed").inc()
            self.queue_consumer.ack_message(message)
            return
        self._waiting.append((parsed, message))
        if not self._working:
            self._work()

    def _work(self):
        # Green threads switch only on I/O, so taking the waiting list and marking the work
        # started cannot interleave with handle_message.
        batch, self._waiting = self._waiting, []
        self._working = bool(batch)
        if not batch:
            return
        try:
            self.container.spawn_worker(
                self, ([each for parsed, _ in batch for each in parsed],), {}, context_data={},
                handle_result=lambda ctx, result=None, exc_info=None: self._done(batch, result, exc_info))
        except ContainerBeingKilled:
            self._working = False
            for _, message in batch:
                self.queue_consumer.requeue_message(message)

    def _done(self, batch, result, exc_info):
        # Acked even on failure: the follower retries from the upstream's log, counting tries.
        for _, message in batch:
            try:
                self.queue_consumer.ack_message(message)
            except (OSError, AMQPConnectionError) as error:
                # The broker went away (nameko catches only amqp's error, not the socket's):
                # the message is redelivered on the next connection and dropped as a
                # duplicate. Left to raise, it would end the worker's thread with an error and
                # kill the container.
                log.warning("could not ack a message from %s (%s); it will come again",
                            self.upstream, error)
        self._work()  # what arrived meanwhile
        return result, exc_info


follow = Follow.decorator


class Every(Timer):
    """nameko's timer, its interval read from the configuration (``SECTION.key``) at setup. Of
    a service's replicas, only the one leading the timer's role runs it (shared/leadership.py),
    so a check or a delivery round happens once, not once per replica."""

    def __init__(self, setting: str, default: float, **kwargs):
        self.setting = setting
        super().__init__(interval=default, **kwargs)

    def setup(self):
        name, key = self.setting.split(".")
        self.interval = float(section(self.container.config, name).get(key, self.interval))
        super().setup()

    def handle_timer_tick(self):
        # Looked up at a tick, not at setup: the providers may be set up after the entrypoints.
        leadership = next(provider.leadership for provider in self.container.dependencies
                          if isinstance(provider, EventSourced))
        if leadership.holds(f"timer:{self.method_name}"):
            super().handle_timer_tick()


every = Every.decorator


class RpcUpstreamLog:
    """Pulls ranges of an upstream's log through its ``notifications`` RPC method.

    One standalone proxy per upstream (a proxy serves one call at a time), so an upstream that
    does not answer delays only the pulls from that upstream.
    """

    def __init__(self, config: dict, timeout: float):
        self._config = config
        self._timeout = timeout
        self._proxies: dict[str, tuple[threading.Lock, ClusterRpcProxy]] = {}
        self._services: dict[str, object] = {}

    def __call__(self, upstream: str, after: int, limit: int) -> list[Message]:
        lock, proxy = self._proxies.setdefault(
            upstream, (threading.Lock(), ClusterRpcProxy(self._config, timeout=self._timeout)))
        with lock:
            if upstream not in self._services:
                self._services[upstream] = proxy.start()
            try:
                wire = getattr(self._services[upstream], upstream).notifications(after=after, limit=limit)
            except Exception:
                # A proxy whose connection the broker dropped stays disconnected for good, and
                # one that timed out may get a late reply: the next pull starts a new one.
                self._discard(upstream)
                raise
        return [Message.from_wire(item) for item in wire]

    def _discard(self, upstream: str) -> None:
        self._services.pop(upstream, None)
        _, proxy = self._proxies.pop(upstream)
        try:
            proxy.stop()
        except Exception:  # already broken: nothing left to close cleanly
            log.debug("stopping a broken RPC proxy failed", exc_info=True)

    def stop(self):
        for upstream in list(self._services):
            self._proxies[upstream][1].stop()
        self._services.clear()


class Following(DependencyProvider):
    def build(self, config: dict) -> FollowsUpstreams:
        raise NotImplementedError

    def setup(self):
        config = self.container.config
        refuse_placeholders(config)
        self.follower = self.build(config)
        self._stopped = threading.Event()
        #: Set once the first catch-up after start has run (whether every upstream answered).
        self.first_catch_up_done = threading.Event()
        if not self.follower.upstreams:
            return
        inbox = section(config, "INBOX")
        self._catch_up_interval = float(inbox.get("catch_up_interval", 5))
        self.upstream_log = RpcUpstreamLog(config, timeout=float(inbox.get("rpc_timeout", 5)))
        service = self.container.service_name
        self._wake = threading.Event()
        self.follower.follow_upstreams(
            self.upstream_log,
            pull_limit=int(inbox.get("pull_limit", 500)),
            max_attempts=int(inbox.get("max_attempts", 5)),
            # A gap wakes the catch-up thread: a worker blocked on an RPC pull would hold a
            # prefetch slot, and two services pulling from each other could starve both.
            on_gap=lambda upstream: self._wake.set(),
            on_outcome=lambda upstream, outcome: _count(service, upstream, outcome),
        )
        for upstream in self.follower.upstreams:
            metrics.INBOX_LAG.labels(service, upstream).set_function(
                lambda upstream=upstream: self.follower.lag(upstream))

    def start(self):
        self._started_at, self._caught_up_once = time.monotonic(), False
        if self.follower.upstreams:
            self._catch_up_thread = self.container.spawn_managed_thread(self._catch_up_forever)

    def stop(self):
        self._stopped.set()
        if self.follower.upstreams:
            self._wake.set()
            # It may be waiting on an RPC reply: end it before closing the proxies' connections.
            self._catch_up_thread.kill()
            self.upstream_log.stop()

    def get_dependency(self, worker_ctx):
        return self.follower

    def _catch_up_forever(self):
        # At start too: a follower that was down catches up before new messages arrive.
        while not self._stopped.is_set():
            self._wake.clear()
            try:
                self.follower.catch_up(self.follower.upstreams_to_pull())
                self._caught_up_once = True
            except Exception as error:
                level = catch_up_failure_level(self._caught_up_once,
                                               time.monotonic() - self._started_at)
                log.log(level, "%s could not read every upstream log%s (%s: %s); trying again "
                        "in %s s", self.container.service_name,
                        " yet: its upstreams are starting" if level == logging.INFO else "",
                        type(error).__name__, error, self._catch_up_interval)
            self.first_catch_up_done.set()
            self._wake.wait(self._catch_up_interval)


def catch_up_failure_level(caught_up_once: bool, since_start: float) -> int:
    """Until a follower has read its upstreams once, one that does not answer is most likely
    still starting (every service starts at once): expected, so information, not a warning."""
    return logging.INFO if not caught_up_once and since_start < STARTING_SECONDS else logging.WARNING


def _count(service: str, upstream: str, outcome: str) -> None:
    metrics.INBOX_MESSAGES.labels(service, upstream, outcome).inc()
    if outcome == "dead_lettered":
        metrics.DEAD_LETTERS.labels(service, upstream).inc()


def metrics_port(config: dict) -> int:
    """Where a distributed process serves its Prometheus metrics (``METRICS.port``); 0: the
    embedded mode, whose metrics are on the gateway's /metrics."""
    return int(section(config, "METRICS").get("port") or 0)


class MetricsPort(SharedExtension):
    """Serves the process's metrics on their own port, apart from any API (once a process)."""

    _serving: set[int] = set()

    def setup(self):
        port = metrics_port(self.container.config)
        if port and port not in MetricsPort._serving:
            start_http_server(port)
            MetricsPort._serving.add(port)


class EntrypointMetrics(DependencyProvider):
    """Counts and times every entrypoint call of the service."""

    port = MetricsPort()

    def setup(self):
        self._started = weakref.WeakKeyDictionary()

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        service, name = self.container.service_name, worker_ctx.entrypoint.method_name
        if exc_info is None:
            outcome = "ok"
        else:
            outcome = "client_error" if issubclass(exc_info[0], CLIENT_ERRORS) else "error"
        metrics.ENTRYPOINT_CALLS.labels(service, name, outcome).inc()
        started = self._started.pop(worker_ctx, None)
        if started is not None:
            metrics.ENTRYPOINT_LATENCY.labels(service, name).observe(time.perf_counter() - started)


class RequestsFirst(DependencyProvider):
    """Marks the workers that answer requests (RPC), so that the process's background work (a
    follower's run, a relay's page) gives way to them (shared/cooperation.py). Another
    service's catch-up reading this log is background work too."""

    background = ("notifications",)

    def worker_setup(self, worker_ctx):
        if self._answers(worker_ctx):
            cooperation.answering(began=True)

    def worker_teardown(self, worker_ctx):
        if self._answers(worker_ctx):
            cooperation.answering(began=False)

    def _answers(self, worker_ctx) -> bool:
        return isinstance(worker_ctx.entrypoint, Rpc) and \
            worker_ctx.entrypoint.method_name not in self.background


class EventSourcedService:
    """What every event-sourced service offers over RPC: its log, and a health check that
    touches its store. Subclasses name their ``EventSourced`` provider ``application``."""

    entrypoint_metrics = EntrypointMetrics()
    requests_first = RequestsFirst()

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def notifications(self, after, limit):
        return [message.to_wire() for message in self.application.log(after, limit)]

    @rpc
    def health(self):
        return {"last_notification_id": self.application.last_notification_id()}

    @rpc
    def dead_letters(self, after=None, limit=100, replayed=None):
        return self.application.dead_letters(after, limit, replayed)

    @rpc
    def replay_dead_letters(self, by, upstream=None, notification_id=None):
        return self.application.replay_dead_letters(by, upstream, notification_id)


def relay_settings(config: dict) -> dict:
    """A relay's batch and intervals, from ``RELAY``."""
    settings = section(config, "RELAY")
    return {"batch": int(settings.get("batch", 500)),
            "poll_interval": float(settings.get("poll_interval", 0.5)),
            "record_interval": float(settings.get("record_interval", 1.0))}


class EventSourced(Following):
    """Gives the service its ``ServiceApplication`` and runs its outbox relay."""

    def __init__(self, app_class: type[ServiceApplication], **kwargs):
        self.app_class = app_class
        super().__init__(**kwargs)

    def build(self, config):
        return open_application(self.app_class, config)

    def relayed(self) -> ServiceApplication:
        """The application whose log the relay publishes (the follower itself by default)."""
        return self.follower

    def setup(self):
        super().setup()
        config = self.container.config
        service = self.container.service_name
        exchange = events_exchange(service)
        self.publisher = ConfirmedPublisher(config["AMQP_URI"], exchange, ssl=config.get("AMQP_SSL"))

        def publish(messages: list[Message]) -> None:
            body, headers = to_amqp(messages)
            self.publisher.publish([Outgoing(body, ROUTING_KEY, headers)])

        store = section(config, "EVENT_STORE")
        self.leadership = Leadership(store, schema_of(store, service))
        self.relay = Relay(
            self.relayed(), publish, on_published=metrics.RELAY_PUBLISHED.labels(service).inc,
            leads=self.leadership.holds, **relay_settings(config))
        metrics.RELAY_LAG.labels(service).set_function(self.relay.lag)
        metrics.APPLICATION_GAUGES.watch(self.follower)

    def start(self):
        super().start()
        self._relay_thread = self.container.spawn_managed_thread(self.relay.run)

    def stop(self):
        self.relay.stop()
        self._relay_thread.wait()  # finishes its batch, so the store is not closed under it
        self.publisher.close()
        metrics.RELAY_LAG.remove(self.container.service_name)
        super().stop()
        self.leadership.close()
        self.follower.close()


# What a service follows: one mixin per upstream, so each service lists its upstreams in its
# bases and the entrypoint is written once. ``application`` is the service's follower.
class FollowsIntake:
    @follow("intake")
    def on_intake_event(self, messages):
        self.application.receive_all(messages)


class FollowsMatching:
    @follow("matching")
    def on_matching_event(self, messages):
        self.application.receive_all(messages)


class FollowsEvaluation:
    @follow("evaluation")
    def on_evaluation_event(self, messages):
        self.application.receive_all(messages)


class FollowsArchive:
    @follow("archive")
    def on_archive_event(self, messages):
        self.application.receive_all(messages)
