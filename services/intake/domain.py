"""The Demand: one enterprise's request to the station, from collection to its outcome."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict


class Demand(Aggregate):
    @event("DemandSubmitted")
    def __init__(self, enterprise: dict, park: str, category: str, title: str, description: str,
                 items: list[str], expected_by: date | None, channel: str, submitted_by: dict):
        self.enterprise = enterprise
        self.park = park
        self.category = category
        self.title = title
        self.description = description
        self.items = items
        self.expected_by = expected_by
        self.channel = channel
        self.submitted_by = submitted_by
        self.status = "submitted"
        self.assignment: dict | None = None
        self.unmatched_reasons: list[str] = []

    def accept(self, accepted_by: dict) -> None:
        self._require("submitted", to="accept")
        self._accepted(category=self.category, items=self.items, park=self.park,
                       expected_by=self.expected_by, accepted_by=accepted_by)

    @event("DemandAccepted")
    def _accepted(self, category, items, park, expected_by, accepted_by):
        self.status = "accepted"

    def assign(self, assignment_id: UUID, institution_id: UUID) -> None:
        self._require("accepted", to="assign an institution to")
        self._assigned(assignment_id=assignment_id, institution_id=institution_id)

    @event("DemandAssigned")
    def _assigned(self, assignment_id, institution_id):
        self.status = "assigned"
        self.assignment = {"assignment_id": assignment_id, "institution_id": institution_id,
                           "status": "assigned"}

    def record_matching_failure(self, reasons: list[str]) -> None:
        self._require("accepted", to="record a matching failure of")
        self._matching_failed(reasons=reasons)

    @event("DemandMatchingFailed")
    def _matching_failed(self, reasons):
        self.status = "matching_failed"
        self.unmatched_reasons = reasons

    def _require(self, status: str, *, to: str) -> None:
        if self.status != status:
            raise Conflict(f"cannot {to} a demand that is {self.status}",
                           {"current_status": self.status})
