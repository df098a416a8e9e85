"""The archive: a projection of every service's log into documents, with sealed, verifiable
dossiers.

Collections: ``events`` (the raw, append-only archive of every notification of every service),
``dossiers`` (one per demand), ``institutions``, ``stations``, ``positions`` (per upstream, the
last notification applied) and ``dead_letters``. Every write is idempotent (keyed by service and
notification id, guarded by the dossier's event count), so re-applying a notification after a
crash between the effects and the position changes nothing.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from typing import Callable

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import ConnectionFailure, DuplicateKeyError

from services.archive.dossier import (
    DEFAULT_RETENTION_YEARS, ENTRY_FIELDS, dossier, entry_of, verify_chain)
from services.archive.seals import ArchiveSeals
from shared.commands import AsOf, SearchDossiers, load_command
from shared.errors import NotFound
from shared.inbox import FollowsUpstreams, UpstreamLog
from shared.messages import Message

log = logging.getLogger(__name__)

COLLECTIONS = ("events", "dossiers", "institutions", "stations", "positions", "dead_letters")
#: Dossier fields a supervisor's search filters on.
SEARCHABLE = ("enterprise.credit_code", "assignment.institution_id", "category", "station_id",
              "status", "submitted_utc", "breached")
#: The registrations kept as registers: the id field and the collection of each.
REGISTERS = {"InstitutionRegistered": ("institution_id", "institutions"),
             "StationRegistered": ("station_id", "stations")}


class Archive(FollowsUpstreams):
    upstreams = ("intake", "matching", "evaluation")
    # The document store unreachable or busy (litemongo's SQLite file locked): retried.
    transient_errors = (ConnectionFailure, sqlite3.OperationalError)

    def __init__(self, db, seals: ArchiveSeals | None = None,
                 retention_years: int = DEFAULT_RETENTION_YEARS):
        self.db = db
        self.seals = seals
        self.retention_years = retention_years
        self._ensure_indexes()

    def _ensure_indexes(self) -> None:
        self.db.events.create_index([("service", ASCENDING), ("notification_id", ASCENDING)])
        self.db.events.create_index([("originator_id", ASCENDING)])
        for field in SEARCHABLE:
            self.db.dossiers.create_index([(field, ASCENDING)])

    def close(self) -> None:
        if self.seals is not None:
            self.seals.close()

    # The archive's own log (its seals), for the relay and for followers ------------------------
    def log(self, after: int, limit: int) -> list[Message]:
        return self.seals.log(after, limit)

    def last_notification_id(self) -> int:
        return self.seals.last_notification_id()

    # Following -----------------------------------------------------------------------------
    def position(self, upstream: str) -> int:
        found = self.db.positions.find_one({"_id": upstream})
        return found["position"] if found else 0

    def apply(self, message: Message) -> None:
        self._record(message)
        self._advance(message)

    def _record(self, message: Message) -> None:
        entry = entry_of(message)
        self.db.events.update_one(
            {"_id": f"{message.service}:{message.id}"},
            {"$setOnInsert": entry}, upsert=True)
        demand_id = _dossier_of(message)
        if demand_id:
            self._add_to_dossier(demand_id, entry)
        self._record_register(message)

    def dead_letter(self, message: Message, error: str) -> None:
        self.db.dead_letters.update_one(
            {"_id": f"{message.service}:{message.id}"},
            {"$setOnInsert": {**entry_of(message), "error": error}}, upsert=True)
        self._advance(message)

    def dead_letters(self) -> list[dict]:
        return [{"upstream": letter["service"], "notification_id": letter["notification_id"],
                 "event": letter["name"], "error": letter["error"],
                 "replayed": "replayed_by" in letter}
                for letter in self.db.dead_letters.find({}).sort("_id", 1)]

    def replay(self, message: Message, by: str) -> None:
        # Recording is idempotent (keyed by notification), so a replay cut short is simply
        # run again; the letter is marked only once its effects are in.
        self._record(message)
        self.db.dead_letters.update_one({"_id": f"{message.service}:{message.id}"},
                                        {"$set": {"replayed_by": by}})

    def _advance(self, message: Message) -> None:
        self.db.positions.update_one(
            {"_id": message.service}, {"$max": {"position": message.id}}, upsert=True)

    def _add_to_dossier(self, demand_id: str, entry: dict) -> None:
        key = (entry["service"], entry["notification_id"])
        while True:
            current = self.db.dossiers.find_one({"_id": demand_id})
            events = current["events"] if current else []
            if any((e["service"], e["notification_id"]) == key for e in events):
                return
            updated = dossier(demand_id, events + [entry], self.retention_years)
            if current is None:
                try:
                    self.db.dossiers.insert_one(updated)
                except DuplicateKeyError:
                    continue  # created concurrently by another upstream's follower
            else:
                result = self.db.dossiers.replace_one(
                    {"_id": demand_id, "event_count": current["event_count"]}, updated)
                if not result.matched_count:
                    continue
            if updated["seal"] is not None and self.seals is not None:
                self.seals.seal(updated)  # once: later calls find the seal recorded
            return

    # Queries -------------------------------------------------------------------------------
    def dossier(self, demand_id: str, as_of: str | None = None) -> dict:
        found = self.db.dossiers.find_one({"_id": str(demand_id)})
        if found is None:
            raise NotFound(f"no dossier for demand {demand_id}")
        found.pop("_id")
        moment = load_command(AsOf, {"as_of": as_of})["as_of"] if as_of is not None else None
        if moment is None:
            return found
        past = [e for e in found["events"] if datetime.fromisoformat(e["occurred_at"]) <= moment]
        if not past:
            raise NotFound(f"demand {demand_id} did not exist yet at {as_of}")
        # The case as it stood then: the same pure function over the events known by then.
        rebuilt = dossier(str(demand_id), past, self.retention_years)
        rebuilt.pop("_id")
        return {**rebuilt, "as_of": moment.isoformat()}

    def dossiers(self) -> list[dict]:
        return list(self.db.dossiers.find({}, sort=[("_id", ASCENDING)]))

    def search(self, payload: dict) -> dict:
        """Dossiers by enterprise, institution, category, station, status, submission dates
        and breaches, newest first, a page at a time (summaries, not timelines)."""
        query = load_command(SearchDossiers, payload)
        selector: dict = {}
        for key, field in (("enterprise", "enterprise.credit_code"),
                           ("institution", "assignment.institution_id"), ("category", "category"),
                           ("station", "station_id"), ("status", "status")):
            if query.get(key):
                selector[field] = str(query[key])
        dates = {}
        for key, operator in (("submitted_from", "$gte"), ("submitted_to", "$lte")):
            if query[key] is not None:  # stored as UTC ISO text, which sorts as time does
                dates[operator] = query[key].astimezone(timezone.utc).isoformat()
        if dates:
            selector["submitted_utc"] = dates
        if query["breached"] is not None:
            selector["breached"] = query["breached"]
        page, per_page = query["page"], query["per_page"]
        total = self.db.dossiers.count_documents(selector)
        found = self.db.dossiers.find(
            selector, {"events": 0},
            sort=[("submitted_utc", DESCENDING), ("_id", ASCENDING)],
            skip=(page - 1) * per_page, limit=per_page)
        items = [{k: v for k, v in d.items() if k != "_id"} for d in found]
        return {"items": items, "page": page, "per_page": per_page, "total": total}

    def verify(self, demand_id: str, check_sources: bool = False) -> dict:
        """Whether the dossier is intact: its hash chain, its seal against the seal recorded in
        the archive's event store, and (``check_sources``) each entry against the event store it
        came from, read through the upstream logs it follows. Names the first broken entry."""
        upstream_log = getattr(self, "_upstream_log", None) if check_sources else None
        found = self.db.dossiers.find_one({"_id": str(demand_id)})
        if found is None:
            raise NotFound(f"no dossier for demand {demand_id}")
        entries = found["events"]
        report = {"demand_id": str(demand_id), "entries": len(entries), "intact": True,
                  "first_broken": verify_chain(found), "seal": None, "sources_checked": False}
        recorded = self.seals.seal_of(str(demand_id)) if self.seals is not None else None
        if recorded is not None:
            held = found.get("seal") or {}
            report["seal"] = {"recorded": recorded, "matches": held.get("head") == recorded["head"]}
            if not report["seal"]["matches"] and report["first_broken"] is None:
                index = recorded["event_count"] - 1
                report["first_broken"] = {
                    "index": index, "problem": "the sealed timeline differs from the seal recorded "
                                               "when it was sealed"}
        if upstream_log is not None and report["first_broken"] is None:
            report["sources_checked"] = True
            report["first_broken"] = _compare_with_sources(entries, upstream_log)
        report["intact"] = report["first_broken"] is None
        return report

    # Rebuild -------------------------------------------------------------------------------
    def rebuild(self, upstream_log: UpstreamLog, progress: Callable[[str, int, int], None] | None = None,
                page: int = 1000) -> int:
        """Empty every collection, then replay each upstream's whole log; returns events applied.

        The same effects as live following, written in bulk: raw events a page at a time,
        dossiers built in memory (the same pure function, so the result equals the live
        archive) and written once each, the missing seals recorded in one transaction.
        Nothing is retried or set aside: a rebuild that cannot apply an event stops."""
        for name in COLLECTIONS:
            self.db.drop_collection(name)
        self._ensure_indexes()
        timelines: dict[str, list[dict]] = {}
        applied = 0
        for upstream in self.upstreams:
            position = 0
            while batch := upstream_log(upstream, position, page):
                raw = []
                for message in batch:
                    entry = entry_of(message)
                    raw.append({"_id": f"{message.service}:{message.id}", **entry})
                    demand_id = _dossier_of(message)
                    if demand_id:
                        timelines.setdefault(demand_id, []).append(entry)
                    self._record_register(message)
                self.db.events.insert_many(raw, ordered=False)
                position = batch[-1].id
                applied += len(batch)
                if progress:
                    progress(upstream, position, applied)
            self.db.positions.update_one({"_id": upstream}, {"$set": {"position": position}},
                                         upsert=True)
        documents = [dossier(demand_id, entries, self.retention_years)
                     for demand_id, entries in timelines.items()]
        for start in range(0, len(documents), page):
            self.db.dossiers.insert_many(documents[start:start + page], ordered=False)
        if self.seals is not None:
            self.seals.seal_all([document for document in documents if document["seal"] is not None])
        return applied

    def _record_register(self, message: Message) -> None:
        """Keep the register an institution's or a station's registration belongs to."""
        if message.event not in REGISTERS:
            return
        key, name = REGISTERS[message.event]
        record = {k: v for k, v in message.data.items() if k != key}
        self.db[name].replace_one({"_id": message.data[key]},
                                  {**record, "registered_at": message.occurred_at}, upsert=True)


def _dossier_of(message: Message) -> str | None:
    """The demand whose dossier a notification joins; the archive's own seals join none."""
    demand_id = message.data.get("demand_id")
    return str(demand_id) if demand_id and message.service != "archive" else None


def _compare_with_sources(entries: list[dict], upstream_log: UpstreamLog) -> dict | None:
    """The first entry that differs from the notification its service's event store holds."""
    for index, entry in enumerate(entries):
        found = upstream_log(entry["service"], entry["notification_id"] - 1, 1)
        source = entry_of(found[0]) if found and found[0].id == entry["notification_id"] else None
        if source is None or any(source[key] != entry.get(key) for key in ENTRY_FIELDS):
            return {"index": index, "service": entry["service"],
                    "notification_id": entry["notification_id"], "name": entry.get("name"),
                    "problem": "differs from the event store" if source else
                               "not in the event store"}
    return None
