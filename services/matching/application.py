"""Matching's commands and queries, and how it reacts to accepted demands."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
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
    reactions = {
        "DemandAccepted": "_on_demand_accepted",
        "DemandReclassified": "_on_demand_reclassified",
        "DemandWithdrawn": "_on_demand_closed",
        "DemandCancelled": "_on_demand_closed",
    }

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
        match = Match(demand_id=data["demand_id"], **_round_of(data))
        self._decide(match, processing)

    def _on_demand_reclassified(self, message, data, processing):
        match = self._match_of(data["demand_id"])
        if match is None:
            match = Match(demand_id=data["demand_id"], **_round_of(data))
        else:
            match.restart(**_round_of(data))
        self._decide(match, processing)

    def _on_demand_closed(self, message, data, processing):
        match = self._match_of(data["demand_id"])
        if match is not None:
            match.release(f"the demand was {message.event.removeprefix('Demand').lower()}")
            processing.collect_events(match)

    def _match_of(self, demand_id) -> Match | None:
        try:
            return self.repository.get(Match.create_id(demand_id))
        except AggregateNotFoundError:
            return None

    def _decide(self, match: Match, processing) -> None:
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


def _round_of(data: dict) -> dict:
    return {key: data[key] for key in ("category", "items", "park", "expected_by", "round")}
