"""Intake's commands and queries, and how it follows matching's decisions."""
from __future__ import annotations

from services.intake.assessment import AssessmentRules, RULES
from services.intake.domain import Demand
from shared.commands import SubmitDemand, load_command
from shared.config import section
from shared.eventstore import ServiceApplication


class Intake(ServiceApplication):
    name = "Intake"
    service = "intake"
    upstreams = ("matching",)
    reactions = {
        "InstitutionAssigned": "_on_institution_assigned",
        "MatchingFailed": "_on_matching_failed",
    }
    rules = AssessmentRules()

    def configure(self, config: dict) -> None:
        self.rules = AssessmentRules.from_config(section(config, "ASSESSMENT"))

    def submit_demand(self, payload: dict, submitted_by: dict, channel: str = "online") -> dict:
        command = load_command(SubmitDemand, payload)
        demand = Demand(channel=channel, submitted_by=submitted_by, **command)
        if self.rules.accepts_automatically(demand.park):
            demand.accept(accepted_by=RULES)
        self.save(demand)
        return view(demand)

    def demand(self, demand_id: str) -> dict:
        return view(self.find(Demand, demand_id, "demand"))

    def _on_institution_assigned(self, message, data, processing):
        demand = self.repository.get(data["demand_id"])
        demand.assign(data["assignment_id"], data["institution_id"])
        processing.collect_events(demand)

    def _on_matching_failed(self, message, data, processing):
        demand = self.repository.get(data["demand_id"])
        demand.record_matching_failure(data["reasons"])
        processing.collect_events(demand)


def view(demand: Demand) -> dict:
    assignment = None
    if demand.assignment:
        assignment = {key: str(value) for key, value in demand.assignment.items()}
    return {
        "id": str(demand.id),
        "status": demand.status,
        "enterprise": demand.enterprise,
        "park": demand.park,
        "category": demand.category,
        "title": demand.title,
        "description": demand.description,
        "items": demand.items,
        "expected_by": demand.expected_by.isoformat() if demand.expected_by else None,
        "channel": demand.channel,
        "submitted_at": demand.created_on.isoformat(),
        "updated_at": demand.modified_on.isoformat(),
        "assignment": assignment,
        "unmatched_reasons": demand.unmatched_reasons,
    }
