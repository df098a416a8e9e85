"""Evaluation's read model, folded from its own log: the ledger of raw figures and the short
lists its queries and checks need (feedback due, complaints, evaluations, actions, checks)."""
from __future__ import annotations

from services.evaluation.cases import ServiceCase, StationRecord
from services.evaluation.complaints import Complaint
from services.evaluation.ledger import Ledger, Tally
from services.evaluation.reports import ImprovementAction, PublishedEvaluation
from services.evaluation.scoring import RegisteredConfiguration
from services.evaluation.supervision import SupervisionCheck
from shared.eventstore import OwnLogFold


class EvaluationIndex(OwnLogFold):
    def __init__(self, app):
        super().__init__(app)
        self.ledger = Ledger()
        self.parks: dict[str, str] = {}            # station id -> park
        self.awaiting_feedback: dict[str, dict] = {}  # case id -> station, due, revisit raised
        self.complaints: dict[str, dict] = {}      # complaint id -> who may see it, status
        self.evaluations: dict[str, dict] = {}     # evaluation id -> scope, period, version, grade
        self.actions: dict[str, dict] = {}         # action id -> scope, status
        self.checks: list[str] = []
        self.configurations: list[str] = []

    def fold(self, domain_event) -> None:
        kind = type(domain_event)
        case_id = str(domain_event.originator_id)
        if kind is Tally.FiguresRecorded:
            self.ledger.fold(domain_event)
        elif kind is StationRecord.StationFollowed:
            self.parks[str(domain_event.station_id)] = domain_event.park
        elif kind is ServiceCase.ServiceCaseOpened:
            self.awaiting_feedback.pop(case_id, None)
        elif kind is ServiceCase.ServiceCaseCompleted:
            self.awaiting_feedback[case_id] = {"due_at": domain_event.feedback_due_at,
                                               "revisit": False}
        elif kind is ServiceCase.ServiceCaseAssigned:
            self.awaiting_feedback.pop(case_id, None)  # a new service: not completed yet
        elif kind is ServiceCase.RevisitTaskRaised and case_id in self.awaiting_feedback:
            self.awaiting_feedback[case_id].update(
                revisit=True, demand_id=str(domain_event.demand_id),
                station_id=str(domain_event.station_id), raised_at=domain_event.at)
        elif kind is ServiceCase.FeedbackGiven:
            self.awaiting_feedback.pop(case_id, None)
        elif kind is Complaint.ComplaintReceived:
            self.complaints[case_id] = {
                "station_id": str(domain_event.station_id),
                "complainant": domain_event.by["subject"], "against": domain_event.against,
                "status": "received"}
        elif kind in (Complaint.ComplaintInvestigating, Complaint.ComplaintEscalated,
                      Complaint.ComplaintResolved):
            self.complaints[case_id]["status"] = kind.__name__.removeprefix("Complaint").lower()
        elif kind is PublishedEvaluation.EvaluationPublished:
            self.evaluations[case_id] = {
                "id": case_id, "scope": domain_event.scope, "period": domain_event.period,
                "configuration_version": domain_event.configuration_version,
                "total": domain_event.total, "grade": domain_event.grade,
                "published_at": domain_event.at}
        elif kind is ImprovementAction.ImprovementActionRaised:
            self.actions[case_id] = {"scope": domain_event.scope, "status": "open"}
        elif kind is ImprovementAction.ImprovementActionClosed:
            self.actions[case_id]["status"] = "closed"
        elif kind is SupervisionCheck.SupervisionCheckRecorded:
            self.checks.append(case_id)
        elif kind is RegisteredConfiguration.ConfigurationRegistered:
            self.configurations.append(domain_event.version)
