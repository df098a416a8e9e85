"""Events intake publishes about demands."""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema, EnterpriseSchema, category_field


@contract("DemandSubmitted", producer="intake", subject="demand_id",
          summary="An enterprise's demand reached the station through one of its channels.")
class DemandSubmitted(Schema):
    demand_id = fields.UUID(required=True)
    enterprise = fields.Nested(EnterpriseSchema, required=True)
    park = fields.String(required=True)
    category = category_field(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    items = fields.List(fields.String(), required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    channel = fields.String(required=True)
    submitted_by = fields.Nested(ActorSchema, required=True)


@contract("DemandAccepted", producer="intake", subject="demand_id",
          summary="Assessment accepted the demand for matching; carries what matching needs.")
class DemandAccepted(Schema):
    demand_id = fields.UUID(required=True)
    category = category_field(required=True)
    items = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    accepted_by = fields.Nested(ActorSchema, required=True)


@contract("DemandAssigned", producer="intake", subject="demand_id",
          summary="The demand follows matching's assignment of an institution.")
class DemandAssigned(Schema):
    demand_id = fields.UUID(required=True)
    assignment_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)


@contract("DemandMatchingFailed", producer="intake", subject="demand_id",
          summary="The demand follows matching's report that no institution qualified.")
class DemandMatchingFailed(Schema):
    demand_id = fields.UUID(required=True)
    reasons = fields.List(fields.String(), required=True)
