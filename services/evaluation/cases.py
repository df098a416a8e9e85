"""What evaluation keeps of each station, service case and offer round, followed from the
upstream events, so each new event's figures (durations, on-time, coverage) can be worked out."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from eventsourcing.domain import Aggregate, event

from shared.calendar import WorkingCalendar
from shared.errors import Conflict

_STATIONS = uuid.UUID("0d3b7f2a-6c1e-4a85-b9d4-1f8e2a6c3b90")
_CASES = uuid.UUID("2f6a9c0e-8b1d-4e73-a5c2-7d9e3b1f6a08")
_OFFERS = uuid.UUID("9a2e4c6b-3d1f-4b87-a0c5-8e6f2b4d1a73")
_INSTRUMENTS = uuid.UUID("6e0b3d8a-2f4c-4a19-9c7e-b5d1a3f8e264")

#: The dimensions an enterprise rates, 1 to 5 each (domain.md, service feedback).
DIMENSIONS = ("overall", "timeliness", "professionalism", "attitude", "outcome")
#: An overall score at least this high counts as satisfied.
SATISFIED = 4


class StationRecord(Aggregate):
    """A station's park and working calendar: durations are measured in its working hours."""

    @staticmethod
    def create_id(station_id, **_) -> uuid.UUID:
        return uuid.uuid5(_STATIONS, str(station_id))

    @event("StationFollowed")
    def __init__(self, station_id: uuid.UUID, park: str, calendar: dict):
        self.station_id = station_id
        self.park = park
        self.calendar = calendar

    @event("StationCalendarFollowed")
    def follow_calendar(self, calendar: dict) -> None:
        self.calendar = calendar

    @property
    def working_calendar(self) -> WorkingCalendar:
        return WorkingCalendar.from_config(self.calendar)

    def working_hours(self, start: str, end: str) -> float:
        seconds = self.working_calendar.between(datetime.fromisoformat(start),
                                                datetime.fromisoformat(end))
        return round(seconds / 3600, 6)


class ServiceCase(Aggregate):
    """One demand's service as evaluation follows it from intake, and its feedback."""

    @staticmethod
    def create_id(demand_id, **_) -> uuid.UUID:
        return uuid.uuid5(_CASES, str(demand_id))

    @event("ServiceCaseOpened")
    def __init__(self, demand_id: uuid.UUID, enterprise_code: str, station_id: uuid.UUID,
                 category: str, submitted_at: str, expected_by: date | None):
        self.demand_id = demand_id
        self.enterprise_code = enterprise_code
        self.station_id = station_id
        self.category = category
        self.submitted_at = submitted_at
        self.expected_by = expected_by
        self.responded_at: str | None = None
        self.assessed_at: str | None = None
        self.paused_at: str | None = None
        self.paused_hours = 0.0
        self.accepted_at: str | None = None
        self.assignment: dict | None = None
        self.completed_at: str | None = None
        self.feedback_due_at: str | None = None
        self.revisit_due = False
        self.revisit_raised_at: str | None = None
        self.feedback: dict | None = None

    @property
    def institution_id(self):
        return self.assignment["institution_id"] if self.assignment else None

    @event("ServiceCaseResponded")
    def responded(self, at: str) -> None:
        self.responded_at = at

    @event("ServiceCasePaused")
    def paused(self, at: str) -> None:
        self.paused_at = at

    @event("ServiceCaseResumed")
    def resumed(self, hours: float) -> None:
        self.paused_at = None
        self.paused_hours += hours

    @event("ServiceCaseAssessed")
    def assessed(self, category: str, accepted: bool, at: str) -> None:
        self.category = category
        self.assessed_at = self.assessed_at or at
        if accepted:
            self.accepted_at = at

    @event("ServiceCaseAssigned")
    def assigned(self, assignment_id: uuid.UUID, institution_id: uuid.UUID,
                 promised_date: date | None) -> None:
        self.assignment = {"assignment_id": assignment_id, "institution_id": institution_id,
                           "promised_date": promised_date}
        self.completed_at = None
        self.revisit_raised_at = None  # a revisit belongs to the service it followed up

    @event("ServiceCaseCompleted")
    def completed(self, at: str, feedback_due_at: str) -> None:
        self.completed_at = at
        self.feedback_due_at = feedback_due_at

    def due_date(self) -> date | None:
        """The date the result was promised for, or else the date the enterprise asked for."""
        promised = self.assignment and self.assignment["promised_date"]
        return promised or self.expected_by

    def raise_revisit(self, at: str) -> None:
        self._revisit_raised(demand_id=self.demand_id, station_id=self.station_id,
                             due_since=self.feedback_due_at, at=at)

    @event("RevisitTaskRaised")
    def _revisit_raised(self, demand_id, station_id, due_since, at):
        self.revisit_due = True
        self.revisit_raised_at = at

    def give_feedback(self, scores: dict, comment: str | None, channel: str, by: dict,
                      at: str) -> None:
        if self.completed_at is None:
            raise Conflict("feedback is given once the service is completed",
                           {"current_status": "not completed"})
        if self.feedback is not None:
            raise Conflict("this service already has its feedback",
                           {"current_status": "rated"})
        self._feedback_given(demand_id=self.demand_id, station_id=self.station_id,
                             institution_id=self.assignment["institution_id"],
                             assignment_id=self.assignment["assignment_id"], scores=scores,
                             comment=comment, channel=channel, by=by, at=at)

    @event("FeedbackGiven")
    def _feedback_given(self, demand_id, station_id, institution_id, assignment_id, scores,
                        comment, channel, by, at):
        self.feedback = {"scores": scores, "comment": comment, "channel": channel, "by": by,
                         "at": at}
        self.revisit_due = False


