"""Events evaluation publishes about the figures it keeps."""
from marshmallow import Schema, fields

from shared.contracts import contract


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
