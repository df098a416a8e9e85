"""The evaluation nameko service: feedback, complaints, supervision checks, figures and
evaluations; follows intake and matching."""
from services.evaluation.application import Evaluation
from shared.errors import CLIENT_ERRORS
from shared.rpc import rpc
from shared.runtime import (
    EventSourced, EventSourcedService, FollowsArchive, FollowsIntake, FollowsMatching, every)


class EvaluationService(EventSourcedService, FollowsIntake, FollowsMatching, FollowsArchive):
    name = "evaluation"
    application = EventSourced(Evaluation)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def give_feedback(self, demand_id, payload, by):
        return self.application.give_feedback(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_revisits(self, station_id, query=None):
        return self.application.revisits(station_id, query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def file_complaint(self, payload, by):
        return self.application.file_complaint(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_complaint(self, complaint_id, viewer):
        return self.application.complaint(complaint_id, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_complaints(self, viewer, query=None):
        return self.application.complaints(viewer, query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def answer_complaint(self, complaint_id, payload, by):
        return self.application.answer_complaint(complaint_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def handle_complaint(self, complaint_id, step, payload, by):
        return self.application.handle_complaint(complaint_id, step, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def record_check(self, payload, by):
        return self.application.record_check(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_checks(self, query=None):
        return self.application.checks(query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_configuration(self, document, by):
        return self.application.register_configuration(document, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_configuration(self, version):
        return self.application.configuration(version)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_configurations(self, query=None):
        return self.application.configurations(query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_figures(self, scope, period, viewer):
        return self.application.figures(scope, period, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_report(self, query, viewer):
        return self.application.report(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_trend(self, query, viewer):
        return self.application.trend(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def publish_evaluation(self, payload, by):
        return self.application.publish(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_evaluation(self, evaluation_id, viewer):
        return self.application.evaluation(evaluation_id, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def withdraw_evaluation(self, evaluation_id, payload, by):
        return self.application.withdraw_evaluation(evaluation_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_evaluations(self, viewer, query=None):
        return self.application.evaluations(viewer, query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_improvement_actions(self, viewer, query=None):
        return self.application.improvement_actions(viewer, query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def improve(self, action_id, step, payload, by):
        return self.application.improve(action_id, step, payload, by)

    @every("EVALUATION.check_interval", 60)
    def check_windows(self):
        self.application.check_feedback_windows()
        self.application.check_complaints()
