"""A supervisor's access to a case's dossier (a read, an export, a verification): recorded, so
that who looked at what can be listed like every sign-in."""
from __future__ import annotations

from eventsourcing.domain import Aggregate, event


class DossierAccess(Aggregate):
    @event("DossierAccessed")
    def __init__(self, demand_id: str, action: str, by: dict):
        self.demand_id = demand_id
        self.action = action
        self.by = by
