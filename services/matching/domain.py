"""Institutions and the match of each accepted demand to one of them."""
from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from datetime import date, datetime

from eventsourcing.domain import Aggregate, event

from services.matching.work import AWAITING_QUOTE, completion_problems, require_quote_answerable
from shared.catalogue import qualification_overlap
from shared.errors import Conflict, Invalid, NotFound
from shared.field_messages import said

_MATCHES = uuid.UUID("0b3f7f5e-2f7c-4d1a-9a51-6f2d0c9e8a41")
_INSTITUTIONS = uuid.UUID("c8f1d7a2-43b6-4e0f-b5a9-91d2e6f3a7c5")
#: Eligible candidates a decision event names with their scores (the chosen one besides).
SHORTLIST = 5


def explained(explanation: list[dict], chosen: str | None = None) -> dict:
    """What a decision event carries of its explanation: the best eligible candidates (and the
    chosen one), how many were excluded for each reason, how many were considered, and the
    digest under which the whole explanation is kept once in matching's store. An event then
    stays small with a thousand candidates."""
    eligible = sorted((line for line in explanation if line["eligible"]),
                      key=lambda line: (-line["score"], line["institution_id"]))
    shortlist = eligible[:SHORTLIST]
    shortlist += [line for line in eligible[SHORTLIST:] if line["institution_id"] == chosen]
    excluded = Counter(line["reason"] for line in explanation if not line["eligible"])
    return {"explanation": shortlist, "excluded": dict(sorted(excluded.items())),
            "considered": len(explanation), "explanation_digest": digest(explanation)}


