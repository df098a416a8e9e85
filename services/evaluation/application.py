"""Evaluation's raw figures, counted from every service's events by the month they occurred in."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.evaluation.domain import DIMENSIONS, InstitutionRating, PeriodFigures, ServiceCase
from shared.commands import GiveFeedback, load_command
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.eventstore import ServiceApplication

PERIOD = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])")

#: upstream event -> (figure, the data field that breaks it down)
FIGURES = {
    "DemandSubmitted": ("demands_submitted", "category"),
    "DemandAccepted": ("demands_accepted", "category"),
    "DemandReclassified": ("demands_reclassified", "category"),
    "DemandAnswered": ("demands_answered", None),
    "DemandRejected": ("demands_rejected", None),
    "DemandWithdrawn": ("demands_withdrawn", None),
    "DemandCancelled": ("demands_cancelled", None),
    "DemandCompleted": ("demands_completed", None),
    "DemandAssigned": ("demands_assigned", None),
    "AssignmentOffered": ("offers", "institution_id"),
    "OfferDeclined": ("offers_declined", "institution_id"),
    "OfferExpired": ("offers_expired", "institution_id"),
    "InformationRequested": ("information_requests", None),
    "FollowUpRecorded": ("follow_ups", None),
    "DeadlineApproaching": ("deadline_warnings", "stage"),
    "DeadlineBreached": ("deadline_breaches", "stage"),
    "StationRegistered": ("stations_registered", None),
    "InstitutionRegistered": ("institutions_registered", None),
    "InstitutionAssigned": ("institutions_assigned", "institution_id"),
    "AssignmentReleased": ("assignments_released", "institution_id"),
    "MatchingFailed": ("matching_failed", None),
}


class Evaluation(ServiceApplication):
    name = "Evaluation"
    service = "evaluation"
    upstreams = ("intake", "matching")
    reactions = {event: "_count" for event in FIGURES}
    # A month's figures grow by one event per upstream event; snapshots keep loading cheap.
    snapshotting_intervals = {PeriodFigures: 100}

    def figures(self, period: str) -> dict:
        if not PERIOD.fullmatch(period or ""):
            raise Invalid("period must be a month, YYYY-MM", {"period": ["must be YYYY-MM"]})
        try:
            figures = self.repository.get(PeriodFigures.create_id(period)).figures
        except AggregateNotFoundError:
            figures = {}  # nothing happened that month: every figure is zero
        return {"period": period, "figures": figures}

    def give_feedback(self, demand_id: str, payload: dict, by: dict) -> dict:
        """The enterprise rates a completed service online; a specialist records it from a
        revisit (the gateway checks the specialist's station)."""
        command = load_command(GiveFeedback, payload)
        try:
            case_id = ServiceCase.create_id(UUID(str(demand_id)))
        except ValueError:
            raise NotFound(f"no service of demand {demand_id}") from None
        case = self.find(ServiceCase, case_id, "service of demand")
        if by["role"] == "enterprise":
            if by["subject"] != case.enterprise_code:
                raise NotFound(f"no service of demand {demand_id}")
            if command["channel"] != "online":
                raise Invalid("an enterprise gives its feedback online",
                              {"channel": ["must be online"]})
        elif by["role"] == "specialist":
            if command["channel"] == "online":
                raise Invalid("a specialist records feedback from a revisit",
                              {"channel": ["must be revisit_phone or revisit_visit"]})
        else:
            raise Forbidden(f"a {by['role']} does not give feedback")
        scores = {name: command[name] for name in DIMENSIONS}
        case.give_feedback(scores, command["comment"], command["channel"], by=by,
                           at=datetime.now(timezone.utc).isoformat())
        institution_id = case.assignment["institution_id"]
        try:
            rating = self.repository.get(InstitutionRating.create_id(institution_id))
        except AggregateNotFoundError:
            rating = InstitutionRating(institution_id=institution_id)
        rating.rate(command["overall"])
        try:
            self.save(case, rating)
        except IntegrityError:
            raise Conflict("the feedback changed while this request was handled; try again",
                           {"demand_id": str(demand_id)}) from None
        return {"demand_id": str(case.demand_id), "institution_id": str(institution_id),
                **case.feedback}

    def _count(self, message, data, processing):
        figure, breakdown = FIGURES[message.event]
        period = message.occurred_at[:7]
        try:
            figures = self.repository.get(PeriodFigures.create_id(period))
        except AggregateNotFoundError:
            figures = PeriodFigures(period)
        figures.count(figure, str(data[breakdown]) if breakdown else "all")
        processing.collect_events(figures, self._follow_case(message.event, data))

    def _follow_case(self, event: str, data: dict) -> ServiceCase | None:
        """Keep the service case of a demand in step with intake: who may rate it, and whom."""
        if event == "DemandSubmitted":
            return ServiceCase(demand_id=data["demand_id"],
                               enterprise_code=data["enterprise"]["credit_code"],
                               station_id=data["station_id"])
        if event not in ("DemandAssigned", "DemandCompleted"):
            return None
        case = self.repository.get(ServiceCase.create_id(data["demand_id"]))
        if event == "DemandAssigned":
            case.assigned(data["assignment_id"], data["institution_id"])
        else:
            case.completed(data["at"])
        return case
