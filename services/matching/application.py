"""Matching's commands and queries, and how it reacts to accepted demands."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.matching.domain import Institution, Match
from services.matching.registry import Registry
from services.matching.selection import REQUIRED_QUALIFICATIONS, Request, Weights, select
from shared.commands import (
    AddQualification, ChangeQualificationStatus, ChangeStanding, RegisterInstitution, load_command)
from shared.config import section
from shared.errors import Conflict, NotFound
from shared.eventstore import ServiceApplication

#: Days before a qualification's end when QualificationExpiring is raised (domain.md: 90).
EXPIRY_WARNING_DAYS = 90


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
        self.weights = Weights()
        self.required = dict(REQUIRED_QUALIFICATIONS)
        self.expiry_warning_days = EXPIRY_WARNING_DAYS
        self.clock = lambda: datetime.now(timezone.utc)

    def configure(self, config: dict) -> None:
        settings = section(config, "MATCHING")
        self.weights = Weights.from_config(settings)
        self.required.update({category: tuple(kinds) for category, kinds in
                              (settings.get("required_qualifications") or {}).items()})
        self.expiry_warning_days = int(settings.get("expiry_warning_days", EXPIRY_WARNING_DAYS))

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

    def change_standing(self, institution_id: str, payload: dict, by: dict) -> dict:
        command = load_command(ChangeStanding, payload)
        institution = self.find(Institution, institution_id, "institution")
        getattr(institution, command["action"])(command["reason"], by=by, at=self._now())
        return self._saved(institution)

    def add_qualification(self, institution_id: str, payload: dict, by: dict) -> dict:
        command = load_command(AddQualification, payload)
        institution = self.find(Institution, institution_id, "institution")
        if any(q["number"] == command["number"] for q in institution.qualifications):
            raise Conflict(f"qualification {command['number']} is already recorded",
                           {"number": command["number"]})
        institution.add_qualification(command, by=by, at=self._now())
        return self._saved(institution)

    def change_qualification_status(self, institution_id: str, number: str, payload: dict,
                                    by: dict) -> dict:
        command = load_command(ChangeQualificationStatus, payload)
        institution = self.find(Institution, institution_id, "institution")
        institution.change_qualification_status(number, command["status"], command["reason"],
                                                by=by, at=self._now())
        return self._saved(institution)

    def _saved(self, institution: Institution) -> dict:
        try:
            self.save(institution)
        except IntegrityError:
            raise Conflict("the institution changed while this request was handled; try again",
                           {"institution_id": str(institution.id)}) from None
        return view(institution)

    def _now(self) -> str:
        return self.clock().isoformat()

    def explanation(self, demand_id: str) -> dict:
        """Every matching round of a demand: who was considered, scored or excluded, and why."""
        try:
            match = self.repository.get(Match.create_id(UUID(str(demand_id))))
        except (ValueError, AggregateNotFoundError):
            raise NotFound(f"no matching for demand {demand_id}") from None
        return {"demand_id": str(match.demand_id), "weights": vars(self.weights),
                "rounds": match.decisions}

    def check_qualifications(self) -> int:
        """Raise QualificationExpiring ahead of each end and QualificationExpired after it."""
        self.registry.refresh()
        today = self.clock().date()
        warn_from = today + timedelta(days=self.expiry_warning_days)
        recorded = 0
        for profile in list(self.registry.profiles.values()):
            for qualification in profile.qualifications:
                if qualification["status"] != "valid" or qualification["valid_until"] > warn_from:
                    continue
                for action in ("warn_expiry", "expire"):
                    recorded += self._record_expiry(profile.id, qualification["number"], action, today)
        return recorded

    def _record_expiry(self, institution_id: str, number: str, action: str, today) -> int:
        for _ in range(5):  # a command or a replica's check may save first
            institution = self.repository.get(UUID(institution_id))
            if not getattr(institution, action)(number, today):
                return 0
            try:
                self.save(institution)
                return 1
            except IntegrityError:
                continue
        return 0

    def _on_demand_accepted(self, message, data, processing):
        match = Match(demand_id=data["demand_id"], **_round_of(data))
        self._decide(match, processing)

    def _on_demand_reclassified(self, message, data, processing):
        match = self._match_of(data["demand_id"])
        releasing = None
        if match is None:
            match = Match(demand_id=data["demand_id"], **_round_of(data))
        else:
            releasing = match.institution_id
            match.restart(**_round_of(data))
        self._decide(match, processing, releasing)

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

    def _decide(self, match: Match, processing, releasing: UUID | None = None) -> None:
        """Choose for the match's current round. ``releasing`` is an institution this same
        transaction frees: the registry has not seen that release yet, so it is counted here."""
        self.registry.refresh()
        candidates = [
            replace(p, open_assignments=p.open_assignments - 1) if p.id == str(releasing) else p
            for p in self.registry.serving(match.category)]
        decision = select(candidates, Request(
            category=match.category, items=tuple(match.items), park=match.park,
            service_date=match.expected_by or self.clock().date(),
            required_types=self.required.get(match.category, ())), self.weights)
        if decision.chosen is None:
            match.fail(decision.reasons(), decision.explanation)
        else:
            match.assign(UUID(decision.chosen.id), decision.candidates, decision.explanation)
        processing.collect_events(match)


def view(institution: Institution) -> dict:
    return {
        "id": str(institution.id),
        "name": institution.name,
        "credit_code": institution.credit_code,
        "status": institution.status,
        "status_reason": institution.status_reason,
        "categories": institution.categories,
        "qualifications": [
            {**q, "valid_from": q["valid_from"].isoformat(), "valid_until": q["valid_until"].isoformat()}
            for q in institution.qualifications
        ],
        "parks": institution.parks,
        "home_park": institution.home_park,
        "capacity": institution.capacity,
        "registered_at": institution.created_on.isoformat(),
    }


def _round_of(data: dict) -> dict:
    return {key: data[key] for key in ("category", "items", "park", "expected_by", "round")}
