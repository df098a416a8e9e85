"""The intake nameko service: RPC for the gateway, its log for followers, matching followed."""
from nameko.rpc import rpc

from services.intake.application import Intake
from shared.errors import CLIENT_ERRORS
from shared.runtime import EventSourced, EventSourcedService, follow


class IntakeService(EventSourcedService):
    name = "intake"
    application = EventSourced(Intake)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def submit_demand(self, payload, submitted_by):
        return self.application.submit_demand(payload, submitted_by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_demand(self, demand_id):
        return self.application.demand(demand_id)

    @follow("matching")
    def on_matching_event(self, message):
        self.application.receive(message)
