"""The Station: a park's one-stop service window, its working calendar and its specialists."""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict

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
        self.construction: dict | None = None
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
        self.construction = {**facts, "recorded_by": recorded_by}

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
