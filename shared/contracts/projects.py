"""Events matching publishes about the work of standardisation and intellectual-property
demands: standard projects and IP applications. Each carries its demand's id, so it joins the
demand's dossier; a stage's files are named under ``attachments``, so the archive keeps them."""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.intake import AttachmentSchema
from shared.contracts.values import ActorSchema


class _StandardProjectEvent(Schema):
    standard_project_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("StandardProjectOpened", producer="matching", subject="standard_project_id",
          summary="The serving institution (or a specialist of the station) opened the standard "
                  "project of a standardisation demand.")
class StandardProjectOpened(_StandardProjectEvent):
    institution_id = fields.UUID(required=True)
    assignment_id = fields.UUID(required=True)
    kind = fields.String(required=True, metadata={
        "description": "enterprise, group, local, industry or national standard"})
    title = fields.String(required=True)
    planned_number = fields.String(allow_none=True, required=True)


@contract("StandardStageCompleted", producer="matching", subject="standard_project_id",
          summary="The institution completed a stage of the standard (initiation, drafting, "
                  "consultation, review) with its documents.")
class StandardStageCompleted(_StandardProjectEvent):
    stage = fields.String(required=True)
    attachments = fields.List(fields.Nested(AttachmentSchema), required=True, metadata={
        "description": "the stage's documents"})
    note = fields.String(required=True)
    consultation = fields.Dict(allow_none=True, required=True, metadata={
        "description": "the consultation stage's comments_received, adopted, partly_adopted, "
                       "not_adopted"})


class SelfDeclarationSchema(Schema):
    declared_on = fields.Date(required=True)
    reference = fields.String(required=True)


@contract("StandardPublished", producer="matching", subject="standard_project_id",
          summary="The institution completed the publication stage: the standard's number, "
                  "date and (an enterprise standard's) self-declaration.")
class StandardPublished(_StandardProjectEvent):
    attachments = fields.List(fields.Nested(AttachmentSchema), required=True)
    note = fields.String(required=True)
    number = fields.String(required=True)
    published_on = fields.Date(required=True)
    self_declaration = fields.Nested(SelfDeclarationSchema, allow_none=True, required=True, metadata={
        "description": "on the enterprise standard public service platform: when, and its "
                       "number or address"})


class _IpApplicationEvent(Schema):
    ip_application_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    note = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("IpApplicationRecorded", producer="matching", subject="ip_application_id",
          summary="The serving institution recorded a patent or trademark application it filed "
                  "for the enterprise.")
class IpApplicationRecorded(_IpApplicationEvent):
    institution_id = fields.UUID(required=True)
    kind = fields.String(required=True, metadata={
        "description": "invention_patent, utility_model, design or trademark"})
    office = fields.String(required=True)
    number = fields.String(required=True)
    filed_on = fields.Date(required=True)
    title = fields.String(required=True)
    classes = fields.List(fields.Integer(), required=True)


@contract("IpApplicationStatusChanged", producer="matching", subject="ip_application_id",
          summary="An IP application was accepted, examined, granted or registered, rejected "
                  "or withdrawn, on the office's date.")
class IpApplicationStatusChanged(_IpApplicationEvent):
    status = fields.String(required=True)
    on = fields.Date(required=True)
