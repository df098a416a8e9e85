"""Raw figures of a period: what happened, counted from events, before any scoring."""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict

_PERIODS = uuid.UUID("7e0a5d4c-1b2f-4c8e-9f3a-2d6b8e1c4a77")


class PeriodFigures(Aggregate):
    """The counts of one calendar month (``YYYY-MM``), each figure broken down by a key."""

    @staticmethod
    def create_id(period: str, **_) -> uuid.UUID:
        return uuid.uuid5(_PERIODS, period)

    @event("PeriodOpened")
    def __init__(self, period: str):
        self.period = period
        self.figures: dict[str, dict[str, int]] = {}

    def count(self, figure: str, key: str) -> None:
        self._counted(period=self.period, figure=figure, key=key)

    @event("FigureCounted")
    def _counted(self, period: str, figure: str, key: str) -> None:
        by_key = self.figures.setdefault(figure, {})
        by_key[key] = by_key.get(key, 0) + 1


_CASES = uuid.UUID("2f6a9c0e-8b1d-4e73-a5c2-7d9e3b1f6a08")
_RATINGS = uuid.UUID("b4e8d2c6-1a3f-4c59-8e07-6f2b9d4a1c35")

#: The dimensions an enterprise rates, 1 to 5 each (domain.md, service feedback).
DIMENSIONS = ("overall", "timeliness", "professionalism", "attitude", "outcome")


class ServiceCase(Aggregate):
    """What evaluation knows of one demand's service, followed from intake's events, and the
    enterprise's feedback on it (one per case)."""

    @staticmethod
    def create_id(demand_id, **_) -> uuid.UUID:
        return uuid.uuid5(_CASES, str(demand_id))

    @event("ServiceCaseOpened")
    def __init__(self, demand_id: uuid.UUID, enterprise_code: str, station_id: uuid.UUID):
        self.demand_id = demand_id
        self.enterprise_code = enterprise_code
        self.station_id = station_id
        self.assignment: dict | None = None
        self.completed_at: str | None = None
        self.feedback: dict | None = None

    @event("ServiceCaseAssigned")
    def assigned(self, assignment_id: uuid.UUID, institution_id: uuid.UUID) -> None:
        self.assignment = {"assignment_id": assignment_id, "institution_id": institution_id}
        self.completed_at = None

    @event("ServiceCaseCompleted")
    def completed(self, at: str) -> None:
        self.completed_at = at

    def give_feedback(self, scores: dict, comment: str | None, channel: str, by: dict,
                      at: str) -> None:
        if self.completed_at is None:
            raise Conflict("feedback is given once the service is completed",
                           {"current_status": "not completed"})
        if self.feedback is not None:
            raise Conflict("this service already has its feedback",
                           {"current_status": "rated"})
        self._feedback_given(demand_id=self.demand_id,
                             institution_id=self.assignment["institution_id"],
                             assignment_id=self.assignment["assignment_id"], scores=scores,
                             comment=comment, channel=channel, by=by, at=at)

    @event("FeedbackGiven")
    def _feedback_given(self, demand_id, institution_id, assignment_id, scores, comment, channel,
                        by, at):
        self.feedback = {"scores": scores, "comment": comment, "channel": channel, "by": by,
                         "at": at}


class InstitutionRating(Aggregate):
    """An institution's satisfaction from the feedback on its services: the mean overall score
    as a rate in [0, 1], which matching weighs."""

    @staticmethod
    def create_id(institution_id, **_) -> uuid.UUID:
        return uuid.uuid5(_RATINGS, str(institution_id))

    @event("RatingOpened")
    def __init__(self, institution_id: uuid.UUID):
        self.institution_id = institution_id
        self.total = 0
        self.count = 0

    def rate(self, overall: int) -> None:
        total, count = self.total + overall, self.count + 1
        self._rated(institution_id=self.institution_id, satisfaction=round(total / count / 5, 4),
                    feedback_count=count, overall=overall)

    @event("InstitutionRated")
    def _rated(self, institution_id, satisfaction, feedback_count, overall):
        self.total += overall
        self.count = feedback_count
