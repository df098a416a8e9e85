"""The archive's own event log: one seal per dossier (``DemandArchived``), and the retention
acts on it: legal holds placed and released, and the disposal (``DossierDisposed``).

The dossiers are a projection that can be dropped and rebuilt; the seals are events, kept in the
archive's event store and published like every service's. A seal records the hash at the head
of the sealed timeline, so verifying a dossier compares it with something the document store
cannot rewrite. A disposal is an event of the same seal for the same reason: the dossier's
content goes, and what stays (who, when, why, the chain head then) cannot be rebuilt away. The
read model ``retention`` (one row per seal) lists the dossiers due for a decision and tells a
rebuild which cases it must not bring back.
"""
from __future__ import annotations

import json
import uuid
from datetime import timezone

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from shared.errors import Conflict, Disposed
from shared.eventstore import ServiceApplication
from shared.readmodel import Statement, keyset_page, upsert

_SEALS = uuid.UUID("8d4f2b6a-1c3e-4a97-b5d0-3e9f7a2c6b14")


class Seal(Aggregate):
    @staticmethod
    def create_id(demand_id, **_) -> uuid.UUID:
        return uuid.uuid5(_SEALS, str(demand_id))

    @event("DemandArchived")
    def __init__(self, demand_id: uuid.UUID, station_id: uuid.UUID | None, sealed_at: str,
                 sealed_by_event: str, retention_until: str, head: str, event_count: int):
        self.demand_id = demand_id
        self.station_id = station_id
        self.sealed_at = sealed_at
        self.sealed_by_event = sealed_by_event
        self.retention_until = retention_until
        self.head = head
        self.event_count = event_count
        self.legal_hold = None
        self.disposal = None

    # The retention acts. Each event names the demand too, so a follower needs nothing else.
    @event("LegalHoldPlaced")
    def place_legal_hold(self, demand_id: uuid.UUID, reason: str, by: dict, at: str):
        self.legal_hold = {"reason": reason, "by": by, "at": at}

    @event("LegalHoldReleased")
    def release_legal_hold(self, demand_id: uuid.UUID, reason: str, by: dict, at: str):
        self.legal_hold = None

    @event("DossierDisposed")
    def dispose(self, demand_id: uuid.UUID, reason: str, by: dict, at: str, head: str,
                event_count: int):
        self.disposal = {"reason": reason, "by": by, "at": at, "head": head,
                         "event_count": event_count}


#: One row per sealed dossier: when its retention ends, its hold, its disposal (the tombstone).
TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}retention (demand_id TEXT PRIMARY KEY, station_id TEXT, "
    "sealed_at TEXT NOT NULL, retention_until TEXT NOT NULL, head TEXT NOT NULL, "
    "event_count INTEGER NOT NULL, legal_hold TEXT, disposal TEXT)",
    # The dossiers due: past their date and not disposed, oldest date first.
    "CREATE INDEX IF NOT EXISTS retention_due ON {s}retention (retention_until, demand_id) "
    "WHERE disposal IS NULL",
)


