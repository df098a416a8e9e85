"""Complaints against a station, a specialist or an institution, and their time limits. An
institution complained about reads the complaint and answers it, as often as it needs, until
it is resolved; its answers change no status.

received → investigating → resolved, or escalated to a supervisor (from received or
investigating) → resolved by a supervisor. Two clocks run on the station's working calendar:
acknowledgement (until someone takes the complaint up, or escalates it) and resolution.
"""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict, Forbidden

AGAINST = ("station", "specialist", "institution")
OUTCOMES = ("upheld", "partly_upheld", "not_upheld")
STAGES = ("acknowledgement", "resolution")


class Complaint(Aggregate):
    @event("ComplaintReceived")
    def __init__(self, complaint_id: uuid.UUID, station_id: uuid.UUID, demand_id: uuid.UUID | None,
                 against: dict, summary: str, details: str | None, deadlines: dict, by: dict,
                 at: str):
        self.complaint_id = complaint_id
        self.station_id = station_id
        self.demand_id = demand_id
        self.against = against
        self.summary = summary
        self.details = details
        self.deadlines = deadlines
        self.complainant = by
        self.received_at = at
        self.status = "received"
        self.history = [{"status": "received", "by": by, "at": at, "note": summary}]
        self.outcome: str | None = None

    @staticmethod
    def create_id(complaint_id: uuid.UUID, **_) -> uuid.UUID:
        return complaint_id

    def _require(self, allowed: set[str], action: str) -> None:
        if self.status not in allowed:
            raise Conflict(f"a {self.status} complaint cannot be {action}",
                           {"current_status": self.status})

    def investigate(self, note: str, by: dict, at: str) -> None:
        self._require({"received"}, "taken up")
        self._investigating(demand_id=self.demand_id, note=note, by=by, at=at)

    @event("ComplaintInvestigating")
    def _investigating(self, demand_id, note, by, at):
        self._step("investigating", by, at, note)
        self._close("acknowledgement", at)

    def escalate(self, reason: str, by: dict, at: str) -> None:
        self._require({"received", "investigating"}, "escalated")
        self._escalated(demand_id=self.demand_id, reason=reason, by=by, at=at)

    @event("ComplaintEscalated")
    def _escalated(self, demand_id, reason, by, at):
        self._step("escalated", by, at, reason)
        self._close("acknowledgement", at)

    def answer(self, statement: str, by: dict, at: str) -> None:
        """The institution complained about gives its side."""
        if self.against != {"kind": "institution", "id": by["subject"]}:
            raise Forbidden("only the institution complained about answers a complaint")
        self._require({"received", "investigating", "escalated"}, "answered")
        self._answered(demand_id=self.demand_id, statement=statement, by=by, at=at)

    @event("ComplaintAnswered")
    def _answered(self, demand_id, statement, by, at):
        self.history.append({"status": self.status, "by": by, "at": at, "note": statement,
                             "answer": True})

    def resolve(self, outcome: str, resolution: str, by: dict, at: str) -> None:
        self._require({"investigating", "escalated"}, "resolved")
        if self.status == "escalated" and by["role"] != "supervisor":
            raise Forbidden("an escalated complaint is resolved by a supervisor")
        self._resolved(demand_id=self.demand_id, outcome=outcome, resolution=resolution, by=by,
                       at=at)

    @event("ComplaintResolved")
    def _resolved(self, demand_id, outcome, resolution, by, at):
        self._step("resolved", by, at, resolution)
        self.outcome = outcome
        self._close("resolution", at)

    def _step(self, status, by, at, note):
        self.status = status
        self.history.append({"status": status, "by": by, "at": at, "note": note})

    def _close(self, stage, at):
        if self.deadlines[stage]["closed_at"] is None:
            self.deadlines[stage]["closed_at"] = at

    def lapse(self, stage: str, breached: bool, at: str) -> None:
        """Record the warning or the breach of an open clock (once each)."""
        clock = self.deadlines[stage]
        if breached:
            self._breached(demand_id=self.demand_id, stage=stage, due_at=clock["due_at"], at=at)
        else:
            self._approaching(demand_id=self.demand_id, stage=stage, due_at=clock["due_at"], at=at)

    @event("ComplaintDeadlineApproaching")
    def _approaching(self, demand_id, stage, due_at, at):
        self.deadlines[stage]["warned"] = True

    @event("ComplaintDeadlineBreached")
    def _breached(self, demand_id, stage, due_at, at):
        self.deadlines[stage]["warned"] = True
        self.deadlines[stage]["breached"] = True

    def view(self) -> dict:
        return {"id": str(self.id), "station_id": str(self.station_id),
                "demand_id": str(self.demand_id) if self.demand_id else None,
                "against": self.against, "summary": self.summary, "details": self.details,
                "complainant": self.complainant, "status": self.status, "outcome": self.outcome,
                "received_at": self.received_at, "deadlines": self.deadlines,
                "history": self.history}
