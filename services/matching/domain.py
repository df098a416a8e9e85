"""Institutions and the match of each accepted demand to one of them."""
from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event

_MATCHES = uuid.UUID("0b3f7f5e-2f7c-4d1a-9a51-6f2d0c9e8a41")
_INSTITUTIONS = uuid.UUID("c8f1d7a2-43b6-4e0f-b5a9-91d2e6f3a7c5")


class Institution(Aggregate):
    """A quality technical service institution; one per unified social credit code."""

    @staticmethod
    def create_id(credit_code: str, **_) -> uuid.UUID:
        return uuid.uuid5(_INSTITUTIONS, credit_code)

    @event("InstitutionRegistered")
    def __init__(self, name: str, credit_code: str, categories: list[str],
                 qualifications: list[dict], parks: list[str], capacity: int, registered_by: dict):
        self.name = name
        self.credit_code = credit_code
        self.categories = categories
        self.qualifications = qualifications
        self.parks = parks
        self.capacity = capacity
        self.registered_by = registered_by


class Match(Aggregate):
    """The matching of one demand, round after round: intake opens a round each time it
    accepts or reclassifies the demand, and each round ends assigned or failed.

    Its id derives from the demand's, so a demand can never be matched twice by accident.
    """

    @staticmethod
    def create_id(demand_id: uuid.UUID, **_) -> uuid.UUID:
        return uuid.uuid5(_MATCHES, str(demand_id))

    @event("MatchingStarted")
    def __init__(self, demand_id: uuid.UUID, category: str, items: list[str], park: str,
                 expected_by: date | None, round: int):
        self.demand_id = demand_id
        self._open(category, items, park, expected_by, round)
        self.institution_id: uuid.UUID | None = None
        self.assignment_id: uuid.UUID | None = None

    def restart(self, category: str, items: list[str], park: str, expected_by: date | None,
                round: int) -> None:
        self.release("the demand was reassessed")
        self._restarted(demand_id=self.demand_id, category=category, items=items, park=park,
                        expected_by=expected_by, round=round)

    @event("MatchingRestarted")
    def _restarted(self, demand_id, category, items, park, expected_by, round):
        self._open(category, items, park, expected_by, round)

    def _open(self, category, items, park, expected_by, round):
        self.category, self.items, self.park = category, items, park
        self.expected_by, self.round = expected_by, round
        self.reasons: list[str] = []

    def assign(self, institution_id: uuid.UUID, candidates: int) -> None:
        self._assigned(demand_id=self.demand_id, institution_id=institution_id,
                       assignment_id=uuid.uuid5(self.id, str(self.round)),
                       candidates=candidates, round=self.round)

    @event("InstitutionAssigned")
    def _assigned(self, demand_id, institution_id, assignment_id, candidates, round):
        self.institution_id = institution_id
        self.assignment_id = assignment_id

    def fail(self, reasons: list[str]) -> None:
        self._failed(demand_id=self.demand_id, reasons=reasons, round=self.round)

    @event("MatchingFailed")
    def _failed(self, demand_id, reasons, round):
        self.reasons = reasons

    def release(self, reason: str) -> None:
        """Free the assigned institution's capacity (withdrawn, cancelled, reassessed)."""
        if self.institution_id is not None:
            self._released(demand_id=self.demand_id, institution_id=self.institution_id,
                           assignment_id=self.assignment_id, reason=reason)

    @event("AssignmentReleased")
    def _released(self, demand_id, institution_id, assignment_id, reason):
        self.institution_id = None
        self.assignment_id = None
