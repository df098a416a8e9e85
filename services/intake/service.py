"""The intake nameko service: RPC for the gateway, its log for followers, matching followed."""
from nameko.rpc import rpc

from services.intake.application import Intake
from shared.runtime import EventSourced, follow


class IntakeService:
    name = "intake"
    intake = EventSourced(Intake)

    @rpc
    def submit_demand(self, payload, submitted_by):
        return self.intake.submit_demand(payload, submitted_by)

    @rpc
    def get_demand(self, demand_id):
        return self.intake.demand(demand_id)

    @rpc
    def health(self):
        return {"last_notification_id": self.intake.last_notification_id()}

    @rpc
    def notifications(self, after, limit):
        return [message.to_wire() for message in self.intake.log(after, limit)]

    @follow("matching")
    def on_matching_event(self, message):
        self.intake.receive(message)
