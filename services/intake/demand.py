"""The Demand: one enterprise's request to a station, from collection to its outcome.

Every change is an event carrying who did it (``by``), when in the station's time (``at``,
from the application's clock, so deadlines can be tested with a controlled clock) and, where it
matters, why. Deadlines are recorded as instants the application computed on the station's
working calendar; the aggregate only decides which stages are open, paused, met or breached.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict

#: Statuses from which nothing moves on.
FINAL = frozenset({"answered", "rejected", "withdrawn", "cancelled", "completed"})
#: Statuses in which matching has started (a reassessment re-matches).
MATCHING = frozenset({"accepted", "assigned", "matching_failed"})
#: Before an institution serves it, the enterprise may withdraw; after, only cancel.
WITHDRAWABLE = frozenset({"submitted", "awaiting_information", "accepted", "matching_failed"})
#: The stages whose time limits intake watches.
STAGES = ("first_response", "assessment", "follow_up")


def deadline(limit: float, started_at: str, due_at: str, warn_at: str) -> dict:
    """A stage's clock as the application computed it on the station's calendar."""
    return {"limit": limit, "started_at": started_at, "due_at": due_at, "warn_at": warn_at,
            "closed_at": None, "paused_remaining": None, "warned": False, "breached": False}


_IDEMPOTENT = uuid.UUID("9d2b6f1e-7c3a-4e58-b0d4-5a1f8c6e2b97")


class Demand(Aggregate):
    @staticmethod
    def create_id(idempotency_key: str | None, by: dict, **_) -> UUID:
        """Random, unless the submitter gave an Idempotency-Key: then the same key from the same
        submitter names the same demand, and a repeated submission cannot create a second."""
        if idempotency_key is None:
            return uuid.uuid4()
        return uuid.uuid5(_IDEMPOTENT, f"{by['role']}:{by['subject']}:{idempotency_key}")

    @event("DemandSubmitted")
    def __init__(self, station_id: UUID, enterprise: dict, park: str, category: str, title: str,
                 description: str, items: list[str], expected_by: date | None, channel: str,
                 consultation: bool, attachments: list[dict], excluded_institutions: list[UUID],
                 request_hash: str, idempotency_key: str | None, deadlines: dict, by: dict,
                 at: str, sub_item: str | None = None, details: dict | None = None,
                 catalogue_version: int | None = None):
        self.station_id = station_id
        self.enterprise = enterprise
        self.park = park
        self.category = category
        self.title = title
        self.description = description
        self.items = items
        self.expected_by = expected_by
        self.channel = channel
        self.consultation = consultation
        self.attachments = attachments
        self.excluded_institutions = excluded_institutions
        self.request_hash = request_hash
        self.submitted_by = by
        self.submitted_at = at
        # A copy: the event keeps what was recorded while the aggregate's clocks move on. A
        # clock is flat (``deadline``), so copying each is enough (a deep copy was a sixth of
        # a read-model rebuild).
        self.deadlines = {stage: dict(clock) for stage, clock in deadlines.items()}
        self.status = "submitted"
        self.updated_at = at
        self.matching_round = 0
        # The catalogue version it was submitted under decides its sub-items and what may
        # serve it; a demand recorded before the catalogue has none (free-text sub-items).
        self.catalogue_version = catalogue_version
        self.details = details or {}
        self.sub_items: list[str] = [sub_item] if sub_item else []
        self.urgency = "normal"
        self.assignment: dict | None = None
        self.unmatched_reasons: list[str] = []
        self.outcome: dict | None = None
        self.information: list[dict] = []
        self.follow_ups: list[dict] = []

    # Assessment ----------------------------------------------------------------------------
    def accept(self, category: str, items: list[str], sub_items: list[str], urgency: str,
               by: dict, at: str, reason: str | None = None, serving: dict | None = None,
               hall_closes_at: str | None = None) -> None:
        """Accept for matching; on a demand already in matching, reclassify and re-match.
        ``serving``: what matching decides with (``Intake._serving``); ``hall_closes_at``: the
        station lists demands of this category in its hall until then, and matching decides
        when the hall closes (docs/categories/demand-hall.md)."""
        serving = serving or {"qualification_kinds": None, "item_terms": None}
        if self.status in ("accepted", "assigned") and (category, items, sub_items, urgency) == (
                self.category, self.items, self.sub_items, self.urgency):
            raise Conflict(f"the demand is already {self.status} with this classification",
                           {"current_status": self.status})
        self._breach_lapsed(STAGES, at)
        if self.status in MATCHING:
            self._reclassified(category=category, items=items, sub_items=sub_items,
                               urgency=urgency, park=self.park, expected_by=self.expected_by,
                               excluded_institutions=self.excluded_institutions,
                               round=self.matching_round + 1, reason=reason,
                               hall_closes_at=hall_closes_at, by=by, at=at, **serving)
            return
        self._require({"submitted"}, "accept")
        self._accepted(category=category, items=items, sub_items=sub_items, urgency=urgency,
                       park=self.park, expected_by=self.expected_by,
                       excluded_institutions=self.excluded_institutions,
                       round=self.matching_round + 1, hall_closes_at=hall_closes_at, by=by, at=at,
                       **serving)

    # Events recorded before the catalogue carry no qualification_kinds nor item_terms.
    @event("DemandAccepted")
    def _accepted(self, category, items, sub_items, urgency, park, expected_by,
                  excluded_institutions, round, by, at, hall_closes_at=None, qualification_kinds=None,
                  item_terms=None):
        self._classify(category, items, sub_items, urgency, round, at)
        self._meet("first_response", at)
        self._meet("assessment", at)

    @event("DemandReclassified")
    def _reclassified(self, category, items, sub_items, urgency, park, expected_by,
                      excluded_institutions, round, reason, by, at, hall_closes_at=None,
                      qualification_kinds=None, item_terms=None):
        self._classify(category, items, sub_items, urgency, round, at)
        self.assignment = None
        self.unmatched_reasons = []
        follow_up = self.deadlines.get("follow_up")
        if follow_up and follow_up["closed_at"] is None:
            follow_up["closed_at"] = at  # the service it followed ended; the record stays

    def _classify(self, category, items, sub_items, urgency, round, at):
        """(Re)classified and handed to matching: a new matching round begins."""
        self.category, self.items, self.sub_items, self.urgency = category, items, sub_items, urgency
        self.status = "accepted"
        self.matching_round = round
        self.updated_at = at

    def answer(self, answer: str, by: dict, at: str) -> None:
        self._require({"submitted", "awaiting_information"}, "answer")
        self._breach_lapsed(("first_response", "assessment"), at)
        self._answered(answer=answer, by=by, at=at)

    @event("DemandAnswered")
    def _answered(self, answer, by, at):
        self.updated_at = at
        self.status = "answered"
        self.outcome = {"answer": answer}
        self._meet("first_response", at)
        self._meet("assessment", at)

    def reject(self, reason: str, by: dict, at: str) -> None:
        self._require({"submitted", "awaiting_information"}, "reject")
        self._breach_lapsed(("first_response", "assessment"), at)
        self._rejected(reason=reason, by=by, at=at)

    @event("DemandRejected")
    def _rejected(self, reason, by, at):
        self.updated_at = at
        self.status = "rejected"
        self.outcome = {"reason": reason}
        self._meet("first_response", at)
        self._meet("assessment", at)

    def request_information(self, questions: str, remaining: float, by: dict, at: str) -> None:
        """Ask the enterprise for more; the assessment clock stops with ``remaining`` left."""
        self._require({"submitted"}, "request information on")
        self._breach_lapsed(("first_response", "assessment"), at)
        self._information_requested(questions=questions, assessment_remaining=remaining,
                                    by=by, at=at)

    @event("InformationRequested")
    def _information_requested(self, questions, assessment_remaining, by, at):
        self.updated_at = at
        self.status = "awaiting_information"
        self.information.append({"questions": questions, "requested_at": at, "requested_by": by})
        self._meet("first_response", at)
        stage = self.deadlines.get("assessment")
        if stage and stage["closed_at"] is None:
            stage["paused_remaining"] = assessment_remaining

    def supply_information(self, information: str, attachments: list[dict], assessment: dict,
                           by: dict, at: str) -> None:
        """The enterprise answers; the assessment clock runs again from ``assessment``'s times."""
        self._require({"awaiting_information"}, "supply information to")
        self._information_supplied(information=information, attachments=attachments,
                                   assessment_due_at=assessment["due_at"],
                                   assessment_warn_at=assessment["warn_at"], by=by, at=at)

    @event("InformationSupplied")
    def _information_supplied(self, information, attachments, assessment_due_at,
                              assessment_warn_at, by, at):
        self.updated_at = at
        self.status = "submitted"
        self.information[-1].update(information=information, supplied_at=at, supplied_by=by)
        self.attachments = self.attachments + attachments
        stage = self.deadlines.get("assessment")
        if stage and stage["paused_remaining"] is not None:
            stage.update(paused_remaining=None, due_at=assessment_due_at, warn_at=assessment_warn_at)

    def paused_remaining(self, stage: str) -> float | None:
        found = self.deadlines.get(stage)
        return found["paused_remaining"] if found else None

    # Matching's outcome --------------------------------------------------------------------
    def assign(self, assignment_id: UUID, institution_id: UUID, follow_up: dict, at: str, *,
               promised_date: str | None = None, overridden: str | None = None) -> None:
        # After a failed round a specialist may still assign by hand.
        self._require({"accepted", "matching_failed"}, "assign an institution to")
        self._assigned(assignment_id=assignment_id, institution_id=institution_id,
                       follow_up=follow_up, promised_date=promised_date, overridden=overridden,
                       at=at)

    @event("DemandAssigned")
    def _assigned(self, assignment_id, institution_id, follow_up, promised_date, overridden, at):
        self.updated_at = at
        self.unmatched_reasons = []
        self.status = "assigned"
        self.assignment = {"assignment_id": assignment_id, "institution_id": institution_id,
                           "status": "assigned"}
        self.deadlines["follow_up"] = dict(follow_up)

    def record_matching_failure(self, reasons: list[str], at: str) -> None:
        self._require({"accepted"}, "record a matching failure of")
        self._matching_failed(reasons=reasons, at=at)

    @event("DemandMatchingFailed")
    def _matching_failed(self, reasons, at):
        self.updated_at = at
        self.status = "matching_failed"
        self.unmatched_reasons = reasons

    def complete(self, evidence: dict, at: str) -> None:
        self._require({"assigned"}, "complete")
        self._breach_lapsed(("follow_up",), at)
        self._completed(evidence=evidence, at=at)

    @event("DemandCompleted")
    def _completed(self, evidence, at):
        self.updated_at = at
        self.status = "completed"
        self.outcome = {"evidence": evidence}
        self.assignment = {**self.assignment, "status": "completed"}
        self._close_open_stages(at)

    # The enterprise changes its mind -------------------------------------------------------
    def withdraw(self, reason: str | None, by: dict, at: str) -> None:
        self._require(WITHDRAWABLE, "withdraw")
        self._breach_lapsed(STAGES, at)
        self._withdrawn(reason=reason, by=by, at=at)

    @event("DemandWithdrawn")
    def _withdrawn(self, reason, by, at):
        self.updated_at = at
        self.status = "withdrawn"
        self.outcome = {"reason": reason}
        self._close_open_stages(at)

    def cancel(self, reason: str, by: dict, at: str) -> None:
        self._require({"assigned"}, "cancel")
        self._breach_lapsed(STAGES, at)
        self._cancelled(reason=reason, by=by, at=at)

    @event("DemandCancelled")
    def _cancelled(self, reason, by, at):
        self.updated_at = at
        self.assignment = {**self.assignment, "status": "released"}
        self.status = "cancelled"
        self.outcome = {"reason": reason}
        self._close_open_stages(at)

    # Follow-up while in service ------------------------------------------------------------
    def record_follow_up(self, note: str, contact: str, channel: str, next_step_on: date | None,
                         next_follow_up: dict, by: dict, at: str) -> None:
        self._require({"assigned"}, "follow up")
        self._breach_lapsed(("first_response", "follow_up"), at)
        self._followed_up(note=note, contact=contact, channel=channel, next_step_on=next_step_on,
                          next_follow_up=next_follow_up, by=by, at=at)

    @event("FollowUpRecorded")
    def _followed_up(self, note, contact, channel, next_step_on, next_follow_up, by, at):
        self.updated_at = at
        self.follow_ups.append({"note": note, "contact": contact, "channel": channel,
                                "next_step_on": next_step_on, "by": by, "at": at})
        self._meet("first_response", at)
        self.deadlines["follow_up"] = dict(next_follow_up)

    # Time limits ---------------------------------------------------------------------------
    def open_stages(self) -> dict[str, dict]:
        """Stages whose clock is running: not met, not paused, and the demand not final."""
        if self.status in FINAL:
            return {}
        return {name: stage for name, stage in self.deadlines.items()
                if stage["closed_at"] is None and stage["paused_remaining"] is None}

    def warn(self, stage: str, at: str) -> bool:
        """Record the warning if the running stage's warning time has come by ``at``. The check
        is made on this very state: a stage restarted since the monitor looked is left alone."""
        found = self.open_stages().get(stage)
        if found is None or found["warned"] or found["breached"] or \
                datetime.fromisoformat(at) < datetime.fromisoformat(found["warn_at"]):
            return False
        self._deadline_approaching(stage=stage, due_at=found["due_at"], at=at)
        return True

    @event("DeadlineApproaching")
    def _deadline_approaching(self, stage, due_at, at):
        self.updated_at = at
        self.deadlines[stage]["warned"] = True

    def breach(self, stage: str, at: str) -> bool:
        found = self.open_stages().get(stage)
        if found is None or found["breached"] or \
                datetime.fromisoformat(at) < datetime.fromisoformat(found["due_at"]):
            return False
        self._deadline_breached(stage=stage, due_at=found["due_at"], at=at)
        return True

    @event("DeadlineBreached")
    def _deadline_breached(self, stage, due_at, at):
        self.updated_at = at
        self.deadlines[stage]["breached"] = True

    def overdue(self, now: datetime) -> bool:
        """A running stage is past its due time (whether or not the monitor recorded it yet)."""
        return any(now >= datetime.fromisoformat(stage["due_at"])
                   for stage in self.open_stages().values())

    def _breach_lapsed(self, stages, at: str) -> None:
        """A stage closed after its due time is recorded as breached first, whether or not the
        monitor's last check came after the lapse: the record must not depend on its timing."""
        moment = datetime.fromisoformat(at)
        for stage in stages:
            clock = self.open_stages().get(stage)
            if clock and not clock["breached"] and moment >= datetime.fromisoformat(clock["due_at"]):
                self._deadline_breached(stage=stage, due_at=clock["due_at"], at=at)

    def _meet(self, stage: str, at: str) -> None:
        found = self.deadlines.get(stage)
        if found and found["closed_at"] is None:
            found.update(closed_at=at, paused_remaining=None)

    def _close_open_stages(self, at: str) -> None:
        for stage in self.deadlines.values():
            if stage["closed_at"] is None:
                stage.update(closed_at=at, paused_remaining=None)

    def _require(self, statuses, action: str) -> None:
        if self.status not in statuses:
            raise Conflict(f"cannot {action} a demand that is {self.status}",
                           {"current_status": self.status})
