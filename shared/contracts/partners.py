"""Events the partner feed records in its own log. Its public output, the integration events
institutions receive, is a separate contract (services/partners/contract.py, docs/partners/)."""
from marshmallow import Schema, fields, validate

from shared.contracts import contract


def _id():
    return fields.UUID(required=True)


@contract("CaseFactsOpened", producer="partners", subject="case_facts_id",
          summary="The feed keeps what an institution may learn of a demand once it is its own.")
class CaseFactsOpened(Schema):
    case_facts_id = _id()
    category = fields.String(required=True)


@contract("CaseFactsClassified", producer="partners", subject="case_facts_id",
          summary="The demand's category and items after assessment.")
class CaseFactsClassified(Schema):
    case_facts_id = _id()
    category = fields.String(required=True)


@contract("CaseFactsAssigned", producer="partners", subject="case_facts_id",
          summary="The institution the demand is assigned to.")
class CaseFactsAssigned(Schema):
    case_facts_id = _id()
    assignment_id = _id()
    institution_id = _id()


@contract("OfferFactsOpened", producer="partners", subject="offer_facts_id",
          summary="What an offer of this match may tell an institution.")
class OfferFactsOpened(Schema):
    offer_facts_id = _id()
    match_id = _id()


@contract("OfferFactsRestarted", producer="partners", subject="offer_facts_id",
          summary="A reassessed demand's request, for the offers of its new round.")
class OfferFactsRestarted(Schema):
    offer_facts_id = _id()


@contract("PartnerMessageRecorded", producer="partners", subject="message_id",
          summary="One integration event for one institution (message_id is its event_id); "
                  "published to the partner exchange and posted to its webhook.")
class PartnerMessageRecorded(Schema):
    message_id = _id()
    institution_id = _id()
    event = fields.String(required=True)
    schema_version = fields.Integer(required=True)
    occurred_at = fields.String(required=True)
    data = fields.Dict(required=True)


class _WebhookStep(Schema):
    webhook_id = _id()
    at = fields.String(required=True)


@contract("WebhookRegistered", producer="partners", subject="webhook_id",
          summary="An institution registered its webhook (its secret, made by the platform, stays "
                  "sealed in the feed's store).")
class WebhookRegistered(_WebhookStep):
    institution_id = _id()
    url = fields.String(required=True)


@contract("WebhookChanged", producer="partners", subject="webhook_id",
          summary="An institution changed its webhook's URL (the secret stays).")
class WebhookChanged(_WebhookStep):
    url = fields.String(required=True)


@contract("WebhookSecretRotated", producer="partners", subject="webhook_id",
          summary="The webhook has a new signing secret (sealed in the feed's store); the one "
                  "before signs beside it until previous_valid_until.")
class WebhookSecretRotated(_WebhookStep):
    previous_valid_until = fields.String(required=True)


@contract("WebhookDelivered", producer="partners", subject="webhook_id",
          summary="A message was delivered to the webhook (2xx).")
class WebhookDelivered(_WebhookStep):
    event_id = fields.String(required=True)
    status = fields.Integer(required=True)


@contract("WebhookDeliveryFailed", producer="partners", subject="webhook_id",
          summary="A delivery failed; it is retried at retry_at (the wait doubles).")
class WebhookDeliveryFailed(_WebhookStep):
    event_id = fields.String(required=True)
    status = fields.Integer(allow_none=True, required=True)
    error = fields.String(required=True)
    retry_at = fields.String(required=True)


@contract("WebhookSuspended", producer="partners", subject="webhook_id",
          summary="The institution was suspended or left: its webhook is posted to no more until "
                  "it is reinstated (its messages keep their place).")
class WebhookSuspended(_WebhookStep):
    standing = fields.String(required=True)


@contract("WebhookResumed", producer="partners", subject="webhook_id",
          summary="The institution was reinstated: its webhook is posted to again, from where it was.")
class WebhookResumed(_WebhookStep):
    pass


@contract("WebhookRewound", producer="partners", subject="webhook_id",
          summary="The institution asked for its messages again from event_id.")
class WebhookRewound(_WebhookStep):
    event_id = fields.String(required=True)
    position = fields.Integer(required=True)


@contract("StandingRecorded", producer="partners", subject="institution_standing_id",
          summary="The feed keeps an institution's standing, to give its broker user the same.")
class StandingRecorded(Schema):
    institution_standing_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)
    standing = fields.String(required=True)


@contract("StandingChanged", producer="partners", subject="institution_standing_id",
          summary="The institution's standing changed (suspended, exited, active).")
class StandingChanged(Schema):
    institution_standing_id = fields.UUID(required=True)
    standing = fields.String(required=True)


@contract("BrokerStandingApplied", producer="partners", subject="institution_standing_id",
          summary="The institution's broker user was given its standing on the partner vhost.")
class BrokerStandingApplied(StandingChanged):
    pass



@contract("BrokerAccessChanged", producer="partners", subject="broker_access_change_id",
          summary="An operator gave the institution its user on the partner vhost (granted: a new "
                  "password, shown once) or took it away (revoked, with the reason).")
class BrokerAccessChanged(Schema):
    broker_access_change_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)
    change = fields.String(required=True, validate=validate.OneOf(("granted", "revoked")))
    by = fields.Dict(required=True)
    reason = fields.String(allow_none=True, required=True)
    at = fields.String(required=True)
