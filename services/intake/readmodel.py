"""Intake's read model: a row per demand, per station and per specialist, kept in intake's own
store in the transaction that records their events (shared/readmodel.py).

A demand's row holds what lists filter and sort on, its summary as shown in a list, and two
instants that let the monitor and the ``overdue`` filter use an index instead of every demand:
``next_due`` (the earliest due time of a running stage) and ``next_check`` (the earliest moment
the monitor has something to record: a warning or a breach not recorded yet). Its record
(``demand_details``: the whole view but for what depends on the moment it is read) answers a
read of one demand without loading the aggregate.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services.intake.catalogue import ServiceCatalogue
from services.intake.demand import Demand
from services.intake.station import Station
from services.intake.views import demand_listing, demand_record, evidence_documents, station_listing
from shared.readmodel import Statement, instant, upsert

TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}demands (id TEXT PRIMARY KEY, station_id TEXT NOT NULL, "
    "enterprise TEXT NOT NULL, institution_id TEXT, status TEXT NOT NULL, category TEXT NOT NULL, "
    "submitted_at TEXT NOT NULL, updated_at TEXT NOT NULL, submitted_on TEXT NOT NULL, "
    "next_due TEXT, next_check TEXT, summary TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS demands_station ON {s}demands (station_id, submitted_at, id)",
    "CREATE INDEX IF NOT EXISTS demands_station_due ON {s}demands (station_id, next_due)",
    "CREATE INDEX IF NOT EXISTS demands_enterprise ON {s}demands (enterprise, submitted_at, id)",
    "CREATE INDEX IF NOT EXISTS demands_institution ON {s}demands (institution_id, submitted_at, id)",
    "CREATE INDEX IF NOT EXISTS demands_submitted ON {s}demands (submitted_at, id)",
    "CREATE INDEX IF NOT EXISTS demands_updated ON {s}demands (updated_at, id)",
    "CREATE INDEX IF NOT EXISTS demands_status ON {s}demands (status, category)",
    "CREATE INDEX IF NOT EXISTS demands_category ON {s}demands (category, status)",
    "CREATE INDEX IF NOT EXISTS demands_due ON {s}demands (next_due)",
    "CREATE INDEX IF NOT EXISTS demands_check ON {s}demands (next_check)",
    "CREATE TABLE IF NOT EXISTS {s}demand_details (id TEXT PRIMARY KEY, record TEXT NOT NULL)",
    # Which demands reference each attachment: what the sweep of unreferenced files keeps.
    "CREATE TABLE IF NOT EXISTS {s}attachment_uses (sha256 TEXT NOT NULL, demand_id TEXT NOT NULL, "
    "PRIMARY KEY (sha256, demand_id))",
    "CREATE TABLE IF NOT EXISTS {s}staff (staff_id TEXT PRIMARY KEY, station_id TEXT NOT NULL)",
    # The stations, as their list shows them, a page at a time by name; and each one's park and
    # time zone, which never change (the gateway shows a station's instants in its zone).
    "CREATE TABLE IF NOT EXISTS {s}stations (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "park TEXT NOT NULL, time_zone TEXT NOT NULL, listing TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS stations_name ON {s}stations (name, id)",
    # Which operating institution (its credit code) runs each station: the stations its people list.
    "CREATE TABLE IF NOT EXISTS {s}operated_stations (station_id TEXT PRIMARY KEY, credit_code TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS operated_stations_code ON {s}operated_stations (credit_code)",
    # Every version of the service catalogue, whole, with who published it, when and why.
    "CREATE TABLE IF NOT EXISTS {s}catalogue_versions (version INTEGER PRIMARY KEY, record TEXT NOT NULL)",
    # The files a station's requirements reference as evidence: kept by the sweep too.
    "CREATE TABLE IF NOT EXISTS {s}requirement_evidence (sha256 TEXT NOT NULL, station_id TEXT NOT NULL, "
    "PRIMARY KEY (sha256, station_id))",
)


def rows(aggregate, zone_of) -> list[Statement]:
    """``zone_of(station_id)``: the station's time zone, for the day a demand was submitted on."""
    if isinstance(aggregate, Demand):
        return [demand_row(aggregate, zone_of(aggregate.station_id)),
                upsert("demand_details", ("id",), {"id": str(aggregate.id),
                                                   "record": demand_record(aggregate)})] + [
            upsert("attachment_uses", ("sha256", "demand_id"), {"sha256": sha256, "demand_id": str(aggregate.id)})
            for sha256 in dict.fromkeys(referenced_files(aggregate))]
    if isinstance(aggregate, Station):
        listing = station_listing(aggregate)
        return [upsert("stations", ("id",), {"id": listing["id"], "name": listing["name"],
                                             "park": listing["park"], "time_zone": listing["time_zone"],
                                             "listing": listing}),
                upsert("operated_stations", ("station_id",), {
                    "station_id": listing["id"],
                    "credit_code": aggregate.operating_institution["credit_code"]})] + [
            upsert("staff", ("staff_id",), {"staff_id": staff_id, "station_id": str(aggregate.id)})
                for staff_id in aggregate.specialists] + [
            Statement("DELETE FROM {s}staff WHERE staff_id = %s AND station_id = %s",
                      (staff_id, str(aggregate.id)))
            for staff_id in getattr(aggregate, "former_specialists", ())] + [
            upsert("requirement_evidence", ("sha256", "station_id"),
                   {"sha256": sha256, "station_id": str(aggregate.id)})
            for sha256 in dict.fromkeys(document["sha256"] for record in aggregate.recorded_requirements().values()
                                        for document in record["evidence"])]
    if isinstance(aggregate, ServiceCatalogue):
        # Every version, not only the new one: a rebuild writes them all from the last state.
        return [upsert("catalogue_versions", ("version",), {"version": version["version"], "record": version})
                for version in aggregate.versions]
    return []


def referenced_files(demand: Demand) -> list[str]:
    """The hashes of the files a demand references: its attachments and its completion's
    evidence documents."""
    return ([a["sha256"] for a in demand.attachments]
            + [d["sha256"] for d in evidence_documents(demand.outcome)])


def demand_row(demand: Demand, zone: ZoneInfo) -> Statement:
    due, check = [], []
    for stage in demand.open_stages().values():
        due.append(instant(stage["due_at"]))  # overdue while it runs, breach recorded or not
        if not stage["breached"]:
            check.append(due[-1])
            if not stage["warned"]:
                check.append(instant(stage["warn_at"]))
    submitted_on = datetime.fromisoformat(demand.submitted_at).astimezone(zone).date().isoformat()
    return upsert("demands", ("id",), {
        "id": str(demand.id), "station_id": str(demand.station_id),
        "enterprise": demand.enterprise["credit_code"],
        "institution_id": str(demand.assignment["institution_id"]) if demand.assignment else None,
        "status": demand.status, "category": demand.category,
        "submitted_at": instant(demand.submitted_at), "updated_at": instant(demand.updated_at),
        "submitted_on": submitted_on, "next_due": min(due, default=None),
        "next_check": min(check, default=None), "summary": demand_listing(demand)})
