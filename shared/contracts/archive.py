"""Events the archive publishes: the seals of dossiers."""
from marshmallow import Schema, fields

from shared.contracts import contract


@contract("DemandArchived", producer="archive", subject="seal_id",
          summary="A demand's dossier was sealed: final state reached and its feedback in (or "
                  "its window lapsed); later events are kept as addenda.")
class DemandArchived(Schema):
    seal_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    station_id = fields.UUID(allow_none=True, required=True)
    sealed_at = fields.String(required=True, metadata={
        "description": "when the event that sealed it occurred"})
    sealed_by_event = fields.String(required=True)
    retention_until = fields.String(required=True, metadata={
        "description": "the date until which the dossier is kept (ARCHIVE.retention_years)"})
    head = fields.String(required=True, metadata={
        "description": "the hash chain's value at the last sealed entry"})
    event_count = fields.Integer(required=True)
