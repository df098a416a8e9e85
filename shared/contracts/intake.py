"""Events intake publishes about stations and demands.

Demand events carry ``by`` (who) and ``at`` (when, in the station's clock); times are ISO 8601.
"""
from marshmallow import Schema, fields, validate

from shared.contracts import contract
from shared.contracts.values import ActorSchema, EnterpriseSchema, category_field

CHANNELS = ("online", "counter", "phone", "visit")


class AttachmentSchema(Schema):
    sha256 = fields.String(required=True, metadata={"description": "also the attachment's id"})
    name = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True)


class DeadlineSchema(Schema):
    limit = fields.Float(required=True, metadata={"description": "working seconds allowed"})
    started_at = fields.String(required=True)
    due_at = fields.String(required=True)
    warn_at = fields.String(required=True)
    closed_at = fields.String(allow_none=True, required=True)
    paused_remaining = fields.Float(allow_none=True, required=True)
    warned = fields.Boolean(required=True)
    breached = fields.Boolean(required=True)


class _DemandEvent(Schema):
    demand_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("DemandSubmitted", producer="intake", subject="demand_id",
          summary="An enterprise's demand reached its park's station through one of its channels.")
class DemandSubmitted(_DemandEvent):
    station_id = fields.UUID(required=True)
    enterprise = fields.Nested(EnterpriseSchema, required=True)
    park = fields.String(required=True)
    category = category_field(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    items = fields.List(fields.String(), required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    consultation = fields.Boolean(required=True)
    attachments = fields.List(fields.Nested(AttachmentSchema), required=True)
    excluded_institutions = fields.List(fields.UUID(), required=True)
    request_hash = fields.String(required=True)
    idempotency_key = fields.String(allow_none=True, required=True)
    deadlines = fields.Dict(keys=fields.String(), values=fields.Nested(DeadlineSchema), required=True)
    sub_item = fields.String(allow_none=True, load_default=None, metadata={
        "description": "a sub-item code of the catalogue version it was submitted under"})
    details = fields.Dict(load_default=dict, metadata={"description": "the sub-item's fields"})
    catalogue_version = fields.Integer(allow_none=True, load_default=None, metadata={
        "description": "the service catalogue's version (absent: submitted before the catalogue)"})


class _Classification(_DemandEvent):
    category = category_field(required=True)
    items = fields.List(fields.String(), required=True)
    sub_items = fields.List(fields.String(), required=True)
    urgency = fields.String(required=True)
    park = fields.String(required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    excluded_institutions = fields.List(fields.UUID(), required=True, metadata={
        "description": "institutions the enterprise does not want"})
    round = fields.Integer(required=True, metadata={
        "description": "the matching round this classification opens; matching answers with it"})
    hall_closes_at = fields.String(allow_none=True, metadata={
        "description": "the station lists the demand in its hall until then and matching "
                     "decides at that time; null: matched at once (absent before the hall)"})
    qualification_kinds = fields.List(fields.String(), allow_none=True, load_default=None, metadata={
        "description": "the qualification kinds that may serve it, from its catalogue version "
                       "(empty: none needed; absent: recorded before the catalogue)"})
    item_terms = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                             allow_none=True, load_default=None, metadata={
        "description": "for each item, the scope terms that cover it (itself, its synonyms, "
                       "its broader terms); absent: recorded before the catalogue"})


@contract("DemandAccepted", producer="intake", subject="demand_id",
          summary="Assessment (a specialist or the station's rules) accepted the demand for matching.")
class DemandAccepted(_Classification):
    pass


@contract("DemandReclassified", producer="intake", subject="demand_id",
          summary="A specialist reassessed a demand already in matching: matching starts again.")
class DemandReclassified(_Classification):
    reason = fields.String(allow_none=True, required=True)


@contract("DemandAnswered", producer="intake", subject="demand_id",
          summary="A consultation answered by the station itself; the demand is closed.")
class DemandAnswered(_DemandEvent):
    answer = fields.String(required=True)


@contract("DemandRejected", producer="intake", subject="demand_id",
          summary="Assessment rejected the demand, with the reason.")
class DemandRejected(_DemandEvent):
    reason = fields.String(required=True)


@contract("InformationRequested", producer="intake", subject="demand_id",
          summary="The station asked the enterprise for more; the assessment clock is paused.")
class InformationRequested(_DemandEvent):
    questions = fields.String(required=True)
    assessment_remaining = fields.Float(required=True, metadata={
        "description": "working seconds left on the assessment clock when it stopped"})


@contract("InformationSupplied", producer="intake", subject="demand_id",
          summary="The enterprise answered; the assessment clock runs again.")
class InformationSupplied(_DemandEvent):
    information = fields.String(required=True)
    attachments = fields.List(fields.Nested(AttachmentSchema), required=True)
    assessment_due_at = fields.String(required=True)
    assessment_warn_at = fields.String(required=True)


@contract("DemandAssigned", producer="intake", subject="demand_id",
          summary="The demand follows matching's assignment; the follow-up clock starts.")
class DemandAssigned(Schema):
    demand_id = fields.UUID(required=True)
    assignment_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)
    follow_up = fields.Nested(DeadlineSchema, required=True)
    promised_date = fields.Date(allow_none=True, required=True, metadata={
        "description": "the date the institution promised the result for"})
    overridden = fields.String(allow_none=True, required=True, metadata={
        "description": "the matching constraint a supervisor overrode to assign by hand"})
    at = fields.String(required=True)


@contract("DemandMatchingFailed", producer="intake", subject="demand_id",
          summary="The demand follows matching's report that no institution qualified.")
class DemandMatchingFailed(Schema):
    demand_id = fields.UUID(required=True)
    reasons = fields.List(fields.String(), required=True)
    at = fields.String(required=True)


@contract("DemandCompleted", producer="intake", subject="demand_id",
          summary="The assigned institution completed the service; the demand is done.")
class DemandCompleted(Schema):
    demand_id = fields.UUID(required=True)
    evidence = fields.Dict(required=True)
    at = fields.String(required=True)


@contract("DemandWithdrawn", producer="intake", subject="demand_id",
          summary="The enterprise withdrew the demand before an institution served it.")
class DemandWithdrawn(_DemandEvent):
    reason = fields.String(allow_none=True, required=True)


@contract("DemandCancelled", producer="intake", subject="demand_id",
          summary="The demand was cancelled after an institution was assigned, with the reason.")
class DemandCancelled(_DemandEvent):
    reason = fields.String(required=True)


@contract("FollowUpRecorded", producer="intake", subject="demand_id",
          summary="A specialist followed the service up (服务跟进); the next follow-up is due.")
class FollowUpRecorded(_DemandEvent):
    note = fields.String(required=True)
    contact = fields.String(required=True)
    channel = fields.String(required=True)
    next_step_on = fields.Date(allow_none=True, required=True)
    next_follow_up = fields.Nested(DeadlineSchema, required=True)


@contract("DeadlineApproaching", producer="intake", subject="demand_id",
          summary="A stage's time limit is about to lapse (the warning share of it is left).")
class DeadlineApproaching(Schema):
    demand_id = fields.UUID(required=True)
    stage = fields.String(required=True)
    due_at = fields.String(required=True)
    at = fields.String(required=True)


@contract("DeadlineBreached", producer="intake", subject="demand_id",
          summary="A stage's time limit lapsed before the stage was done.")
class DeadlineBreached(DeadlineApproaching):
    pass


@contract("StationRegistered", producer="intake", subject="station_id",
          summary="A park's one-stop service station opened, with its working calendar.")
class StationRegistered(Schema):
    station_id = fields.UUID(required=True)
    name = fields.String(required=True)
    park = fields.String(required=True)
    operating_institution = fields.Dict(required=True)
    address = fields.String(required=True)
    opening_hours = fields.String(required=True)
    calendar = fields.Dict(required=True)
    parent_platform = fields.String(allow_none=True, required=True)
    auto_accept = fields.List(category_field(), required=True)
    registered_by = fields.Nested(ActorSchema, required=True)


@contract("StationSettingsChanged", producer="intake", subject="station_id",
          summary="A station changed its calendar, automatic acceptance, opening hours or "
                  "address, with who and why (its park and time zone never change).")
class StationSettingsChanged(Schema):
    station_id = fields.UUID(required=True)
    changes = fields.Dict(required=True)
    reason = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("StationConstructionRecorded", producer="intake", subject="station_id",
          summary="The station's site, area, equipment and signage checks were recorded (before "
                  "the checklist of requirements; no longer recorded, its facts read as the "
                  "items they speak of).")
class StationConstructionRecorded(Schema):
    station_id = fields.UUID(required=True)
    facts = fields.Dict(required=True)
    recorded_by = fields.Nested(ActorSchema, required=True)


@contract("SpecialistLeft", producer="intake", subject="station_id",
          summary="A specialist left the station's staff (removed by an operator, with the reason); "
                  "accounts takes their specialist role away.")
class SpecialistLeft(Schema):
    station_id = fields.UUID(required=True)
    staff_id = fields.String(required=True)
    removed_by = fields.Nested(ActorSchema, required=True)
    reason = fields.String(required=True)


@contract("SpecialistJoined", producer="intake", subject="station_id",
          summary="A service specialist (服务专员) joined the station's staff.")
class SpecialistJoined(Schema):
    station_id = fields.UUID(required=True)
    staff_id = fields.String(required=True)
    name = fields.String(required=True)
    phone = fields.String(allow_none=True, required=True)
    trained = fields.Boolean(required=True)
    added_by = fields.Nested(ActorSchema, required=True)


@contract("CatalogueOpened", producer="intake", subject="catalogue_id",
          summary="The service catalogue began (its first version follows at once).")
class CatalogueOpened(Schema):
    catalogue_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("CatalogueVersionPublished", producer="intake", subject="catalogue_id",
          summary="A supervisor (or, for version 1, the provisional default) published a whole "
                  "new version of the service catalogue, with the reason; it applies to the "
                  "demands submitted after it.")
class CatalogueVersionPublished(Schema):
    catalogue_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    catalogue = fields.Dict(required=True, metadata={
        "description": "categories with their sub-items, and terms (docs/categories/catalogue.md)"})
    reason = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


# The station's own requirements (services/intake/requirements.py) -----------------------------
@contract("StationRequirementRecorded", producer="intake", subject="station_id",
          summary="A station's people recorded one item of its requirements (construction or "
                  "management): the value, a note and the evidence files, against the checklist "
                  "version named; it replaces the item's last record and waits for confirmation.")
class StationRequirementRecorded(Schema):
    station_id = fields.UUID(required=True)
    code = fields.String(required=True, metadata={"description": "the checklist item"})
    value = fields.Raw(allow_none=True, required=True, metadata={
        "description": "a number (a measure), true or false (a fact), null (a document)"})
    note = fields.String(allow_none=True, required=True)
    evidence = fields.List(fields.Nested(AttachmentSchema), required=True)
    checklist_version = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("StationRequirementConfirmed", producer="intake", subject="station_id",
          summary="A supervisor confirmed an item of the station's requirements as last recorded.")
class StationRequirementConfirmed(Schema):
    station_id = fields.UUID(required=True)
    code = fields.String(required=True)
    note = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("StationConformityChanged", producer="intake", subject="station_id",
          summary="The station's conformity to its requirements changed (a record, or its staff, "
                  "moved it): conforming, non_conforming (with the failing items) or incomplete.")
class StationConformityChanged(Schema):
    station_id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(
        ("conforming", "non_conforming", "incomplete")))
    failing = fields.List(fields.String(), required=True, metadata={"description": "items not met"})
    not_recorded = fields.List(fields.String(), required=True)
    met = fields.Integer(required=True)
    total = fields.Integer(required=True)
    checklist_version = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)
