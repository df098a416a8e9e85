"""Events matching publishes about institutions and assignments."""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema, QualificationSchema, category_field


@contract("InstitutionRegistered", producer="matching", subject="institution_id",
          summary="A quality technical service institution joined, with its qualifications.")
class InstitutionRegistered(Schema):
    institution_id = fields.UUID(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    categories = fields.List(category_field(), required=True)
    qualifications = fields.List(fields.Nested(QualificationSchema), required=True)
    parks = fields.List(fields.String(), required=True)
    capacity = fields.Integer(required=True)
    registered_by = fields.Nested(ActorSchema, required=True)


@contract("InstitutionAssigned", producer="matching", subject="match_id",
          summary="Matching chose the institution that serves a demand.")
class InstitutionAssigned(Schema):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    assignment_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)
    candidates = fields.Integer(required=True)
    round = fields.Integer(required=True, metadata={"description": "intake's matching round"})


@contract("MatchingFailed", producer="matching", subject="match_id",
          summary="No institution met the hard constraints for a demand; the reasons say why.")
class MatchingFailed(Schema):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    reasons = fields.List(fields.String(), required=True)
    round = fields.Integer(required=True, metadata={"description": "intake's matching round"})


@contract("MatchingStarted", producer="matching", subject="match_id",
          summary="Matching took up an accepted demand with the facts it matches on.")
class MatchingStarted(Schema):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    category = category_field(required=True)
    items = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    round = fields.Integer(required=True)


@contract("MatchingRestarted", producer="matching", subject="match_id",
          summary="A reassessed demand is matched again, in a new round.")
class MatchingRestarted(MatchingStarted):
    pass


@contract("AssignmentReleased", producer="matching", subject="match_id",
          summary="An assignment ended before its service (withdrawn, cancelled, reassessed); "
                  "the institution's capacity is free again.")
class AssignmentReleased(Schema):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)
    assignment_id = fields.UUID(required=True)
    reason = fields.String(required=True)
