"""Intake's read model: its own aggregates, folded from its own log by their own events.

Each event is applied with the library's ``mutate``, so the read model runs exactly the
aggregates' logic (no second copy of the rules). Queries, the ownership checks and the deadline
monitor read from here; commands still load aggregates from the store.
"""
from __future__ import annotations

from uuid import UUID

from services.intake.demand import Demand
from services.intake.station import Station
from shared.eventstore import OwnLogFold


class IntakeIndex(OwnLogFold):
    def __init__(self, app):
        super().__init__(app)
        self.aggregates: dict[UUID, object] = {}
        self.station_of_staff: dict[str, UUID] = {}

    def fold(self, domain_event) -> None:
        aggregate = domain_event.mutate(self.aggregates.get(domain_event.originator_id))
        self.aggregates[domain_event.originator_id] = aggregate
        if isinstance(aggregate, Station):
            for staff_id in aggregate.specialists:
                self.station_of_staff[staff_id] = aggregate.id

    def demands(self) -> list[Demand]:
        return [a for a in self.aggregates.values() if isinstance(a, Demand)]

    def station(self, station_id: UUID) -> Station | None:
        found = self.aggregates.get(station_id)
        return found if isinstance(found, Station) else None
