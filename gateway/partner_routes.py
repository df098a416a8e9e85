"""The gateway's routes for institutions' systems: replay of their integration events and their
webhook (mixed into ``GatewayService``; an institution token acts for itself only), and the
operators' grants of an institution's user on the partner exchange."""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.http import route
from shared.commands import Redeliver, RegisterWebhook, RevokeBrokerAccess
from shared.errors import Conflict

INSTITUTION = ("institution",)
OPERATOR = ("operator",)


class PartnerEnvelope(Schema):
    event_id = fields.String(required=True)
    event = fields.String(required=True)
    schema_version = fields.Integer(required=True)
    occurred_at = fields.String(required=True)
    institution_id = fields.String(required=True)
    data = fields.Dict(required=True, metadata={"description": "docs/partners/ has its schema"})


class PartnerEventPage(Schema):
    items = fields.List(fields.Nested(PartnerEnvelope), required=True)
    next_after = fields.String(allow_none=True, required=True, metadata={
        "description": "pass as after= for the next page"})
    more = fields.Boolean(required=True)


class WebhookView(Schema):
    institution_id = fields.String(required=True)
    url = fields.String(required=True)
    secret = fields.String(metadata={
        "description": "the signing secret, in the answer that made it only (registration, "
                       "rotation): keep it; it is never shown again"})
    previous_secret_valid_until = fields.String(allow_none=True, required=True, metadata={
        "description": "after a rotation, deliveries carry a second v1 signature with the "
                       "secret before until this moment"})
    delivered = fields.Integer(required=True, metadata={"description": "messages delivered so far"})
    failures = fields.Integer(required=True)
    retry_at = fields.String(allow_none=True, required=True)
    suspended = fields.String(allow_none=True, required=True, metadata={
        "description": "suspended or exited: nothing is posted until the institution is "
                       "reinstated; its messages keep their place"})
    log = fields.List(fields.Dict(), required=True, metadata={"description": "newest first"})


class BrokerAccessView(Schema):
    institution_id = fields.String(required=True)
    granted = fields.Boolean(required=True, metadata={"description": "it has its user now"})
    username = fields.String(required=True)
    password = fields.String(allow_none=True, required=True, metadata={
        "description": "in the answer that set it only (a grant): hand it to the institution; "
                       "it is never shown again (a new grant sets a new one)"})
    vhost = fields.String(required=True)
    exchange = fields.String(required=True)
    queue_prefix = fields.String(required=True, metadata={"description": "its queues' names begin so"})
    binding_keys = fields.List(fields.String(), required=True)


class PartnerRoutes:
    @route("GET", "/api/v1/partner/events", roles=INSTITUTION, response=PartnerEventPage,
           query={"after": {"schema": {"type": "string"}, "description": "the last event_id you have"},
                  "limit": {"schema": {"type": "integer", "minimum": 1, "maximum": 500}}},
           summary="Your integration events after a given event_id, oldest first (replay)")
    def partner_events(self, request, principal):
        try:
            limit = int(request.args.get("limit", 100))
        except ValueError:
            limit = 0  # refused by the feed, with its message
        return self.partners.partner_events(principal.subject, request.args.get("after"), limit)

    @route("PUT", "/api/v1/partner/webhook", roles=INSTITUTION, body=RegisterWebhook,
           response=WebhookView,
           summary="Register your webhook's URL (its signing secret is made and shown once), "
                   "or change the URL")
    def register_webhook(self, request, principal, payload):
        return self.partners.register_webhook(principal.subject, payload)

    @route("POST", "/api/v1/partner/webhook/secret", roles=INSTITUTION, response=WebhookView,
           status=201, summary="A new signing secret, shown once; the one before keeps signing "
                               "beside it for a day, while your receiver switches")
    def rotate_webhook_secret(self, request, principal):
        return self.partners.rotate_webhook_secret(principal.subject)

    @route("GET", "/api/v1/partner/webhook", roles=INSTITUTION, response=WebhookView,
           summary="Your webhook and its delivery log")
    def get_webhook(self, request, principal):
        return self.partners.get_webhook(principal.subject)

    @route("POST", "/api/v1/partner/webhook/redelivery", roles=INSTITUTION, body=Redeliver,
           response=WebhookView, summary="Deliver your events again from a given event_id")
    def redeliver(self, request, principal, payload):
        return self.partners.redeliver(principal.subject, payload["from_event_id"])

    @route("GET", "/api/v1/institutions/<institution_id>/partner-access", roles=OPERATOR,
           response=BrokerAccessView,
           summary="Whether the institution has its own user on the partner exchange (RabbitMQ), "
                   "and what it may read there")
    def partner_access(self, request, principal, institution_id):
        self.matching.get_institution(institution_id)  # 404 for an institution not registered
        return self.partners.broker_access(institution_id)

    @route("POST", "/api/v1/institutions/<institution_id>/partner-access", roles=OPERATOR,
           response=BrokerAccessView, status=201, answers=(503,),
           summary="Give an active institution its user on the partner exchange, or a new "
                   "password for it: the password is in this answer only")
    def grant_partner_access(self, request, principal, institution_id):
        institution = self.matching.get_institution(institution_id)
        if institution["status"] != "active":
            raise Conflict("只有在册（active）的服务机构才能接入合作方消息通道",
                           {"current_status": institution["status"]})
        return self.partners.grant_broker_access(institution_id, principal.as_actor())

    @route("POST", "/api/v1/institutions/<institution_id>/partner-access/revocation",
           roles=OPERATOR, body=RevokeBrokerAccess, response=BrokerAccessView, answers=(503,),
           summary="Take the institution's user on the partner exchange away, with the reason "
                   "(its connections close; its queues stay until they expire)")
    def revoke_partner_access(self, request, principal, institution_id, payload):
        self.matching.get_institution(institution_id)
        self.partners.revoke_broker_access(institution_id, payload["reason"], principal.as_actor())
        return self.partners.broker_access(institution_id)
