"""The evaluation nameko service: follows intake and matching, and serves the raw figures."""
from nameko.rpc import rpc

from services.evaluation.application import Evaluation
from shared.errors import CLIENT_ERRORS
from shared.runtime import EventSourced, EventSourcedService, follow


class EvaluationService(EventSourcedService):
    name = "evaluation"
    application = EventSourced(Evaluation)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_figures(self, period):
        return self.application.figures(period)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def give_feedback(self, demand_id, payload, by):
        return self.application.give_feedback(demand_id, payload, by)

    @follow("intake")
    def on_intake_event(self, message):
        self.application.receive(message)

    @follow("matching")
    def on_matching_event(self, message):
        self.application.receive(message)
