"""Evaluation's raw figures, counted from every service's events by the month they occurred in."""
from __future__ import annotations

import re

from eventsourcing.application import AggregateNotFoundError

from services.evaluation.domain import PeriodFigures
from shared.errors import Invalid
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

    def _count(self, message, data, processing):
        figure, breakdown = FIGURES[message.event]
        period = message.occurred_at[:7]
        try:
            figures = self.repository.get(PeriodFigures.create_id(period))
        except AggregateNotFoundError:
            figures = PeriodFigures(period)
        figures.count(figure, str(data[breakdown]) if breakdown else "all")
        processing.collect_events(figures)
