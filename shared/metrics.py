"""Prometheus metrics of the event path, shared by every service (names per Prometheus conventions)."""
from prometheus_client import Counter, Gauge, Histogram

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
    "onestop_events_total", "Domain events recorded, by service and event name.",
    ["service", "event"])
DEADLINE_EVENTS = Counter(
    "onestop_deadline_events_total", "Time-limit warnings and breaches recorded, by stage.",
    ["stage", "kind"])
