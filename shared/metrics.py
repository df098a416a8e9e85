"""Prometheus metrics of the event path, shared by every service (names per Prometheus conventions)."""
import weakref

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily

RELAY_PUBLISHED = Counter(
    "onestop_relay_published_total", "Notifications the outbox relay published.", ["service"])
RELAY_LAG = Gauge(
    "onestop_relay_lag_notifications", "Notifications recorded but not yet published.", ["service"])
INBOX_MESSAGES = Counter(
    "onestop_inbox_messages_total",
    "Upstream notifications by what the follower did with them "
    "(applied, duplicate, gap, failed, dead_lettered).",
    ["service", "upstream", "outcome"])
DEAD_LETTERS = Counter(
    "onestop_dead_letters_total", "Upstream notifications set aside after failing every try.",
    ["service", "upstream"])
HTTP_REQUESTS = Counter(
    "onestop_http_requests_total", "Gateway requests by route and status.",
    ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "onestop_http_request_duration_seconds", "Gateway request latency.", ["method", "route"])
BUSINESS_EVENTS = Counter(
    "onestop_events_total", "Domain events recorded, by service and event name (demands "
    "submitted, offers declined or expired, matching failures, feedback, complaints...).",
    ["service", "event"])
INBOX_LAG = Gauge(
    "onestop_inbox_lag_notifications",
    "Upstream notifications known to exist (received or pulled) but not yet applied.",
    ["service", "upstream"])
ENTRYPOINT_CALLS = Counter(
    "onestop_entrypoint_calls_total", "Entrypoint calls (RPC, upstream message, timer) by outcome "
    "(ok, client_error, error).", ["service", "entrypoint", "outcome"])
ENTRYPOINT_LATENCY = Histogram(
    "onestop_entrypoint_duration_seconds", "Entrypoint call duration.", ["service", "entrypoint"])
FEEDBACK_SCORES = Histogram(
    "onestop_feedback_overall_score", "Overall scores of the feedback given (1 to 5).",
    buckets=(1, 2, 3, 4, 5))
DEADLINE_EVENTS = Counter(
    "onestop_deadline_events_total", "Time-limit warnings and breaches recorded, by stage.",
    ["stage", "kind"])



class ApplicationGauges:
    """Gauges the applications compute from their read models when Prometheus scrapes (demands
    by category and status, say). An application offers them through ``gauges()``:
    (name, help, label names, {label values: value})."""

    def __init__(self):
        self.applications = weakref.WeakSet()

    def watch(self, application) -> None:
        if hasattr(application, "gauges"):
            self.applications.add(application)

    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for application in list(self.applications):
            for name, documentation, labels, values in application.gauges():
                family = families.get(name) or families.setdefault(
                    name, GaugeMetricFamily(name, documentation, labels=labels))
                for key, value in sorted(values.items()):
                    family.add_metric(list(key), value)
        yield from families.values()


APPLICATION_GAUGES = ApplicationGauges()
REGISTRY.register(APPLICATION_GAUGES)
