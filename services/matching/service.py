"""The matching nameko service: institutions over RPC, accepted demands followed and matched."""
from nameko.rpc import rpc

from services.matching.application import Matching
from shared.runtime import EventSourced, follow


class MatchingService:
    name = "matching"
    matching = EventSourced(Matching)

    @rpc
    def register_institution(self, payload, registered_by):
        return self.matching.register_institution(payload, registered_by)

    @rpc
    def get_institution(self, institution_id):
        return self.matching.institution(institution_id)

    @rpc
    def health(self):
        return {"last_notification_id": self.matching.last_notification_id()}

    @rpc
    def notifications(self, after, limit):
        return [message.to_wire() for message in self.matching.log(after, limit)]

    @follow("intake")
    def on_intake_event(self, message):
        self.matching.receive(message)
