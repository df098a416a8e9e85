"""The institutions matching chooses from: an in-memory read model of matching's own log.

Reading aggregates from the store for every demand would cost one query per institution; the
registry instead folds matching's own notifications (registrations and assignments) into
``Profile`` values, catching up on the log before each decision, so every replica sees every
replica's assignments.
"""
from __future__ import annotations

from services.matching.domain import Institution, Match
from services.matching.selection import Profile
from shared.eventstore import OwnLogFold


class Registry(OwnLogFold):
    def __init__(self, app):
        super().__init__(app)
        self.profiles: dict[str, Profile] = {}

    def fold(self, domain_event) -> None:
        if isinstance(domain_event, Institution.InstitutionRegistered):
            self.profiles[str(domain_event.originator_id)] = Profile(
                id=str(domain_event.originator_id),
                categories=frozenset(domain_event.categories),
                parks=frozenset(domain_event.parks),
                capacity=domain_event.capacity,
                qualifications=tuple(domain_event.qualifications),
            )
        elif isinstance(domain_event, Match.InstitutionAssigned):
            profile = self.profiles.get(str(domain_event.institution_id))
            if profile is not None:
                profile.open_assignments += 1
                profile.assignments_total += 1
        elif isinstance(domain_event, Match.AssignmentReleased):
            profile = self.profiles.get(str(domain_event.institution_id))
            if profile is not None:
                profile.open_assignments -= 1
