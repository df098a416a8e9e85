"""Events the archive publishes: the seals of dossiers and the retention acts on them."""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema


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


class _RetentionAct(Schema):
    seal_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True, metadata={"description": "when (ISO 8601 with offset)"})


@contract("LegalHoldPlaced", producer="archive", subject="seal_id",
          summary="A supervisor placed a sealed dossier under a legal hold, with the reason: it "
                  "is not disposed of until the hold is released.")
class LegalHoldPlaced(_RetentionAct):
    pass


@contract("LegalHoldReleased", producer="archive", subject="seal_id",
          summary="A supervisor released a dossier's legal hold, with the reason.")
class LegalHoldReleased(_RetentionAct):
    pass


@contract("DossierDisposed", producer="archive", subject="seal_id",
          summary="A supervisor disposed of a sealed dossier past its retention, with the "
                  "reason: the archive no longer holds its content or files; this event is "
                  "what remains (the case existed, and when and why it was disposed of).")
class DossierDisposed(_RetentionAct):
    head = fields.String(required=True, metadata={
        "description": "the dossier's hash-chain head when it was disposed of"})
    event_count = fields.Integer(required=True, metadata={
        "description": "the entries the dossier held then"})
