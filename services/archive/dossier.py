"""A demand's dossier: its whole timeline across services, the summary read from it, its hash
chain and its seal.

The timeline is kept sorted by (occurred_at, service, notification id) and everything else is a
pure function of it, so the same events give the same document whatever order they arrived in:
a rebuild reproduces the live archive exactly.

Integrity: each entry carries ``hash`` = SHA-256 of the previous entry's hash and the entry's
canonical JSON (the first one chains from the demand id), so altering, removing or inserting an
entry breaks the chain from there on. Sealing: once the demand is in a final state and its
feedback is in (or its window lapsed, for a completed service), the timeline up to that event is
sealed; what comes later is an addendum (``"addendum": true``), chained on after it.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

#: The status a demand is in after each of intake's events that moves it.
STATUS_AFTER = {
    "DemandSubmitted": "submitted",
    "DemandAccepted": "accepted",
    "DemandReclassified": "accepted",
    "DemandAnswered": "answered",
    "DemandRejected": "rejected",
    "InformationRequested": "awaiting_information",
    "InformationSupplied": "submitted",
    "DemandAssigned": "assigned",
    "DemandMatchingFailed": "matching_failed",
    "DemandCompleted": "completed",
    "DemandWithdrawn": "withdrawn",
    "DemandCancelled": "cancelled",
}
FINAL = frozenset({"completed", "answered", "rejected", "withdrawn", "cancelled"})
#: After completion the dossier waits for the feedback, or for its window to lapse.
FEEDBACK_SETTLED = frozenset({"FeedbackGiven", "RevisitTaskRaised"})
#: What an entry's hash covers (everything but the hash).
ENTRY_FIELDS = ("service", "notification_id", "name", "schema_version", "occurred_at",
                "originator_id", "originator_version", "data")
DEFAULT_RETENTION_YEARS = 10


def entry_of(message) -> dict:
    return {
        "service": message.service,
        "notification_id": message.id,
        "name": message.event,
        "schema_version": message.schema_version,
        "occurred_at": message.occurred_at,
        "originator_id": message.originator_id,
        "originator_version": message.originator_version,
        "data": message.data,
    }


def order(entry: dict) -> tuple:
    return (entry["occurred_at"], entry["service"], entry["notification_id"])


def canonical(entry: dict) -> str:
    return json.dumps({key: entry[key] for key in ENTRY_FIELDS}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False, default=str)


def genesis(demand_id: str) -> str:
    return hashlib.sha256(f"onestop-dossier:{demand_id}".encode()).hexdigest()


def chained(previous: str, entry: dict) -> str:
    return hashlib.sha256((previous + canonical(entry)).encode()).hexdigest()


def seals(status: str | None, settled: bool) -> bool:
    """Whether a timeline whose latest intake status is ``status`` (and whose feedback is in,
    or lapsed, when ``settled``) is sealed from here on."""
    return status in FINAL and (status != "completed" or settled)


def timeline_step(status: str | None, settled: bool, entry: dict) -> tuple[str | None, bool]:
    """The timeline's status and feedback after one more entry, in timeline order."""
    if entry["service"] == "intake" and entry["name"] in STATUS_AFTER:
        status = STATUS_AFTER[entry["name"]]
    return status, settled or entry["name"] in FEEDBACK_SETTLED


def seal_point(events: list[dict]) -> int | None:
    """The index of the event that sealed the (sorted) timeline, or None while it is open."""
    status, settled = None, False
    for index, entry in enumerate(events):
        status, settled = timeline_step(status, settled, entry)
        if seals(status, settled):
            return index
    return None


def retention_until(sealed_at: str, years: int) -> str:
    day = datetime.fromisoformat(sealed_at).date()
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February
        return date(day.year + years, 2, 28).isoformat()


def seal_of(entry: dict, event_count: int, years: int) -> dict:
    return {"sealed_at": entry["occurred_at"], "sealed_by_event": entry["name"],
            "retention_until": retention_until(entry["occurred_at"], years),
            "head": entry["hash"], "event_count": event_count}


def summarise(summary: dict, entry: dict) -> None:
    """Fold one of intake's entries into the summary (in intake's log order)."""
    data, name = entry["data"], entry["name"]
    if name in STATUS_AFTER:
        summary["status"] = STATUS_AFTER[name]
    if name == "DemandSubmitted":
        summary.update(enterprise=data["enterprise"], park=data["park"],
                       category=data["category"], title=data["title"],
                       station_id=data["station_id"], submitted_at=data["at"],
                       submitted_utc=entry["occurred_at"])
    elif name in ("DemandAccepted", "DemandReclassified"):
        summary.update(category=data["category"], assignment=None, unmatched_reasons=[])
    elif name == "DemandAssigned":
        summary["assignment"] = {"assignment_id": data["assignment_id"],
                                 "institution_id": data["institution_id"]}
    elif name == "DemandMatchingFailed":
        summary["unmatched_reasons"] = data["reasons"]
    elif name == "DeadlineBreached":
        summary["breaches"] = [*summary["breaches"], data["stage"]]
    summary["breached"] = bool(summary["breaches"])