class ArchiveSeals(ServiceApplication):
    name = "ArchiveSeals"
    service = "archive"
    upstreams = ()
    tables = ServiceApplication.tables + TABLES

    def rows(self, aggregate) -> list[Statement]:
        if not isinstance(aggregate, Seal):
            return super().rows(aggregate)
        return [upsert("retention", ("demand_id",), {
            "demand_id": str(aggregate.demand_id),
            "station_id": aggregate.station_id and str(aggregate.station_id),
            "sealed_at": aggregate.sealed_at, "retention_until": aggregate.retention_until,
            "head": aggregate.head, "event_count": aggregate.event_count,
            "legal_hold": aggregate.legal_hold, "disposal": aggregate.disposal})]

    def seal(self, document: dict) -> bool:
        """Record the dossier's seal once; False if it was sealed before (a replay)."""
        try:
            self.save(_new_seal(document))
            return True
        except IntegrityError:
            return False

    def seal_all(self, documents: list[dict]) -> None:
        """Record the seals of these sealed dossiers that are not recorded yet (a rebuild's).

        Which are recorded is asked of the store for these dossiers only, and the new ones are
        saved in one transaction: a commit per seal, or a refused insert per seal already
        there, cost a rebuild more than writing its documents."""
        ids = [Seal.create_id(d["demand_id"]) for d in documents]
        recorded = self._recorded(ids)
        new = [d for d, id in zip(documents, ids) if id not in recorded]
        if not new:
            return
        try:
            self.save(*(_new_seal(document) for document in new))
        except IntegrityError:  # one was sealed meanwhile (by a live archive): one at a time
            for document in new:
                self.seal(document)

    def _recorded(self, ids: list[uuid.UUID]) -> set[uuid.UUID]:
        # Both stores take the 32 hex digits (SQLite keeps them so, PostgreSQL parses them).
        table, recorded = self.recorder.events_table_name, set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.read(f"SELECT originator_id FROM {{s}}{table} WHERE originator_id IN "
                             f"({', '.join(['%s'] * len(chunk))})", *(id.hex for id in chunk))
            recorded.update(uuid.UUID(str(row["originator_id"])) for row in rows)
        return recorded

    def seal_of(self, demand_id: str) -> dict | None:
        try:
            found = self.repository.get(Seal.create_id(demand_id))
        except AggregateNotFoundError:
            return None
        return {"sealed_at": found.sealed_at, "head": found.head, "event_count": found.event_count,
                "retention_until": found.retention_until}

    # Retention acts ------------------------------------------------------------------------
    def due(self, after: str | None, per_page: int) -> dict:
        """The sealed dossiers past their retention date and not disposed, oldest date first,
        each with its legal hold if one stops its disposal."""
        today = self._today()
        found, next_after = keyset_page(
            self.read, "retention", ["retention_until < %s", "disposal IS NULL"], [today],
            "retention_until", after, per_page, key="demand_id")
        return {"items": [_retention(row) for row in found], "per_page": per_page,
                "next_after": next_after, "as_of": today}

    def disposed_among(self, demand_ids) -> set[str]:
        """Which of these demands' dossiers were disposed (a rebuild and a follower skip them)."""
        ids, disposed = sorted({str(d) for d in demand_ids if d}), set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            disposed.update(row["demand_id"] for row in self.read(
                f"SELECT demand_id FROM {{s}}retention WHERE disposal IS NOT NULL AND demand_id "
                f"IN ({', '.join(['%s'] * len(chunk))})", *chunk))
        return disposed

    def legal_hold(self, demand_id: str) -> dict | None:
        """The legal hold standing on the dossier (who placed it, when, why), or None."""
        found = self.read("SELECT legal_hold FROM {s}retention WHERE demand_id = %s", str(demand_id))
        held = found[0]["legal_hold"] if found else None
        return json.loads(held) if isinstance(held, str) else held

    def tombstone(self, demand_id: str) -> dict | None:
        """What is kept of a disposed dossier (None if it was not disposed)."""
        found = self.read("SELECT * FROM {s}retention WHERE demand_id = %s AND disposal IS NOT "
                          "NULL", str(demand_id))
        return _retention(found[0]) if found else None

    def place_legal_hold(self, demand_id: str, reason: str, by: dict) -> dict:
        seal = self._sealed(demand_id, "placed under a legal hold")
        if seal.legal_hold is not None:
            raise Conflict("这份档案已有法律保全，未解除前不能再次设置 (already under a legal hold)",
                           _held(seal.legal_hold))
        seal.place_legal_hold(demand_id=seal.demand_id, reason=reason, by=by, at=self._now())
        self.save_or_conflict(seal, what="the dossier's retention")
        return self._row(seal)

    def release_legal_hold(self, demand_id: str, reason: str, by: dict) -> dict:
        seal = self._sealed(demand_id, "released from a legal hold")
        if seal.legal_hold is None:
            raise Conflict("这份档案没有法律保全可解除 (not under a legal hold)",
                           {"current_status": "not_held"})
        seal.release_legal_hold(demand_id=seal.demand_id, reason=reason, by=by, at=self._now())
        self.save_or_conflict(seal, what="the dossier's retention")
        return self._row(seal)

    def dispose(self, demand_id: str, reason: str, by: dict, head: str, event_count: int) -> dict:
        """Record the disposal, if the retention period is over and no hold stops it; the
        caller then removes the content (the event first: a removal cut short is finished by
        asking again, and a content removed without its event would be a loss, not an act)."""
        seal = self._sealed(demand_id, "disposed of")
        if seal.legal_hold is not None:
            raise Conflict("这份档案处于法律保全中，不能销毁 (under a legal hold)",
                           _held(seal.legal_hold))
        if seal.retention_until >= self._today():
            raise Conflict(f"这份档案的保管期限至 {seal.retention_until}，期满后才能销毁 "
                           "(its retention period is not over)",
                           {"retention_until": seal.retention_until})
        seal.dispose(demand_id=seal.demand_id, reason=reason, by=by, at=self._now(), head=head,
                     event_count=event_count)
        self.save_or_conflict(seal, what="the dossier's retention")
        return self._row(seal)

    def _sealed(self, demand_id: str, act: str) -> Seal:
        try:
            seal = self.repository.get(Seal.create_id(demand_id))
        except AggregateNotFoundError:
            raise Conflict(f"这份档案尚未封存，不能{_ACTS[act]} (a dossier is {act} only once "
                           "sealed)", {"current_status": "open"}) from None
        if seal.disposal is not None:
            raise disposed(self._row(seal))
        return seal

    def _row(self, seal: Seal) -> dict:
        return _retention({"demand_id": str(seal.demand_id),
                           "station_id": seal.station_id and str(seal.station_id),
                           "sealed_at": seal.sealed_at, "retention_until": seal.retention_until,
                           "head": seal.head, "event_count": seal.event_count,
                           "legal_hold": seal.legal_hold, "disposal": seal.disposal})

    def _now(self) -> str:
        return self.clock().isoformat()

    def _today(self) -> str:
        # The date retention_until was computed in: that of the sealing event's UTC time.
        return self.clock().astimezone(timezone.utc).date().isoformat()


