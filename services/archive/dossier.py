"""A demand's dossier: its whole timeline across services, and the summary read from it.

The timeline is kept sorted by (occurred_at, service, notification id) and the summary is a pure
function of it, so the same events give the same document whatever order they arrived in:
a rebuild reproduces the live archive exactly.
"""
from __future__ import annotations


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


def dossier(demand_id: str, events: list[dict]) -> dict:
    events = sorted(events, key=order)
    summary = {
        "_id": demand_id,
        "demand_id": demand_id,
        "status": None,
        "enterprise": None,
        "park": None,
        "category": None,
        "title": None,
        "submitted_at": None,
        "station_id": None,
        "assignment": None,
        "unmatched_reasons": [],
        "breaches": [],
        "event_count": len(events),
        "events": events,
    }
    # The summary follows intake's own log order (one log, one order), not the clocks of the
    # processes that stamped occurred_at.
    for entry in sorted((e for e in events if e["service"] == "intake"),
                        key=lambda e: e["notification_id"]):
        data = entry["data"]
        name = entry["name"]
        if name in STATUS_AFTER:
            summary["status"] = STATUS_AFTER[name]
        if name == "DemandSubmitted":
            summary.update(enterprise=data["enterprise"], park=data["park"],
                           category=data["category"], title=data["title"],
                           station_id=data["station_id"], submitted_at=data["at"])
        elif name in ("DemandAccepted", "DemandReclassified"):
            summary.update(category=data["category"], assignment=None, unmatched_reasons=[])
        elif name == "DemandAssigned":
            summary["assignment"] = {"assignment_id": data["assignment_id"],
                                     "institution_id": data["institution_id"]}
        elif name == "DemandMatchingFailed":
            summary["unmatched_reasons"] = data["reasons"]
        elif name == "DeadlineBreached":
            summary["breaches"].append(data["stage"])
    return summary