def dossier(demand_id: str, events: list[dict],
            retention_years: int = DEFAULT_RETENTION_YEARS) -> dict:
    """The dossier of these events: the reference every stored dossier must equal."""
    events = sorted(({k: v for k, v in e.items() if k not in ENTRY_EXTRAS} for e in events),
                    key=order)
    previous = genesis(demand_id)
    for entry in events:
        entry["hash"] = previous = chained(previous, entry)
    sealed = seal_point(events)
    for entry in events[sealed + 1:] if sealed is not None else ():
        entry["addendum"] = True
    summary = {
        "_id": demand_id,
        "demand_id": demand_id,
        "status": None,
        "enterprise": None,
        "park": None,
        "category": None,
        "title": None,
        "submitted_at": None,
        "submitted_utc": None,
        "station_id": None,
        "assignment": None,
        "unmatched_reasons": [],
        "breaches": [],
        "breached": False,
        "event_count": len(events),
        "chain_head": previous if events else None,
        "seal": None if sealed is None else seal_of(events[sealed], sealed + 1, retention_years),
        "events": events,
    }
    # The summary follows intake's own log order (one log, one order), not the clocks of the
    # processes that stamped occurred_at.
    for entry in sorted((e for e in events if e["service"] == "intake"),
                        key=lambda e: e["notification_id"]):
        summarise(summary, entry)
    return summary


# Storage: a dossier is kept as its summary (one document, without the timeline) and its entries
# (one document each), so a new event appends an entry and updates the summary in place instead
# of rewriting the whole case. ``fold`` holds what appending needs to know of the timeline.

#: What the stored entries carry beyond the entry itself.
ENTRY_EXTRAS = ("_id", "demand_id", "hash", "addendum")


def entry_id(demand_id: str, entry: dict) -> str:
    return f"{demand_id}:{entry['service']}:{entry['notification_id']}"


def stored(document: dict) -> tuple[dict, list[dict]]:
    """A dossier as its summary document and its entry documents."""
    events = document["events"]
    status, settled = None, False
    for entry in events:
        status, settled = timeline_step(status, settled, entry)
    intake = [e["notification_id"] for e in events if e["service"] == "intake"]
    summary = {k: v for k, v in document.items() if k != "events"}
    summary["fold"] = {"last": list(order(events[-1])) if events else None,
                       "intake_through": max(intake, default=0), "status": status,
                       "settled": settled}
    demand_id = document["demand_id"]
    return summary, [{"_id": entry_id(demand_id, e), "demand_id": demand_id, **e} for e in events]


def appended(summary: dict, entry: dict, retention_years: int) -> tuple[dict, dict] | None:
    """The stored summary and entry once ``entry`` is appended, or None when it does not come
    after the whole timeline (nor, for intake's, after intake's entries): a late arrival,
    which changes the hashes after it and is folded again from all entries instead."""
    fold = summary.get("fold")
    if fold is None or (fold["last"] is not None and order(entry) <= tuple(fold["last"])):
        return None
    if entry["service"] == "intake" and entry["notification_id"] <= fold["intake_through"]:
        return None
    demand_id = summary["demand_id"]
    entry = {k: v for k, v in entry.items() if k not in ENTRY_EXTRAS}
    entry["hash"] = chained(summary["chain_head"] or genesis(demand_id), entry)
    status, settled = timeline_step(fold["status"], fold["settled"], entry)
    count = summary["event_count"] + 1
    after = {**summary, "event_count": count, "chain_head": entry["hash"],
             "fold": {"last": list(order(entry)), "status": status, "settled": settled,
                      "intake_through": entry["notification_id"] if entry["service"] == "intake"
                      else fold["intake_through"]}}
    if summary["seal"] is not None:
        entry["addendum"] = True
    elif seals(status, settled):
        after["seal"] = seal_of(entry, count, retention_years)
    if entry["service"] == "intake":
        summarise(after, entry)
    return after, {"_id": entry_id(demand_id, entry), "demand_id": demand_id, **entry}


def public(summary: dict, entries: list[dict] | None = None) -> dict:
    """What a reader sees of a stored dossier: the summary, with its timeline when given."""
    shown = {k: v for k, v in summary.items() if k not in ("_id", "fold")}
    if entries is not None:
        shown["events"] = [{k: v for k, v in e.items() if k not in ("_id", "demand_id")}
                           for e in entries]
    return shown


def verify_chain(document: dict) -> dict | None:
    """The first entry whose stored hash is not the one its content and predecessor give."""
    previous = genesis(document["demand_id"])
    for index, entry in enumerate(document["events"]):
        try:
            expected = chained(previous, entry)
        except (KeyError, TypeError):
            return {"index": index, **_where(entry), "problem": "the entry lacks a field"}
        if entry.get("hash") != expected:
            return {"index": index, **_where(entry),
                    "problem": "its content or the entry before it was altered"}
        previous = expected
    return None


def _where(entry: dict) -> dict:
    return {key: entry.get(key) for key in ("service", "notification_id", "name")}
