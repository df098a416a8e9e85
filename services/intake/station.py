"""The Station: a park's one-stop service window, its working calendar and its specialists."""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from services.intake.requirements import legacy_records
from shared.errors import Conflict

#: What a station's conformity is (requirements.Checklist.check): a change of any is recorded.
CONFORMITY = ("status", "failing", "not_recorded", "met", "total", "checklist_version")
_STATIONS = uuid.UUID("3a9e2c71-5d84-4b0f-a6e2-8f1c7d3b9e54")


class Station(Aggregate):
    """One per park: a demand from a park belongs to that park's station."""

    @staticmethod
    def create_id(park: str, **_) -> uuid.UUID:
        return uuid.uuid5(_STATIONS, park)

    @event("StationRegistered")
    def __init__(self, name: str, park: str, operating_institution: dict, address: str,
                 opening_hours: str, calendar: dict, parent_platform: str | None,
                 auto_accept: list[str], registered_by: dict):
        self.name = name
        self.park = park
        self.operating_institution = operating_institution
        self.address = address
        self.opening_hours = opening_hours
        self.calendar = calendar
        self.parent_platform = parent_platform
        self.auto_accept = auto_accept
        self.registered_by = registered_by
        #: requirement code -> what was last recorded of it, and its confirmation
        self.requirements: dict[str, dict] = {}
        #: the station's conformity as last noted (services/intake/requirements.py)
        self.conformity: dict | None = None
        self.specialists: dict[str, dict] = {}
        #: who left: their staff rows are removed from the read model (a list: snapshots keep it)
        self.former_specialists: list[str] = []
        #: its own limits, shorter than the platform's (services/intake/time_limits.py)
        self.time_limits: dict = {}

    @event("StationSettingsChanged")
    def change_settings(self, changes: dict, reason: str, by: dict) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    @event("StationConstructionRecorded")
    def record_construction(self, facts: dict, recorded_by: dict) -> None:
        """Recorded before the checklist: its facts become the records of the items they
        speak of (no new event of this kind is recorded)."""
        self.requirements = {**self.recorded_requirements(), **legacy_records(facts, recorded_by)}

    def recorded_requirements(self) -> dict[str, dict]:
        # A station snapshotted before the checklist has no such attribute yet.
        return getattr(self, "requirements", {})

    @event("StationRequirementRecorded")
    def record_requirement(self, code: str, value, note: str | None, evidence: list[dict],
                           checklist_version: str, by: dict, at: str) -> None:
        """A new record of an item replaces the last, and waits for its own confirmation."""
        self.requirements = {**self.recorded_requirements(), code: {
            "value": value, "note": note, "evidence": evidence,
            "checklist_version": checklist_version, "recorded_by": by, "recorded_at": at,
            "confirmed_by": None, "confirmed_at": None, "confirmation_note": None}}

    def confirm_requirement(self, code: str, note: str | None, by: dict, at: str) -> None:
        record = self.recorded_requirements().get(code)
        if record is None:
            raise Conflict(f"{code} is not recorded: there is nothing to confirm", {"code": code})
        if record["confirmed_at"] is not None:
            raise Conflict(f"{code} is already confirmed as last recorded",
                           {"code": code, "confirmed_at": record["confirmed_at"]})
        self._requirement_confirmed(code=code, note=note, by=by, at=at)

    @event("StationRequirementConfirmed")
    def _requirement_confirmed(self, code, note, by, at):
        self.requirements = {**self.requirements, code: {
            **self.requirements[code], "confirmed_by": by, "confirmed_at": at,
            "confirmation_note": note}}

    def note_conformity(self, conformity: dict, by: dict, at: str) -> None:
        """Recorded only when it changes: what the evaluation scores, as of each moment."""
        noted = getattr(self, "conformity", None)
        if noted is None or any(noted[key] != conformity[key] for key in CONFORMITY):
            self._conformity_changed(**{key: conformity[key] for key in CONFORMITY}, by=by, at=at)

    @event("StationConformityChanged")
    def _conformity_changed(self, status, failing, not_recorded, met, total, checklist_version,
                            by, at):
        self.conformity = {"status": status, "failing": failing, "not_recorded": not_recorded,
                           "met": met, "total": total, "checklist_version": checklist_version,
                           "at": at}

    def add_specialist(self, staff_id: str, name: str, phone: str | None, trained: bool,
                       added_by: dict) -> None:
        if staff_id in self.specialists:
            raise Conflict(f"{staff_id} is already a specialist of this station",
                           {"staff_id": staff_id})
        self._specialist_joined(staff_id=staff_id, name=name, phone=phone, trained=trained,
                                added_by=added_by)

    @event("SpecialistJoined")
    def _specialist_joined(self, staff_id, name, phone, trained, added_by):
        self.specialists[staff_id] = {"staff_id": staff_id, "name": name, "phone": phone,
                                      "trained": trained}
        self.former_specialists = [left for left in getattr(self, "former_specialists", [])
                                   if left != staff_id]

    def remove_specialist(self, staff_id: str, removed_by: dict, reason: str) -> None:
        if staff_id not in self.specialists:
            raise Conflict(f"{staff_id} is not a specialist of this station", {"staff_id": staff_id})
        self._specialist_left(staff_id=staff_id, removed_by=removed_by, reason=reason)

    @event("SpecialistLeft")
    def _specialist_left(self, staff_id, removed_by, reason):
        del self.specialists[staff_id]
        # A station snapshotted before people could leave has no such list yet.
        self.former_specialists = [*getattr(self, "former_specialists", []), staff_id]
