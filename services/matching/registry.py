"""The institutions matching chooses from: an in-memory read model of matching's own log.

Reading aggregates from the store for every demand would cost one query per institution; the
registry instead folds matching's own notifications into ``Profile`` values (indexed by the
categories they serve), catching up on the log before each decision, so every replica sees
every replica's assignments, suspensions and expiries.
"""
from __future__ import annotations

from services.matching.domain import Institution, Match
from services.matching.selection import Profile
from shared.eventstore import OwnLogFold


class Registry(OwnLogFold):
    def __init__(self, app):
        super().__init__(app)
        self.profiles: dict[str, Profile] = {}
        self.by_category: dict[str, set[str]] = {}
        self._assignments = 0

    def serving(self, category: str) -> list[Profile]:
        return [self.profiles[i] for i in sorted(self.by_category.get(category, ()))]

    def fold(self, domain_event) -> None:
        kind = type(domain_event).__name__
        if kind == "InstitutionRegistered":
            profile = Profile(
                id=str(domain_event.originator_id),
                categories=frozenset(domain_event.categories),
                parks=frozenset(domain_event.parks),
                capacity=domain_event.capacity,
                qualifications=tuple({**q, "status": "valid"} for q in domain_event.qualifications),
                home_park=domain_event.home_park,
            )
            self.profiles[profile.id] = profile
            for category in profile.categories:
                self.by_category.setdefault(category, set()).add(profile.id)
            return
        profile = self.profiles.get(str(getattr(domain_event, "institution_id", None)
                                        or domain_event.originator_id))
        if profile is None:
            return
        if kind in STANDING:
            profile.status = STANDING[kind]
        elif kind == "QualificationAdded":
            profile.qualifications += ({**domain_event.qualification, "status": "valid"},)
        elif kind in ("QualificationStatusChanged", "QualificationExpired"):
            status = "expired" if kind == "QualificationExpired" else domain_event.status
            profile.qualifications = tuple(
                {**q, "status": status} if q["number"] == domain_event.number else q
                for q in profile.qualifications)
        elif isinstance(domain_event, Match.InstitutionAssigned):
            self._assignments += 1
            profile.open_assignments += 1
            profile.assignments_total += 1
            profile.last_assigned = self._assignments
        elif isinstance(domain_event, Match.AssignmentReleased):
            profile.open_assignments -= 1


#: The standing an institution has after each of these events.
STANDING = {
    Institution.InstitutionSuspended.__name__: "suspended",
    Institution.InstitutionReinstated.__name__: "active",
    Institution.InstitutionExited.__name__: "exited",
}
