"""Institutions and the match of each accepted demand to one of them."""
from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event

from shared.catalogue import qualification_overlap
from shared.errors import Conflict, Invalid, NotFound

_MATCHES = uuid.UUID("0b3f7f5e-2f7c-4d1a-9a51-6f2d0c9e8a41")
_INSTITUTIONS = uuid.UUID("c8f1d7a2-43b6-4e0f-b5a9-91d2e6f3a7c5")


class Institution(Aggregate):
    """A quality technical service institution; one per unified social credit code.

    Its qualifications (CMA, CNAS, metrology authorisation, certification-body approval, other)
    each have a number, a scope, a validity period and a status; matching uses only valid ones
    of an active institution."""

    @staticmethod
    def create_id(credit_code: str, **_) -> uuid.UUID:
        return uuid.uuid5(_INSTITUTIONS, credit_code)

    @event("InstitutionRegistered")
    def __init__(self, name: str, credit_code: str, categories: list[str],
                 qualifications: list[dict], parks: list[str], home_park: str | None,
                 capacity: int, registered_by: dict):
        self.name = name
        self.credit_code = credit_code
        self.categories = categories
        self.qualifications = [{**q, "status": "valid", "expiry_warned": False}
                               for q in qualifications]
        self.parks = parks
        self.home_park = home_park
        self.capacity = capacity
        self.registered_by = registered_by
        self.status = "active"
        self.status_reason: str | None = None

    def qualification(self, number: str) -> dict:
        for found in self.qualifications:
            if found["number"] == number:
                return found
        raise NotFound(f"no qualification {number} of institution {self.id}")

    # Standing ------------------------------------------------------------------------------
    def suspend(self, reason: str, by: dict, at: str) -> None:
        self._require({"active"}, "suspend")
        self._suspended(reason=reason, by=by, at=at)

    @event("InstitutionSuspended")
    def _suspended(self, reason, by, at):
        self.status, self.status_reason = "suspended", reason

    def reinstate(self, reason: str, by: dict, at: str) -> None:
        self._require({"suspended"}, "reinstate")
        self._reinstated(reason=reason, by=by, at=at)

    @event("InstitutionReinstated")
    def _reinstated(self, reason, by, at):
        self.status, self.status_reason = "active", reason

    def exit(self, reason: str, by: dict, at: str) -> None:
        self._require({"active", "suspended"}, "record the exit of")
        self._exited(reason=reason, by=by, at=at)

    @event("InstitutionExited")
    def _exited(self, reason, by, at):
        self.status, self.status_reason = "exited", reason

    # Qualifications ------------------------------------------------------------------------
    def add_qualification(self, qualification: dict, by: dict, at: str) -> None:
        self._require({"active", "suspended"}, "add a qualification to")
        problem = qualification_overlap(self.qualifications + [qualification])
        if problem:
            raise Invalid("the qualification overlaps another", {"qualifications": [problem]})
        self._qualification_added(qualification=qualification, by=by, at=at)

    @event("QualificationAdded")
    def _qualification_added(self, qualification, by, at):
        self.qualifications.append({**qualification, "status": "valid", "expiry_warned": False})

    def change_qualification_status(self, number: str, status: str, reason: str, by: dict,
                                    at: str) -> None:
        current = self.qualification(number)["status"]
        if current == status or current == "withdrawn":
            raise Conflict(f"qualification {number} is {current}", {"current_status": current})
        self._qualification_status_changed(number=number, status=status, reason=reason, by=by, at=at)

    @event("QualificationStatusChanged")
    def _qualification_status_changed(self, number, status, reason, by, at):
        self.qualification(number)["status"] = status

    def warn_expiry(self, number: str, today: date) -> bool:
        found = self.qualification(number)
        if found["expiry_warned"] or found["status"] != "valid":
            return False
        self._qualification_expiring(number=number, valid_until=found["valid_until"], on=today)
        return True

    @event("QualificationExpiring")
    def _qualification_expiring(self, number, valid_until, on):
        self.qualification(number)["expiry_warned"] = True

    def expire(self, number: str, today: date) -> bool:
        found = self.qualification(number)
        if found["status"] != "valid" or today <= found["valid_until"]:
            return False
        self._qualification_expired(number=number, valid_until=found["valid_until"], on=today)
        return True

    @event("QualificationExpired")
    def _qualification_expired(self, number, valid_until, on):
        self.qualification(number)["status"] = "expired"

    def _require(self, statuses, action: str) -> None:
        if self.status not in statuses:
            raise Conflict(f"cannot {action} an institution that is {self.status}",
                           {"current_status": self.status})


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
        self.decisions: list[dict] = []

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

    def assign(self, institution_id: uuid.UUID, candidates: int, explanation: list[dict]) -> None:
        self._assigned(demand_id=self.demand_id, institution_id=institution_id,
                       assignment_id=uuid.uuid5(self.id, str(self.round)),
                       candidates=candidates, round=self.round, explanation=explanation)

    @event("InstitutionAssigned")
    def _assigned(self, demand_id, institution_id, assignment_id, candidates, round, explanation):
        self.institution_id = institution_id
        self.assignment_id = assignment_id
        self.decisions.append({"round": round, "outcome": "assigned",
                               "institution_id": str(institution_id), "candidates": explanation})

    def fail(self, reasons: list[str], explanation: list[dict]) -> None:
        self._failed(demand_id=self.demand_id, reasons=reasons, round=self.round,
                     explanation=explanation)

    @event("MatchingFailed")
    def _failed(self, demand_id, reasons, round, explanation):
        self.reasons = reasons
        self.decisions.append({"round": round, "outcome": "failed", "reasons": reasons,
                               "candidates": explanation})

    def release(self, reason: str) -> None:
        """Free the assigned institution's capacity (withdrawn, cancelled, reassessed)."""
        if self.institution_id is not None:
            self._released(demand_id=self.demand_id, institution_id=self.institution_id,
                           assignment_id=self.assignment_id, reason=reason)

    @event("AssignmentReleased")
    def _released(self, demand_id, institution_id, assignment_id, reason):
        self.institution_id = None
        self.assignment_id = None
