"""The matching nameko service: institutions over RPC, accepted demands followed and matched."""
from nameko.rpc import rpc

from services.matching.application import Matching
from shared.errors import CLIENT_ERRORS
from shared.runtime import EventSourced, EventSourcedService, follow


class MatchingService(EventSourcedService):
    name = "matching"
    application = EventSourced(Matching)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_institution(self, payload, registered_by):
        return self.application.register_institution(payload, registered_by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_institution(self, institution_id):
        return self.application.institution(institution_id)

    @follow("intake")
    def on_intake_event(self, message):
        self.application.receive(message)
