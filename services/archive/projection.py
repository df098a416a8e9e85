"""The archive: a projection of every service's log into documents.

Collections: ``events`` (the raw, append-only archive of every notification of every service),
``dossiers`` (one per demand), ``institutions``, ``positions`` (per upstream, the last
notification applied) and ``dead_letters``. Every write is idempotent (keyed by service and
notification id, guarded by the dossier's event count), so re-applying a notification after a
crash between the effects and the position changes nothing.
"""
from __future__ import annotations

import logging
import sqlite3
from typing import Callable

from pymongo import ASCENDING
from pymongo.errors import ConnectionFailure, DuplicateKeyError

from services.archive.dossier import dossier, entry_of
from shared.errors import NotFound
from shared.inbox import FollowsUpstreams, UpstreamLog
from shared.messages import Message

log = logging.getLogger(__name__)

COLLECTIONS = ("events", "dossiers", "institutions", "positions", "dead_letters")


class Archive(FollowsUpstreams):
    upstreams = ("intake", "matching", "evaluation")
    # The document store unreachable or busy (litemongo's SQLite file locked): retried.
    transient_errors = (ConnectionFailure, sqlite3.OperationalError)

    def __init__(self, db):
        self.db = db
        self._ensure_indexes()

    def _ensure_indexes(self) -> None:
        self.db.events.create_index([("service", ASCENDING), ("notification_id", ASCENDING)])
        self.db.events.create_index([("originator_id", ASCENDING)])
        self.db.dossiers.create_index([("enterprise.credit_code", ASCENDING)])

    # Following -----------------------------------------------------------------------------
    def position(self, upstream: str) -> int:
        found = self.db.positions.find_one({"_id": upstream})
        return found["position"] if found else 0

    def apply(self, message: Message) -> None:
        entry = entry_of(message)
        self.db.events.update_one(
            {"_id": f"{message.service}:{message.id}"},
            {"$setOnInsert": entry}, upsert=True)
        demand_id = message.data.get("demand_id")
        if demand_id:
            self._add_to_dossier(str(demand_id), entry)
        if message.event == "InstitutionRegistered":
            record = {k: v for k, v in message.data.items() if k != "institution_id"}
            self.db.institutions.replace_one(
                {"_id": message.data["institution_id"]},
                {**record, "registered_at": message.occurred_at}, upsert=True)
        self._advance(message)

    def dead_letter(self, message: Message, error: str) -> None:
        self.db.dead_letters.update_one(
            {"_id": f"{message.service}:{message.id}"},
            {"$setOnInsert": {**entry_of(message), "error": error}}, upsert=True)
        self._advance(message)

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
            updated = dossier(demand_id, events + [entry])
            if current is None:
                try:
                    self.db.dossiers.insert_one(updated)
                    return
                except DuplicateKeyError:
                    continue  # created concurrently by another upstream's follower
            result = self.db.dossiers.replace_one(
                {"_id": demand_id, "event_count": current["event_count"]}, updated)
            if result.matched_count:
                return

    # Queries -------------------------------------------------------------------------------
    def dossier(self, demand_id: str) -> dict:
        found = self.db.dossiers.find_one({"_id": str(demand_id)})
        if found is None:
            raise NotFound(f"no dossier for demand {demand_id}")
        found.pop("_id")
        return found

    def dossiers(self) -> list[dict]:
        return list(self.db.dossiers.find({}, sort=[("_id", ASCENDING)]))

    # Rebuild -------------------------------------------------------------------------------
    def rebuild(self, upstream_log: UpstreamLog, progress: Callable[[str, int], None] | None = None,
                page: int = 1000) -> int:
        """Empty every collection, then replay each upstream's whole log; returns events applied.

        Unlike live following, nothing is retried or set aside: a rebuild that cannot apply an
        event stops with the error, since its result would not equal the live archive."""
        for name in COLLECTIONS:
            self.db.drop_collection(name)
        self._ensure_indexes()
        applied = 0
        for upstream in self.upstreams:
            position = 0
            while batch := upstream_log(upstream, position, page):
                for message in batch:
                    self.apply(message)
                position = batch[-1].id
                applied += len(batch)
                if progress:
                    progress(upstream, position)
        return applied
