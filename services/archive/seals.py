"""The archive's own event log: one seal per dossier (``DemandArchived``).

The dossiers are a projection that can be dropped and rebuilt; the seals are events, kept in the
archive's event store and published like every service's. A seal records the hash at the head
of the sealed timeline, so verifying a dossier compares it with something the document store
cannot rewrite.
"""
from __future__ import annotations

import uuid

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from shared.eventstore import ServiceApplication

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


class ArchiveSeals(ServiceApplication):
    name = "ArchiveSeals"
    service = "archive"
    upstreams = ()

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


def _new_seal(document: dict) -> Seal:
    seal = document["seal"]
    return Seal(demand_id=uuid.UUID(document["demand_id"]),
                station_id=document["station_id"] and uuid.UUID(document["station_id"]),
                sealed_at=seal["sealed_at"], sealed_by_event=seal["sealed_by_event"],
                retention_until=seal["retention_until"], head=seal["head"],
                event_count=seal["event_count"])