def feedback_due(completed_at: str, window_days: float) -> str:
    return (datetime.fromisoformat(completed_at) + timedelta(days=window_days)).isoformat()


class OfferRound(Aggregate):
    """A demand's offers as matching made them: when each was made, for acceptance latency."""

    @staticmethod
    def create_id(match_id, **_) -> uuid.UUID:
        return uuid.uuid5(_OFFERS, str(match_id))

    @event("OfferRoundFollowed")
    def __init__(self, match_id: uuid.UUID, category: str):
        self.match_id = match_id
        self.category = category
        self.offered_at: dict[str, str] = {}

    @event("OfferFollowed")
    def offered(self, assignment_id: str, at: str) -> None:
        self.offered_at[assignment_id] = at


class InstrumentRecord(Aggregate):
    """A shared instrument's owner and park, as listed: its usage counts for both (the usage
    event names neither's park)."""

    @staticmethod
    def create_id(instrument_id, **_) -> uuid.UUID:
        return uuid.uuid5(_INSTRUMENTS, str(instrument_id))

    @event("InstrumentFollowed")
    def __init__(self, instrument_id: uuid.UUID, institution_id: str, park: str):
        self.instrument_id = instrument_id
        self.institution_id = institution_id
        self.park = park


class InstitutionRating(Aggregate):
    """An institution's satisfaction (mean overall score as a rate in [0, 1]) and on-time
    completion rate, which matching weighs."""

    @staticmethod
    def create_id(institution_id, **_) -> uuid.UUID:
        return uuid.uuid5(_RATINGS, str(institution_id))

    @event("RatingOpened")
    def __init__(self, institution_id: uuid.UUID):
        self.institution_id = institution_id
        self.total = 0
        self.count = 0
        self.dated = 0
        self.on_time = 0

    def rate(self, overall: int | None = None, on_time: bool | None = None) -> None:
        total, count = self.total + (overall or 0), self.count + (overall is not None)
        dated, in_time = self.dated + (on_time is not None), self.on_time + bool(on_time)
        self._rated(institution_id=self.institution_id,
                    satisfaction=round(total / count / 5, 4) if count else None,
                    feedback_count=count, on_time_rate=round(in_time / dated, 4) if dated else None,
                    completed_count=dated, overall=overall, on_time=on_time)

    @event("InstitutionRated")
    def _rated(self, institution_id, satisfaction, feedback_count, on_time_rate, completed_count,
               overall, on_time):
        self.total += overall or 0
        self.count = feedback_count
        self.dated = completed_count
        self.on_time += bool(on_time)


_RATINGS = uuid.UUID("b4e8d2c6-1a3f-4c59-8e07-6f2b9d4a1c35")
