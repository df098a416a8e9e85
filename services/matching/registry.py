"""The institutions matching chooses from: their profiles in memory, folded from matching's own
log and resumed from a snapshot.

A decision weighs thousands of institutions within milliseconds, so their profiles (standing,
qualifications, capacity, load and record) are held in memory, indexed by the categories they
serve, and caught up on the log before each decision: every replica sees every replica's
assignments, suspensions and expiries. What it holds grows with the number of institutions,
not with history (the institutions' lists of assignments are rows, readmodel.py).

Every ``SNAPSHOT_EVERY`` notifications the fold is saved with the position it reached, so a
restart loads that and folds only what came after: the lag, not the history.
"""
from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date

from services.matching.domain import Institution, Match
from services.matching.selection import Profile
from shared.eventstore import OwnLogFold
from shared.readmodel import upsert

#: Notifications folded between two snapshots (a restart folds at most about this many).
SNAPSHOT_EVERY = 1000
#: The snapshot's layout; a snapshot of another layout is ignored and the log folded again.
FORMAT = 1


class Registry(OwnLogFold):
    def __init__(self, app):
        super().__init__(app)
        self.profiles: dict[str, Profile] = {}
        self.by_category: dict[str, set[str]] = {}
        self._sequence = 0
        self._resumed = False
        self._snapshotted = 0

    def serving(self, category: str) -> list[Profile]:
        return [self.profiles[i] for i in sorted(self.by_category.get(category, ()))]

    def refresh(self) -> None:
        if not self._resumed:
            self._resume()
        super().refresh()
        if self._position - self._snapshotted >= SNAPSHOT_EVERY:
            self._snapshot()

    def _resume(self) -> None:
        with self._lock:
            found = self._app.read("SELECT * FROM {s}registry_snapshot WHERE id = 1")
            if found and found[0]["format"] == FORMAT:
                for saved in json.loads(found[0]["profiles"]):
                    self._add(_profile(saved))
                self._position = self._snapshotted = found[0]["position"]
                self._sequence = found[0]["sequence"]
            self._resumed = True

    def _snapshot(self) -> None:
        with self._lock:
            self._app.recorder.execute([upsert("registry_snapshot", ("id",), {
                "id": 1, "format": FORMAT, "position": self._position, "sequence": self._sequence,
                "profiles": [_saved(p) for p in self.profiles.values()]})])
            self._snapshotted = self._position

    def fold(self, domain_event) -> None:
        kind = type(domain_event).__name__
        if kind == "InstitutionRegistered":
            self._register(domain_event)
        elif kind in ASSIGNMENT_EVENTS:
            self._follow_assignment(kind, domain_event)
        else:
            self._change_institution(kind, domain_event)

    def _add(self, profile: Profile) -> None:
        self.profiles[profile.id] = profile
        for category in profile.categories:
            self.by_category.setdefault(category, set()).add(profile.id)

    def _register(self, registered) -> None:
        self._add(Profile(
            id=str(registered.originator_id),
            categories=frozenset(registered.categories),
            parks=frozenset(registered.parks),
            capacity=registered.capacity,
            qualifications=tuple({**q, "status": "valid"} for q in registered.qualifications),
            home_park=registered.home_park,
            accepts_offers=registered.auto_accept_offers,
            status="active" if registered.reviewed else "applied",
        ))

    def _change_institution(self, kind: str, changed) -> None:
        profile = self.profiles.get(str(changed.originator_id))
        if profile is None:
            return
        if kind in STANDING:
            profile.status = STANDING[kind]
        elif kind == "InstitutionReviewed":
            profile.status = "active" if changed.approved else "rejected"
        elif kind == "InstitutionProfileChanged":
            profile.capacity = changed.changes.get("capacity", profile.capacity)
            profile.accepts_offers = changed.changes.get("auto_accept_offers", profile.accepts_offers)
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
        profile = self.profiles.get(str(getattr(happened, "institution_id", None)))
        if profile is None:
            return
        if kind == "AssignmentOffered" or (kind == "InstitutionAssigned" and happened.manual):
            self._sequence += 1
            profile.open_assignments += 1
            profile.assignments_total += 1
            profile.last_assigned = self._sequence
            profile.offers += kind == "AssignmentOffered"
        elif kind in ("OfferDeclined", "OfferExpired", "AssignmentReleased", "ServiceCompleted"):
            profile.open_assignments -= 1
            profile.refusals += kind in ("OfferDeclined", "OfferExpired")


def _saved(profile: Profile) -> dict:
    saved = asdict(profile)
    saved["categories"], saved["parks"] = sorted(profile.categories), sorted(profile.parks)
    return saved  # dates become text in the row's JSON


def _profile(saved: dict) -> Profile:
    values = {f.name: saved[f.name] for f in fields(Profile)}
    values["categories"], values["parks"] = frozenset(saved["categories"]), frozenset(saved["parks"])
    values["qualifications"] = tuple(
        {**q, **{k: date.fromisoformat(q[k]) for k in ("valid_from", "valid_until") if q.get(k)}}
        for q in saved["qualifications"])
    return Profile(**values)


#: The standing an institution has after each of these events.
STANDING = {
    Institution.InstitutionSuspended.__name__: "suspended",
    Institution.InstitutionReinstated.__name__: "active",
    Institution.InstitutionExited.__name__: "exited",
}

#: The events of an offer's or an assignment's life that change an institution's load.
ASSIGNMENT_EVENTS = {name.__name__ for name in (
    Match.AssignmentOffered, Match.InstitutionAssigned, Match.OfferDeclined, Match.OfferExpired,
    Match.ServiceProgressRecorded, Match.ServiceCompleted, Match.AssignmentReleased)}