def digest(explanation: list[dict]) -> str:
    canonical = json.dumps(explanation, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


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
                 capacity: int, auto_accept_offers: bool, price_list: list[dict],
                 registered_by: dict, reviewed: bool, track_record: list[dict] | None = None):
        self.name = name
        self.credit_code = credit_code
        self.categories = categories
        self.qualifications = [{**q, "status": "valid", "expiry_warned": False}
                               for q in qualifications]
        self.parks = parks
        self.home_park = home_park
        self.capacity = capacity
        self.auto_accept_offers = auto_accept_offers
        self.price_list = price_list
        self.registered_by = registered_by
        #: projects it did (title, client, year, summary): what it serves on where the catalogue
        #: asks no statutory qualification
        self.track_record = track_record or []
        # Registered by the station's staff it is reviewed at once; an institution's own
        # application waits for a specialist's or an operator's review.
        self.status = "active" if reviewed else "applied"
        self.status_reason: str | None = None
        self.satisfaction: float | None = None
        self.on_time_rate: float | None = None

    @event("InstitutionProfileChanged")
    def change_profile(self, changes: dict, reason: str, by: dict, at: str) -> None:
        """Its contact, capacity, prices or whether its systems accept offers as they come."""
        for key, value in changes.items():
            setattr(self, key, value)

    def qualification(self, number: str) -> dict:
        for found in self.qualifications:
            if found["number"] == number:
                return found
        raise NotFound(f"no qualification {number} of institution {self.id}")

    @event("InstitutionRatingRecorded")
    def record_rating(self, satisfaction: float | None, feedback_count: int,
                      on_time_rate: float | None, completed_count: int) -> None:
        """Evaluation's rates, kept here so matching's own log carries what it weighs."""
        self.satisfaction = satisfaction
        self.on_time_rate = on_time_rate

    # Standing ------------------------------------------------------------------------------
    def review(self, approve: bool, reason: str, by: dict, at: str) -> None:
        # A rejected applicant may be reviewed again once it has put things right.
        self._require({"applied", "rejected"}, "review")
        self._reviewed(approved=approve, reason=reason, by=by, at=at)

    @event("InstitutionReviewed")
    def _reviewed(self, approved, reason, by, at):
        self.status, self.status_reason = ("active" if approved else "rejected"), reason

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
    """The matching of one demand, round after round, and the assignment it leads to.

    Intake opens a round each time it accepts or reclassifies the demand. In a round, matching
    offers the demand to the best candidate; a declined or expired offer moves to the next one
    (the institutions already asked are excluded); the round fails when no candidate is left or
    after ``max_offers`` offers. An accepted offer (or a specialist's manual assignment) is the
    assignment: in service, with progress records, until completed or released.

    Its id derives from the demand's, so a demand can never be matched twice by accident.

    A demand of a category its station lists in the demand hall waits there until the hall
    closes (``hall``): institutions express interest, and the round is decided when the hall
    closes, preferring the interested (docs/categories/demand-hall.md).
    """

    #: The round's listing in the demand hall, if it had one (a class default: matches
    #: recorded before the hall have none).
    hall: dict | None = None

    @staticmethod
    def create_id(demand_id: uuid.UUID, **_) -> uuid.UUID:
        return uuid.uuid5(_MATCHES, str(demand_id))

    # ``qualification_kinds`` and ``item_terms``: what the demand's catalogue version says may
    # serve it (intake resolves them); None in events recorded before the catalogue.
    @event("MatchingStarted")
    def __init__(self, demand_id: uuid.UUID, category: str, items: list[str], park: str,
                 expected_by: date | None, excluded_institutions: list[uuid.UUID], round: int,
                 qualification_kinds: list[str] | None = None, item_terms: dict | None = None):
        self.demand_id = demand_id
        self.decisions: list[dict] = []
        self.current: dict | None = None
        self.closed = False
        #: Whole explanations decided since this match was loaded, by digest, for the store to
        #: keep (services/matching/readmodel.py); never part of an event.
        self.explained: dict[str, list[dict]] = {}
        #: Each offer and assignment of this match as its institution sees it (no contact
        #: details), by assignment id: a few per match, the rows of the institutions' lists.
        self.assignments: dict[str, dict] = {}
        self._open(category, items, park, expected_by, excluded_institutions, round,
                   qualification_kinds, item_terms)

    def restart(self, category: str, items: list[str], park: str, expected_by: date | None,
                excluded_institutions: list[uuid.UUID], round: int, at: str,
                qualification_kinds: list[str] | None = None, item_terms: dict | None = None) -> None:
        self.close_hall("the demand was reassessed", at)
        self.release("the demand was reassessed", at)
        self._restarted(demand_id=self.demand_id, category=category, items=items, park=park,
                        expected_by=expected_by, excluded_institutions=excluded_institutions,
                        round=round, qualification_kinds=qualification_kinds, item_terms=item_terms)

    @event("MatchingRestarted")
    def _restarted(self, demand_id, category, items, park, expected_by, excluded_institutions,
                   round, qualification_kinds=None, item_terms=None):
        self._open(category, items, park, expected_by, excluded_institutions, round,
                   qualification_kinds, item_terms)

    def _open(self, category, items, park, expected_by, excluded_institutions, round,
              qualification_kinds, item_terms):
        self.qualification_kinds, self.item_terms = qualification_kinds, item_terms
        self.category, self.items, self.park = category, items, park
        self.expected_by, self.round = expected_by, round
        self.excluded = [str(i) for i in excluded_institutions]
        self.reasons: list[str] = []
        self.asked: list[str] = []  # institutions offered the demand in this round

    @property
    def institution_id(self) -> uuid.UUID | None:
        return self.current["institution_id"] if self.current else None

    # Offers --------------------------------------------------------------------------------
    def offer(self, institution_id: uuid.UUID, respond_by: str, explanation: list[dict],
              weights: dict, at: str) -> None:
        self._offered(demand_id=self.demand_id, institution_id=institution_id,
                      assignment_id=uuid.uuid5(self.id, f"{self.round}:{len(self.asked) + 1}"),
                      round=self.round, respond_by=respond_by, weights=weights, at=at,
                      interested=self.interested, **self._explain(explanation, str(institution_id)))

    def _explain(self, explanation: list[dict], chosen: str | None = None) -> dict:
        carried = explained(explanation, chosen)
        self.explained[carried["explanation_digest"]] = explanation
        return carried

    # Events recorded before explanations were kept by digest carry every candidate in
    # ``explanation`` and no digest: their decision shows that list as it is.
    @event("AssignmentOffered")
    def _offered(self, demand_id, institution_id, assignment_id, round, respond_by, explanation,
                 weights, at, explanation_digest=None, excluded=None, considered=None,
                 interested=None):
        self.asked.append(str(institution_id))
        self.current = {"assignment_id": assignment_id, "institution_id": institution_id,
                        "status": "offered", "respond_by": respond_by, "offered_at": at,
                        "promised_date": None, "progress": [], "evidence": None, "manual": None}
        self._seen_by_institution(assignment_id, institution_id, "offered", respond_by)
        self.decisions.append({"round": round, "outcome": "offered", "answer": None,
                               "institution_id": str(institution_id), "candidates": explanation,
                               "explanation_digest": explanation_digest, "weights": weights,
                               "interested": interested or [], "at": at})

    def accept(self, assignment_id: uuid.UUID, promised_date: date | None, by: dict, at: str,
               awaits_quote: bool = False) -> None:
        """``awaits_quote``: the category quotes before work (MATCHING.quote_categories)."""
        self._require_current(assignment_id, "offered", "accept")
        self._assigned(demand_id=self.demand_id, institution_id=self.current["institution_id"],
                       assignment_id=assignment_id, round=self.round,
                       promised_date=promised_date, manual=None, by=by, at=at,
                       awaits_quote=awaits_quote)

    def assign_manually(self, institution_id: uuid.UUID, reason: str, overridden: str | None,
                        promised_date: date | None, by: dict, at: str,
                        awaits_quote: bool = False) -> None:
        """A specialist's choice once the round failed; ``overridden`` names the constraint a
        supervisor set aside, if any."""
        if self.closed:
            raise Conflict("the demand was withdrawn or cancelled", {"current_status": "closed"})
        if self.current is not None or not self.decisions or self.decisions[-1]["outcome"] != "failed":
            status = self.current["status"] if self.current else "matching"
            raise Conflict("a demand is assigned by hand only after its matching round failed",
                           {"current_status": status})
        self._assigned(demand_id=self.demand_id, institution_id=institution_id,
                       assignment_id=uuid.uuid5(self.id, f"{self.round}:manual:{institution_id}"),
                       round=self.round, promised_date=promised_date,
                       manual={"reason": reason, "overridden": overridden}, by=by, at=at,
                       awaits_quote=awaits_quote)

    # Assignments recorded before quotes carry no ``awaits_quote``: they began in service.
    @event("InstitutionAssigned")
    def _assigned(self, demand_id, institution_id, assignment_id, round, promised_date, manual,
                  by, at, awaits_quote=False):
        if manual is not None:
            self.current = {"assignment_id": assignment_id, "institution_id": institution_id,
                            "offered_at": None, "respond_by": None, "progress": [],
                            "evidence": None}
            self._seen_by_institution(assignment_id, institution_id, "in_service", None)
            self.decisions.append({"round": round, "outcome": "assigned manually",
                                   "answer": None, "institution_id": str(institution_id),
                                   "candidates": [], "reasons": [manual["reason"]],
                                   "overridden": manual["overridden"], "by": by, "at": at})
        else:
            self.decisions[-1]["answer"] = "accepted"
        status = AWAITING_QUOTE if awaits_quote else "in_service"
        self.current.update(status=status, promised_date=promised_date, manual=manual, quote=None,
                            samples=[])
        self.assignments[str(assignment_id)].update(
            status=status, promised_date=promised_date.isoformat() if promised_date else None)

    def _seen_by_institution(self, assignment_id, institution_id, status, respond_by) -> None:
        self.assignments[str(assignment_id)] = {
            "assignment_id": str(assignment_id), "institution_id": str(institution_id),
            "demand_id": str(self.demand_id), "category": self.category, "items": self.items,
            "park": self.park, "expected_by": self.expected_by.isoformat() if self.expected_by else None,
            "status": status, "respond_by": respond_by, "promised_date": None, "progress": [],
            "evidence": None, "quote": None, "samples": []}

    def decline(self, assignment_id: uuid.UUID, reason: str, by: dict, at: str) -> None:
        self._require_current(assignment_id, "offered", "decline")
        self._declined(demand_id=self.demand_id, institution_id=self.current["institution_id"],
                       assignment_id=assignment_id, reason=reason, by=by, at=at)

    @event("OfferDeclined")
    def _declined(self, demand_id, institution_id, assignment_id, reason, by, at):
        self.assignments[str(assignment_id)]["status"] = "declined"
        self.current = None
        self.decisions[-1]["answer"] = "declined"

    def expire(self, assignment_id: uuid.UUID, at: str) -> bool:
        if not self.current or self.current["assignment_id"] != assignment_id \
                or self.current["status"] != "offered" \
                or datetime.fromisoformat(at) < datetime.fromisoformat(self.current["respond_by"]):
            return False
        self._expired(demand_id=self.demand_id, institution_id=self.current["institution_id"],
                      assignment_id=assignment_id, respond_by=self.current["respond_by"], at=at)
        return True

    @event("OfferExpired")
    def _expired(self, demand_id, institution_id, assignment_id, respond_by, at):
        self.assignments[str(assignment_id)]["status"] = "expired"
        self.current = None
        self.decisions[-1]["answer"] = "expired"

    def fail(self, reasons: list[str], explanation: list[dict], weights: dict) -> None:
        self._failed(demand_id=self.demand_id, reasons=reasons, round=self.round,
                     weights=weights, interested=self.interested, **self._explain(explanation))

    @event("MatchingFailed")
    def _failed(self, demand_id, reasons, round, explanation, weights, explanation_digest=None,
                excluded=None, considered=None, interested=None):
        self.reasons = reasons
        self.decisions.append({"round": round, "outcome": "failed", "answer": None,
                               "reasons": reasons, "candidates": explanation,
                               "explanation_digest": explanation_digest, "weights": weights,
                               "interested": interested or []})

    # The service ---------------------------------------------------------------------------
    def record_progress(self, assignment_id: uuid.UUID, milestone: str, note: str | None,
                        by: dict, at: str) -> None:
        self._require_current(assignment_id, "in_service", "record progress on")
        self._progressed(demand_id=self.demand_id, assignment_id=assignment_id,
                         milestone=milestone, note=note, by=by, at=at)

    @event("ServiceProgressRecorded")
    def _progressed(self, demand_id, assignment_id, milestone, note, by, at):
        self.current["progress"].append({"milestone": milestone, "note": note, "at": at})
        seen = self.assignments[str(assignment_id)]
        seen["progress"] = [*seen["progress"], {"milestone": milestone, "note": note, "at": at}]

    # The quote (testing and certification) ------------------------------------------------
    def give_quote(self, assignment_id: uuid.UUID, quote: dict, today: date, by: dict,
                   at: str) -> None:
        """The institution's price for the work; a declined or lapsed quote may be revised,
        one awaiting the enterprise's answer may not be replaced under it."""
        self._require_current(assignment_id, AWAITING_QUOTE, "quote for")
        pending = self.current.get("quote")
        if pending and pending["answer"] is None \
                and today <= date.fromisoformat(pending["valid_until"]):
            raise Conflict("a quote awaits the enterprise's answer",
                           {"current_status": AWAITING_QUOTE, "quote_status": "awaiting_answer"})
        self._quote_given(demand_id=self.demand_id, institution_id=self.current["institution_id"],
                          assignment_id=assignment_id,
                          revision=(pending["revision"] + 1) if pending else 1,
                          amount=quote["amount"], items=quote["items"],
                          valid_until=quote["valid_until"], note=quote["note"], by=by, at=at)

    @event("QuoteGiven")
    def _quote_given(self, demand_id, institution_id, assignment_id, revision, amount, items,
                     valid_until, note, by, at):
        self._seen_quote({"revision": revision, "amount": amount, "items": items,
                          "valid_until": valid_until.isoformat(), "note": note, "answer": None,
                          "given_at": at, "answered_at": None, "answered_by": None,
                          "reason": None})

    def accept_quote(self, today: date, by: dict, at: str) -> None:
        self._require_answerable(today)
        quote = self.current["quote"]
        self._quote_accepted(demand_id=self.demand_id, institution_id=self.current["institution_id"],
                             assignment_id=self.current["assignment_id"],
                             revision=quote["revision"], amount=quote["amount"], by=by, at=at)

    @event("QuoteAccepted")
    def _quote_accepted(self, demand_id, institution_id, assignment_id, revision, amount, by, at):
        self._seen_quote({**self.current["quote"], "answer": "accepted", "answered_at": at,
                          "answered_by": by})
        self.current["status"] = "in_service"
        self.assignments[str(assignment_id)]["status"] = "in_service"

    def decline_quote(self, reason: str, today: date, by: dict, at: str) -> None:
        self._require_answerable(today)
        quote = self.current["quote"]
        self._quote_declined(demand_id=self.demand_id, institution_id=self.current["institution_id"],
                             assignment_id=self.current["assignment_id"],
                             revision=quote["revision"], amount=quote["amount"], reason=reason,
                             by=by, at=at)

    @event("QuoteDeclined")
    def _quote_declined(self, demand_id, institution_id, assignment_id, revision, amount, reason,
                        by, at):
        self._seen_quote({**self.current["quote"], "answer": "declined", "answered_at": at,
                          "answered_by": by, "reason": reason})

    def _require_answerable(self, today: date) -> None:
        if self.current is None:
            raise Conflict("the demand has no institution serving it", {"current_status": None})
        require_quote_answerable(self.current.get("quote"), self.current["status"], today)

    def _seen_quote(self, quote: dict) -> None:
        self.current["quote"] = quote
        self.assignments[str(self.current["assignment_id"])]["quote"] = quote

    # Samples (testing) -----------------------------------------------------------------------
    def receive_sample(self, assignment_id: uuid.UUID, sample: dict, by: dict, at: str) -> None:
        self._require_current(assignment_id, "in_service", "receive samples for")
        if any(s["sample_id"] == sample["sample_id"] for s in self.current.get("samples", ())):
            raise Conflict(f"sample {sample['sample_id']} is already recorded",
                           {"sample_id": sample["sample_id"]})
        self._sample_received(demand_id=self.demand_id, assignment_id=assignment_id,
                              sample_id=sample["sample_id"], description=sample["description"],
                              quantity=sample["quantity"], received_on=sample["received_on"],
                              condition=sample["condition"], by=by, at=at)

    @event("SampleReceived")
    def _sample_received(self, demand_id, assignment_id, sample_id, description, quantity,
                         received_on, condition, by, at):
        self._seen_samples([*self.current.get("samples", ()), {
            "sample_id": sample_id, "description": description, "quantity": quantity,
            "received_on": received_on.isoformat(), "condition": condition,
            "disposition": None, "disposed_on": None, "note": None}])

    def dispose_sample(self, assignment_id: uuid.UUID, sample_id: str, disposition: str,
                       on: date, note: str | None, by: dict, at: str) -> None:
        """A sample returned to the enterprise or disposed of, during the service or after."""
        if not self.current or self.current["assignment_id"] != assignment_id:
            raise Conflict(f"assignment {assignment_id} is no longer current",
                           {"current_status": "released"})
        found = [s for s in self.current.get("samples", ()) if s["sample_id"] == sample_id]
        if not found:
            raise NotFound(f"no sample {sample_id} on assignment {assignment_id}")
        if found[0]["disposition"]:
            raise Conflict(f"sample {sample_id} was already {found[0]['disposition']}",
                           {"disposition": found[0]["disposition"]})
        if on < date.fromisoformat(found[0]["received_on"]):
            raise Invalid("a sample leaves after it arrived", {"on": [said("before_received")]})
        self._sample_disposed(demand_id=self.demand_id, assignment_id=assignment_id,
                              sample_id=sample_id, disposition=disposition, on=on, note=note,
                              by=by, at=at)

    @event("SampleDispositionRecorded")
    def _sample_disposed(self, demand_id, assignment_id, sample_id, disposition, on, note, by, at):
        self._seen_samples([{**s, "disposition": disposition, "disposed_on": on.isoformat(),
                             "note": note} if s["sample_id"] == sample_id else s
                            for s in self.current["samples"]])

    def _seen_samples(self, samples: list[dict]) -> None:
        self.current["samples"] = samples
        self.assignments[str(self.current["assignment_id"])]["samples"] = samples

    def complete(self, assignment_id: uuid.UUID, evidence: dict, by: dict, at: str) -> None:
        self._require_current(assignment_id, "in_service", "complete")
        completion_problems(self.category, evidence)
        self._completed(demand_id=self.demand_id, institution_id=self.current["institution_id"],
                        assignment_id=assignment_id, evidence=evidence, by=by, at=at)

    @event("ServiceCompleted")
    def _completed(self, demand_id, institution_id, assignment_id, evidence, by, at):
        self.current.update(status="completed", evidence=evidence)
        self.assignments[str(assignment_id)].update(status="completed", evidence=evidence)

    @property
    def holds_capacity(self) -> bool:
        return self.current is not None and self.current["status"] in (
            "offered", AWAITING_QUOTE, "in_service")

    def release(self, reason: str, at: str) -> None:
        """End an offer or a service before completion (withdrawn, cancelled, reassessed)."""
        if self.holds_capacity:
            self._released(demand_id=self.demand_id, institution_id=self.current["institution_id"],
                           assignment_id=self.current["assignment_id"], reason=reason, at=at)

    @event("AssignmentReleased")
    def _released(self, demand_id, institution_id, assignment_id, reason, at):
        self.assignments[str(assignment_id)]["status"] = "released"
        self.current = None

    def close(self, reason: str, at: str) -> None:
        """The demand was withdrawn or cancelled: nothing more is matched or assigned."""
        self.close_hall(reason, at)
        self.release(reason, at)
        self._closed(demand_id=self.demand_id, reason=reason, at=at)

    @event("MatchingClosed")
    def _closed(self, demand_id, reason, at):
        self.closed = True

    # The demand hall ------------------------------------------------------------------------
    def open_hall(self, closes_at: str, notified: list[str], at: str) -> None:
        """List the round in the hall until ``closes_at``; ``notified``: the institutions told
        of it (those eligible when it opened)."""
        self._hall_opened(demand_id=self.demand_id, category=self.category, items=self.items,
                          park=self.park, expected_by=self.expected_by, round=self.round,
                          closes_at=closes_at, notified=notified, at=at)

    @event("HallOpened")
    def _hall_opened(self, demand_id, category, items, park, expected_by, round, closes_at,
                     notified, at):
        self.hall = {"round": round, "opened_at": at, "closes_at": closes_at, "open": True,
                     "closed_at": None, "closed_because": None, "interests": {}}

    @property
    def in_hall(self) -> bool:
        return self.hall is not None and self.hall["open"]

    @property
    def interested(self) -> list[str]:
        """The institutions interested in this round, which its decisions prefer."""
        if self.hall is None or self.hall["round"] != self.round:
            return []
        return sorted(self.hall["interests"])

    def express_interest(self, institution_id: uuid.UUID, note: str, proposed_date: date | None,
                         by: dict, at: str) -> None:
        self._require_hall_open(at)
        if str(institution_id) in self.hall["interests"]:
            raise Conflict("the institution already expressed interest in this demand",
                           {"current_status": "interested"})
        self._interest_expressed(demand_id=self.demand_id, institution_id=institution_id,
                                 round=self.round, note=note, proposed_date=proposed_date,
                                 by=by, at=at)

    @event("InterestExpressed")
    def _interest_expressed(self, demand_id, institution_id, round, note, proposed_date, by, at):
        self.hall["interests"][str(institution_id)] = {
            "institution_id": str(institution_id), "note": note,
            "proposed_date": proposed_date.isoformat() if proposed_date else None, "at": at}

    def withdraw_interest(self, institution_id: uuid.UUID, by: dict, at: str) -> None:
        self._require_hall_open(at)
        if str(institution_id) not in self.hall["interests"]:
            raise Conflict("the institution has not expressed interest in this demand",
                           {"current_status": "not_interested"})
        self._interest_withdrawn(demand_id=self.demand_id, institution_id=institution_id,
                                 round=self.round, by=by, at=at)

    @event("InterestWithdrawn")
    def _interest_withdrawn(self, demand_id, institution_id, round, by, at):
        del self.hall["interests"][str(institution_id)]

    def close_hall(self, because: str, at: str, by: dict | None = None) -> bool:
        """Take the round out of the hall (its window ended, a specialist closed it, the demand
        was reassessed, withdrawn or cancelled); False if it was not in the hall."""
        if not self.in_hall:
            return False
        self._hall_closed(demand_id=self.demand_id, round=self.hall["round"],
                          interested=sorted(self.hall["interests"]), because=because,
                          by=by or {"role": "system", "subject": "matching"}, at=at)
        return True

    @event("HallClosed")
    def _hall_closed(self, demand_id, round, interested, because, by, at):
        self.hall.update(open=False, closed_at=at, closed_because=because)

    def _require_hall_open(self, at: str) -> None:
        if not self.in_hall:
            raise Conflict("the demand is not in the hall", {"current_status": "not_in_hall"})
        if datetime.fromisoformat(at) >= datetime.fromisoformat(self.hall["closes_at"]):
            raise Conflict("the demand's time in the hall has ended", {"current_status": "hall_closed"})

    def _require_current(self, assignment_id, status: str, action: str) -> None:
        if not self.current or self.current["assignment_id"] != assignment_id:
            raise Conflict(f"assignment {assignment_id} is no longer current",
                           {"current_status": "released"})
        if self.current["status"] != status:
            raise Conflict(f"cannot {action} an assignment that is {self.current['status']}",
                           {"current_status": self.current["status"]})
