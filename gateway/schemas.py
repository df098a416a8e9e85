"""What the gateway returns, as marshmallow schemas: responses are dumped through them and the
OpenAPI document is generated from them."""
from marshmallow import Schema, fields

from shared.contracts.values import EnterpriseSchema


class ErrorBody(Schema):
    error = fields.String(required=True, metadata={"description": "machine-readable code"})
    message = fields.String(required=True)
    details = fields.Raw(required=True, metadata={"description": "per-field messages or context"})


class AssignmentView(Schema):
    assignment_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    status = fields.String(required=True)


class DemandView(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "enum": ["submitted", "accepted", "assigned", "matching_failed"]})
    enterprise = fields.Nested(EnterpriseSchema, required=True)
    park = fields.String(required=True)
    category = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    items = fields.List(fields.String(), required=True)
    expected_by = fields.String(allow_none=True, required=True)
    channel = fields.String(required=True)
    submitted_at = fields.String(required=True)
    updated_at = fields.String(required=True)
    assignment = fields.Nested(AssignmentView, allow_none=True, required=True)
    unmatched_reasons = fields.List(fields.String(), required=True)


class QualificationView(Schema):
    type = fields.String(required=True)
    number = fields.String(required=True)
    scope = fields.List(fields.String(), required=True)
    # Dates arrive as ISO strings over RPC; documented as such.
    valid_from = fields.String(required=True, metadata={"format": "date"})
    valid_until = fields.String(required=True, metadata={"format": "date"})


class InstitutionView(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)
    qualifications = fields.List(fields.Nested(QualificationView), required=True)
    parks = fields.List(fields.String(), required=True)
    capacity = fields.Integer(required=True)
    registered_at = fields.String(required=True)


class DossierEvent(Schema):
    service = fields.String(required=True)
    notification_id = fields.Integer(required=True)
    name = fields.String(required=True)
    schema_version = fields.Integer(required=True)
    occurred_at = fields.String(required=True)
    originator_id = fields.String(required=True)
    originator_version = fields.Integer(required=True)
    data = fields.Dict(required=True)


class DossierView(Schema):
    demand_id = fields.String(required=True)
    status = fields.String(allow_none=True, required=True)
    enterprise = fields.Dict(allow_none=True, required=True)
    park = fields.String(allow_none=True, required=True)
    category = fields.String(allow_none=True, required=True)
    title = fields.String(allow_none=True, required=True)
    submitted_at = fields.String(allow_none=True, required=True)
    assignment = fields.Dict(allow_none=True, required=True)
    unmatched_reasons = fields.List(fields.String(), required=True)
    event_count = fields.Integer(required=True)
    events = fields.List(fields.Nested(DossierEvent), required=True)


class FiguresView(Schema):
    period = fields.String(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.Integer()), required=True)


class Health(Schema):
    status = fields.String(required=True)
    services = fields.Dict(keys=fields.String(), values=fields.String())
