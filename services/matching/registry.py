"""The institutions matching chooses from: an in-memory read model of matching's own log.

Reading aggregates from the store for every demand would cost one query per institution; the
registry instead folds matching's own notifications into ``Profile`` values (indexed by the
categories they serve), catching up on the log before each decision, so every replica sees
every replica's assignments, suspensions and expiries.
"""
from __future__ import annotations

from uuid import UUID

from services.matching.domain import Institution, Match
from services.matching.selection import Profile
from shared.eventstore import OwnLogFold


class Registry(OwnLogFold):
    def __init__(self, app):
        super().__init__(app)
        self.profiles: dict[str, Profile] = {}
        self.by_category: dict[str, set[str]] = {}
        #: what each institution sees of the demands offered or assigned to it (no PII)
        self.assignments: dict[str, dict] = {}
        self.match_of_assignment: dict[str, UUID] = {}
        self._matches: dict[UUID, dict] = {}
        self._sequence = 0

    def serving(self, category: str) -> list[Profile]:
        return [self.profiles[i] for i in sorted(self.by_category.get(category, ()))]

    def open_offers(self) -> list[dict]:
        return [a for a in self.assignments.values() if a["status"] == "offered"]

    def fold(self, domain_event) -> None:
        kind = type(domain_event).__name__
        if kind == "InstitutionRegistered":
            self._register(domain_event)
        elif kind in ("MatchingStarted", "MatchingRestarted"):
            self._matches[domain_event.originator_id] = {
                "demand_id": str(domain_event.demand_id), "category": domain_event.category,
                "items": domain_event.items, "park": domain_event.park,
                "expected_by": _iso(domain_event.expected_by)}
        elif kind in ASSIGNMENT_EVENTS:
            self._follow_assignment(kind, domain_event)
        else:
            self._change_institution(kind, domain_event)

    def _register(self, registered) -> None:
        profile = Profile(
            id=str(registered.originator_id),
            categories=frozenset(registered.categories),
            parks=frozenset(registered.parks),
            capacity=registered.capacity,
            qualifications=tuple({**q, "status": "valid"} for q in registered.qualifications),
            home_park=registered.home_park,
            accepts_offers=registered.auto_accept_offers,
            status="active" if registered.reviewed else "applied",
        )
        self.profiles[profile.id] = profile
        for category in profile.categories:
            self.by_category.setdefault(category, set()).add(profile.id)

    def _change_institution(self, kind: str, changed) -> None:
        profile = self.profiles.get(str(changed.originator_id))
        if profile is None:
            return
        if kind in STANDING:
            profile.status = STANDING[kind]
        elif kind == "InstitutionReviewed":
            profile.status = "active" if changed.approved else "rejected"
        elif kind == "InstitutionRatingRecorded":
            profile.satisfaction = changed.satisfaction
            profile.on_time = changed.on_time_rate
        elif kind == "QualificationAdded":
            profile.qualifications += ({**changed.qualification, "status": "valid"},)
        elif kind in ("QualificationStatusChanged", "QualificationExpired"):
            status = "expired" if kind == "QualificationExpired" else changed.status
            profile.qualifications = tuple(
                {**q, "status": status} if q["number"] == changed.number else q
                for q in profile.qualifications)

    def _follow_assignment(self, kind: str, happened) -> None:
        key = str(happened.assignment_id)
        profile = self.profiles.get(str(happened.institution_id)) if hasattr(
            happened, "institution_id") else None
        if kind == "AssignmentOffered" or (kind == "InstitutionAssigned" and happened.manual):
            self._sequence += 1
            if profile is not None:
                profile.open_assignments += 1
                profile.assignments_total += 1
                profile.last_assigned = self._sequence
                profile.offers += kind == "AssignmentOffered"
            self.match_of_assignment[key] = happened.originator_id
            self.assignments[key] = {
                "assignment_id": key, "institution_id": str(happened.institution_id),
                **self._matches[happened.originator_id], "status": "offered",
                "respond_by": getattr(happened, "respond_by", None), "promised_date": None,
                "progress": [], "evidence": None}
        assignment = self.assignments.get(key)
        if assignment is None:
            return
        assignment["status"] = ASSIGNMENT_EVENTS[kind]
        if kind == "InstitutionAssigned":
            assignment["promised_date"] = _iso(happened.promised_date)
        elif kind == "ServiceProgressRecorded":
            assignment["progress"].append({"milestone": happened.milestone, "note": happened.note,
                                           "at": happened.at})
        elif kind == "ServiceCompleted":
            assignment["evidence"] = happened.evidence
        if kind in ("OfferDeclined", "OfferExpired", "AssignmentReleased", "ServiceCompleted") \
                and profile is not None:
            profile.open_assignments -= 1
            profile.refusals += kind in ("OfferDeclined", "OfferExpired")


#: The standing an institution has after each of these events.
STANDING = {
    Institution.InstitutionSuspended.__name__: "suspended",
    Institution.InstitutionReinstated.__name__: "active",
    Institution.InstitutionExited.__name__: "exited",
}

#: The status an assignment has after each of these events.
ASSIGNMENT_EVENTS = {
    Match.AssignmentOffered.__name__: "offered",
    Match.InstitutionAssigned.__name__: "in_service",
    Match.OfferDeclined.__name__: "declined",
    Match.OfferExpired.__name__: "expired",
    Match.ServiceProgressRecorded.__name__: "in_service",
    Match.ServiceCompleted.__name__: "completed",
    Match.AssignmentReleased.__name__: "released",
}


def _iso(day) -> str | None:
    return day.isoformat() if day else None
