"""Matching's commands and queries, and how it reacts to accepted demands."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from services.matching.domain import Institution, Match
from services.matching.registry import Registry
from services.matching.selection import Request, select
from shared.commands import RegisterInstitution, load_command
from shared.errors import Conflict
from shared.eventstore import ServiceApplication


class Matching(ServiceApplication):
    name = "Matching"
    service = "matching"
    upstreams = ("intake",)
    reactions = {"DemandAccepted": "_on_demand_accepted"}

    def __init__(self, env=None):
        super().__init__(env)
        self.registry = Registry(self)

    def register_institution(self, payload: dict, registered_by: dict) -> dict:
        command = load_command(RegisterInstitution, payload)
        institution = Institution(registered_by=registered_by, **command)
        try:
            self.save(institution)
        except IntegrityError:
            raise Conflict(f"an institution with credit code {command['credit_code']} is "
                           "already registered", {"institution_id": str(institution.id)}) from None
        return view(institution)

    def institution(self, institution_id: str) -> dict:
        return view(self.find(Institution, institution_id, "institution"))

    def _on_demand_accepted(self, message, data, processing):
        match = Match(demand_id=data["demand_id"], category=data["category"],
                      items=data["items"], park=data["park"], expected_by=data["expected_by"])
        self.registry.refresh()
        decision = select(self.registry.profiles.values(), Request(
            category=match.category, items=tuple(match.items), park=match.park,
            service_date=match.expected_by or date.today()))
        if decision.chosen is None:
            match.fail(decision.reasons())
        else:
            match.assign(UUID(decision.chosen.id), decision.candidates)
        processing.collect_events(match)


def view(institution: Institution) -> dict:
    return {
        "id": str(institution.id),
        "name": institution.name,
        "credit_code": institution.credit_code,
        "categories": institution.categories,
        "qualifications": [
            {**q, "valid_from": q["valid_from"].isoformat(), "valid_until": q["valid_until"].isoformat()}
            for q in institution.qualifications
        ],
        "parks": institution.parks,
        "capacity": institution.capacity,
        "registered_at": institution.created_on.isoformat(),
    }