_ACTS = {"placed under a legal hold": "设置法律保全", "released from a legal hold": "解除法律保全",
         "disposed of": "销毁"}


def _held(hold: dict) -> dict:
    """A hold as a conflict's details (text only: an error's details cross RPC as text)."""
    return {"current_status": "legal_hold", "legal_hold_reason": hold["reason"],
            "legal_hold_placed_at": hold["at"]}


def disposed(tombstone: dict) -> Disposed:
    """The answer about a disposed dossier: when, by whom, why, and its chain head then."""
    disposal = tombstone["disposal"]
    return Disposed(f"这份档案已于 {disposal['at']} 依保管期限销毁 (the dossier was disposed of)", {
        "demand_id": tombstone["demand_id"], "disposed_at": disposal["at"],
        "disposed_by": disposal["by"]["subject"], "reason": disposal["reason"],
        "head": disposal["head"]})


def _retention(row: dict) -> dict:
    """A retention row as the API shows it (the JSON columns read back)."""
    return {**row, **{key: json.loads(row[key]) if isinstance(row[key], str) else row[key]
                      for key in ("legal_hold", "disposal")}}


def _new_seal(document: dict) -> Seal:
    seal = document["seal"]
    return Seal(demand_id=uuid.UUID(document["demand_id"]),
                station_id=document["station_id"] and uuid.UUID(document["station_id"]),
                sealed_at=seal["sealed_at"], sealed_by_event=seal["sealed_by_event"],
                retention_until=seal["retention_until"], head=seal["head"],
                event_count=seal["event_count"])
