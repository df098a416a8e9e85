"""The evaluation nameko service: follows intake and matching, and serves the raw figures."""
from nameko.rpc import rpc

from services.evaluation.application import Evaluation
from shared.runtime import EventSourced, follow


class EvaluationService:
    name = "evaluation"
    evaluation = EventSourced(Evaluation)

    @rpc
    def get_figures(self, period):
        return self.evaluation.figures(period)

    @rpc
    def health(self):
        return {"last_notification_id": self.evaluation.last_notification_id()}

    @rpc
    def notifications(self, after, limit):
        return [message.to_wire() for message in self.evaluation.log(after, limit)]

    @follow("intake")
    def on_intake_event(self, message):
        self.evaluation.receive(message)

    @follow("matching")
    def on_matching_event(self, message):
        self.evaluation.receive(message)
