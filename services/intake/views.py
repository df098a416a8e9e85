"""Intake's answers as plain data (what crosses RPC to the gateway)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services.intake.demand import Demand
from services.intake.station import Station


def demand_view(record: dict, now: datetime, overdue: bool, zone: ZoneInfo) -> dict:
    """A demand as shown at ``now``: its record with the state of each stage's clock, and its
    station's time zone (the gateway shows its instants there)."""
    return {**record, "overdue": overdue, "time_zone": zone.key,
            "deadlines": {stage: _deadline(clock, now) for stage, clock in record.get("deadlines", {}).items()}}


def demand_record(demand: Demand) -> dict:
    """What a demand's view shows that does not depend on the moment it is read (its stages'
    clocks as recorded): kept as a read-model row, so a read loads no aggregate."""
    return {
        **demand_listing(demand),
        "description": demand.description,
        "items": demand.items,
        "sub_items": demand.sub_items,
        "details": demand.details,
        "catalogue_version": demand.catalogue_version,
        "urgency": demand.urgency,
        "expected_by": demand.expected_by.isoformat() if demand.expected_by else None,
        "consultation": demand.consultation,
        "attachments": demand.attachments,
        "excluded_institutions": [str(i) for i in demand.excluded_institutions],
        "submitted_by": demand.submitted_by,
        "unmatched_reasons": demand.unmatched_reasons,
        "outcome": demand.outcome,
        "information": demand.information,
        "follow_ups": [{**f, "next_step_on": f["next_step_on"].isoformat() if f["next_step_on"] else None}
                       for f in demand.follow_ups],
    }


def evidence_documents(outcome: dict | None) -> list[dict]:
    """The files a completion's evidence names ({name, sha256}), for a demand's outcome."""
    return ((outcome or {}).get("evidence") or {}).get("documents") or []


def demand_listing(demand: Demand) -> dict:
    """What a list shows of a demand, but for ``overdue``, which depends on the moment asked."""
    assignment = None
    if demand.assignment:
        assignment = {key: str(value) for key, value in demand.assignment.items()}
    return {
        "id": str(demand.id),
        "status": demand.status,
        "station_id": str(demand.station_id),
        "park": demand.park,
        "enterprise": demand.enterprise,
        "category": demand.category,
        "title": demand.title,
        "channel": demand.channel,
        "submitted_at": demand.submitted_at,
        "updated_at": demand.updated_at,
        "assignment": assignment,
        # A queue shows each demand's clocks: they are in its row, so a page costs one read.
        "deadlines": demand.deadlines,
    }


def _deadline(clock: dict, now: datetime) -> dict:
    running = clock["closed_at"] is None and clock["paused_remaining"] is None
    state = ("closed" if clock["closed_at"] else "paused" if clock["paused_remaining"] is not None
             else "breached" if clock["breached"] or now >= datetime.fromisoformat(clock["due_at"])
             else "running")
    return {
        "state": state,
        "due_at": clock["due_at"] if running or clock["closed_at"] else None,
        "warned": clock["warned"],
        "breached": clock["breached"],
        "closed_at": clock["closed_at"],
        "paused_remaining_seconds": clock["paused_remaining"],
        "limit_seconds": clock["limit"],
    }


def _station(station: Station) -> dict:
    """What both the list of stations and a station's view show of it."""
    return {
        "id": str(station.id),
        "name": station.name,
        "park": station.park,
        "address": station.address,
        "operating_institution": station.operating_institution,
        "parent_platform": station.parent_platform,
        "registered_at": station.created_on.isoformat(),
    }


def station_listing(station: Station) -> dict:
    """A station as the list of stations shows it."""
    return {**_station(station), "time_zone": station.calendar["timezone"],
            "specialists": len(station.specialists), "conformity": _conformity(station)}


def _conformity(station: Station) -> dict | None:
    """As last noted (None before the station recorded anything the checklist checks)."""
    noted = getattr(station, "conformity", None)
    return None if noted is None else {key: noted[key] for key in ("status", "failing", "at")}


def station_view(station: Station) -> dict:
    return {
        **_station(station),
        "opening_hours": station.opening_hours,
        "calendar": station.calendar,
        "auto_accept": station.auto_accept,
        "time_limits": getattr(station, "time_limits", {}),
        "hall": getattr(station, "hall", None) or {"categories": [], "window_hours": None},
        "conformity": _conformity(station),
        "specialists": sorted(station.specialists.values(), key=lambda s: s["staff_id"]),
    }
