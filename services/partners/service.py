"""The partners nameko service: the partner feed, its publication to the partner exchange, its
webhooks and its replay."""
from __future__ import annotations

from kombu import Exchange
from nameko.dependency_providers import Config

from services.partners import contract
from services.partners.application import PartnerFeed
from services.partners.broker_access import PARTNER_EXCHANGE, BrokerAccessError, PartnerAccess
from shared.config import section
from shared.errors import CLIENT_ERRORS, Unavailable
from shared.messages import Message
from shared.outbox import Relay
from shared.publishing import ConfirmedPublisher, Outgoing
from shared.rpc import rpc
from shared.runtime import (
    EventSourced, EventSourcedService, FollowsEvaluation, FollowsIntake, FollowsMatching, every,
    relay_settings)

#: The relay position of the partner exchange, beside the internal relay's.
PARTNER_RELAY = "partner-exchange"


def partner_exchange() -> Exchange:
    return Exchange(PARTNER_EXCHANGE, type="topic", durable=True)


class PartnerFeedProvider(EventSourced):
    """The feed, with a second relay: its messages, as envelopes, to the partner exchange
    (``PARTNERS.amqp_uri``: the partners' own vhost in deployment) under
    ``inst.<institution_id>.<event>``, persistent, with publisher confirms."""

    def setup(self):
        super().setup()
        config = self.container.config
        uri = section(config, "PARTNERS").get("amqp_uri") or config["AMQP_URI"]
        self.partner_publisher = ConfirmedPublisher(str(uri), partner_exchange(),
                                                    ssl=config.get("AMQP_SSL"))
        self.partner_relay = Relay(
            self.follower, lambda messages: self.partner_publisher.publish(to_partners(messages)),
            name=PARTNER_RELAY, leads=self.leadership.holds, **relay_settings(config))

    def start(self):
        super().start()
        self._partner_thread = self.container.spawn_managed_thread(self.partner_relay.run)

    def stop(self):
        self.partner_relay.stop()
        self._partner_thread.wait()
        self.partner_publisher.close()
        super().stop()


def broker_access(config: dict) -> PartnerAccess:
    settings = section(config, "PARTNERS")
    kinds = {"queue_max_messages": int, "queue_max_bytes": int, "message_ttl_days": float,
             "queue_expiry_days": float, "max_queues": int, "max_connections": int, "max_channels": int}
    limits = {key: kind(settings[key]) for key, kind in kinds.items() if settings.get(key) not in (None, "")}
    return PartnerAccess(str(settings.get("management_url")), str(settings.get("management_user")),
                         str(settings.get("management_password") or ""), str(settings.get("vhost")),
                         **limits)


def _reached(call):
    """The broker's management API refusing or not answering, as the caller's 503."""
    try:
        return call()
    except BrokerAccessError as error:
        raise Unavailable("RabbitMQ's management API did not do it; try again later",
                          {"broker": str(error)[:300]}) from None


def to_partners(messages: list[Message]) -> list[Outgoing]:
    """The feed's integration events as envelopes; its bookkeeping stays inside the platform."""
    outgoing = []
    for message in messages:
        if message.event != "PartnerMessageRecorded":
            continue
        data = message.data
        outgoing.append(Outgoing(
            contract.envelope(data["message_id"], data["event"], data["occurred_at"],
                              data["institution_id"], data["data"]),
            contract.routing_key(data["institution_id"], data["event"]),
            {"x-onestop-event-id": data["message_id"],
             "x-onestop-schema-version": data["schema_version"]},
            message_id=data["message_id"]))
    return outgoing


class PartnersService(EventSourcedService, FollowsIntake, FollowsMatching, FollowsEvaluation):
    name = "partners"
    application = PartnerFeedProvider(PartnerFeed)
    config = Config()

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def partner_events(self, institution_id, after=None, limit=100):
        return self.application.stream(institution_id, after, limit)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_webhook(self, institution_id, payload):
        return self.application.register_webhook(institution_id, payload)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def rotate_webhook_secret(self, institution_id):
        return self.application.rotate_webhook_secret(institution_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_webhook(self, institution_id):
        return self.application.webhook(institution_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def broker_access(self, institution_id):
        """Whether the institution has a user on the partner vhost, and what it may read."""
        return _reached(lambda: broker_access(self.config).status(institution_id))

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def grant_broker_access(self, institution_id, by):
        access = broker_access(self.config)
        return _reached(lambda: self.application.grant_broker_access(institution_id, access.grant, by))

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def revoke_broker_access(self, institution_id, reason, by):
        access = broker_access(self.config)
        return _reached(lambda: self.application.revoke_broker_access(institution_id, access.revoke,
                                                                      reason, by))

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def redeliver(self, institution_id, from_event_id):
        return self.application.redeliver(institution_id, from_event_id)

    @every("PARTNERS.webhook_interval", 1)
    def deliver_webhooks(self):
        self.application.deliver_webhooks(self.application.outbound.post)

    @every("PARTNERS.broker_standing_interval", 10)
    def enforce_broker_standings(self):
        """A suspended or departed institution's broker user may do nothing on the partner
        vhost (its connections closed); reinstated, it gets its rights back."""
        access = broker_access(self.config)
        self.application.enforce_broker_standings(access.suspend, access.restore)
