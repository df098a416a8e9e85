"""Events evaluation publishes about the figures it keeps."""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema


@contract("PeriodOpened", producer="evaluation", subject="figures_id",
          summary="Evaluation started keeping raw figures for a calendar month.")
class PeriodOpened(Schema):
    figures_id = fields.UUID(required=True)
    period = fields.String(required=True)


@contract("FigureCounted", producer="evaluation", subject="figures_id",
          summary="One occurrence added to a period's raw figures (e.g. demands by category).")
class FigureCounted(Schema):
    figures_id = fields.UUID(required=True)
    period = fields.String(required=True)
    figure = fields.String(required=True)
    key = fields.String(required=True)


@contract("ServiceCaseOpened", producer="evaluation", subject="service_case_id",
          summary="Evaluation follows a demand's service, to know who may rate it.")
class ServiceCaseOpened(Schema):
    # No demand_id: evaluation's bookkeeping stays out of the demand's dossier.
    service_case_id = fields.UUID(required=True)
    enterprise_code = fields.String(required=True)
    station_id = fields.UUID(required=True)


@contract("ServiceCaseAssigned", producer="evaluation", subject="service_case_id",
          summary="The service's institution, as intake recorded it.")
class ServiceCaseAssigned(Schema):
    service_case_id = fields.UUID(required=True)
    assignment_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)


@contract("ServiceCaseCompleted", producer="evaluation", subject="service_case_id",
          summary="The service was completed; feedback may be given.")
class ServiceCaseCompleted(Schema):
    service_case_id = fields.UUID(required=True)
    at = fields.String(required=True)


@contract("FeedbackGiven", producer="evaluation", subject="service_case_id",
          summary="The enterprise rated the service (or a specialist recorded it on a revisit).")
class FeedbackGiven(Schema):
    service_case_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)
    assignment_id = fields.UUID(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    comment = fields.String(allow_none=True, required=True)
    channel = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("RatingOpened", producer="evaluation", subject="rating_id",
          summary="Evaluation started an institution's satisfaction rating.")
class RatingOpened(Schema):
    rating_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)


@contract("InstitutionRated", producer="evaluation", subject="rating_id",
          summary="An institution's satisfaction rate after a new feedback; matching weighs it.")
class InstitutionRated(Schema):
    rating_id = fields.UUID(required=True)
    institution_id = fields.UUID(required=True)
    satisfaction = fields.Float(required=True, metadata={"description": "mean overall score / 5"})
    feedback_count = fields.Integer(required=True)
    overall = fields.Integer(required=True)
