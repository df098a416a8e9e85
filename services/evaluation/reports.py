"""Published effectiveness evaluations and the improvement actions a low grade raises."""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict, Forbidden

_EVALUATIONS = uuid.UUID("6e3c1a9f-2b7d-4d05-8f4e-a1c9b3e57d20")


class PublishedEvaluation(Aggregate):
    """One scope's evaluation for one period under one configuration version, as published."""

    @staticmethod
    def create_id(scope: str, first_day: str, last_day: str, configuration_version: str,
                  publication: int = 1, **_) -> uuid.UUID:
        # The same days are the same evaluation however the period was written; a publication
        # after a withdrawn one is the next of that scope, period and version.
        key = f"{scope}|{first_day}..{last_day}|{configuration_version}"
        return uuid.uuid5(_EVALUATIONS, key if publication == 1 else f"{key}|{publication}")

    @event("EvaluationPublished")
    def __init__(self, scope: str, period: str, first_day: str, last_day: str,
                 configuration_version: str, figures: dict, dimensions: list, total, grade,
                 not_scored: list, improvement_actions: list, by: dict, at: str,
                 publication: int = 1):
        self.publication = publication
        self.withdrawal: dict | None = None
        self.scope = scope
        self.period = period
        self.first_day = first_day
        self.last_day = last_day
        self.configuration_version = configuration_version
        self.figures = figures
        self.dimensions = dimensions
        self.total = total
        self.grade = grade
        self.not_scored = not_scored
        self.improvement_actions = improvement_actions
        self.by = by
        self.at = at

    def withdraw(self, reason: str, by: dict, at: str) -> None:
        """A mistaken publication is withdrawn, not erased: it stays, marked, with why."""
        if by["role"] != "supervisor":
            raise Forbidden("a supervisor withdraws an evaluation")
        if self.withdrawal is not None:
            raise Conflict("the evaluation is already withdrawn", {"withdrawal": self.withdrawal})
        self._withdrawn(reason=reason, by=by, at=at)

    @event("EvaluationWithdrawn")
    def _withdrawn(self, reason, by, at):
        self.withdrawal = {"reason": reason, "by": by, "at": at}

    def view(self) -> dict:
        return {"id": str(self.id), "scope": self.scope, "period": self.period,
                "first_day": self.first_day, "last_day": self.last_day,
                "configuration_version": self.configuration_version, "figures": self.figures,
                "dimensions": self.dimensions, "total": self.total, "grade": self.grade,
                "not_scored": self.not_scored, "improvement_actions": self.improvement_actions,
                "published_by": self.by, "published_at": self.at,
                "withdrawal": self.withdrawal}


class ImprovementAction(Aggregate):
    """What the evaluated party must improve on one indicator, tracked to closure:
    open → (progress notes) → closed by a supervisor who checked it."""

    @staticmethod
    def create_id(evaluation_id: uuid.UUID, indicator: str, **_) -> uuid.UUID:
        return uuid.uuid5(evaluation_id, indicator)

    @event("ImprovementActionRaised")
    def __init__(self, evaluation_id: uuid.UUID, scope: str, period: str, indicator: str,
                 score: float, value, due_on: str, at: str):
        self.evaluation_id = evaluation_id
        self.scope = scope
        self.period = period
        self.indicator = indicator
        self.score = score
        self.value = value
        self.due_on = due_on
        self.raised_at = at
        self.status = "open"
        self.progress: list[dict] = []
        self.closure: dict | None = None

    def record_progress(self, note: str, by: dict, at: str) -> None:
        if self.status != "open":
            raise Conflict("the improvement action is closed", {"current_status": self.status})
        self._progressed(note=note, by=by, at=at)

    @event("ImprovementProgressRecorded")
    def _progressed(self, note, by, at):
        self.progress.append({"note": note, "by": by, "at": at})

    def close(self, outcome: str, by: dict, at: str) -> None:
        if by["role"] != "supervisor":
            raise Forbidden("a supervisor closes an improvement action, once checked")
        if self.status != "open":
            raise Conflict("the improvement action is already closed",
                           {"current_status": self.status})
        self._closed(outcome=outcome, by=by, at=at)

    def withdraw(self, reason: str, at: str) -> None:
        """Its evaluation was withdrawn: an open action goes with it (a closed one stays)."""
        if self.status == "open":
            self._withdrawn(reason=reason, at=at)

    @event("ImprovementActionWithdrawn")
    def _withdrawn(self, reason, at):
        self.status = "withdrawn"
        self.closure = {"outcome": f"its evaluation was withdrawn: {reason}", "by": None, "at": at}

    @event("ImprovementActionClosed")
    def _closed(self, outcome, by, at):
        self.status = "closed"
        self.closure = {"outcome": outcome, "by": by, "at": at}

    def view(self) -> dict:
        return {"id": str(self.id), "evaluation_id": str(self.evaluation_id),
                "scope": self.scope, "period": self.period, "indicator": self.indicator,
                "score": self.score, "value": self.value, "due_on": self.due_on,
                "raised_at": self.raised_at, "status": self.status, "progress": self.progress,
                "closure": self.closure}
