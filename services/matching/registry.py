"""The institutions matching chooses from: an in-memory read model of matching's own log.

Reading aggregates from the store for every demand would cost one query per institution; the
registry instead folds matching's own notifications (registrations and assignments) into
``Profile`` values, catching up on the log before each decision, so every replica sees every
replica's assignments.
"""
from __future__ import annotations

from services.matching.domain import Institution, Match
from services.matching.selection import Profile


class Registry:
    def __init__(self, app):
        self._app = app
        self._position = 0
        self.profiles: dict[str, Profile] = {}

    def refresh(self) -> None:
        while True:
            notifications = self._app.recorder.select_notifications(
                start=self._position, limit=1000, inclusive_of_start=False)
            for notification in notifications:
                self._fold(self._app.mapper.to_domain_event(notification))
                self._position = notification.id
            if len(notifications) < 1000:
                return

    def _fold(self, domain_event) -> None:
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
