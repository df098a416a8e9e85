"""The gateway's routes for a station's own requirements (mixed into ``GatewayService``): each
item's state and the station's conformity, the records of its people with evidence files, and a
supervisor's confirmations; the operating institution reads the stations it runs and records
the items it owns (docs/categories/station-requirements.md)."""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.errors import ApiError
from gateway.http import route
from gateway.schemas import AttachmentView
from gateway.zones import in_station_zone
from shared.commands import AsShown, ConfirmRequirement, RecordRequirement
from shared.config import attachment_folders
from shared.contracts.values import ActorSchema

READERS = ("specialist", "supervisor", "operator", "operating_institution")
STATES = ("met", "not_met", "not_recorded")
STATUSES = ("conforming", "non_conforming", "incomplete")


class RequirementRecordView(Schema):
    value = fields.Raw(allow_none=True, required=True, metadata={
        "description": "a number (a measure), true or false (a fact), null (a document)"})
    note = fields.String(allow_none=True, required=True)
    evidence = fields.List(fields.Nested(AttachmentView), required=True)
    recorded_by = fields.Nested(ActorSchema, allow_none=True, required=True, metadata={
        "description": "null for a measure counted from the station's specialists"})
    recorded_at = fields.String(allow_none=True, required=True, metadata={
        "description": "null for a measure counted from the staff, and for the construction "
                       "facts recorded before the checklist (legacy)"})
    confirmed_by = fields.Nested(ActorSchema, allow_none=True, required=True)
    confirmed_at = fields.String(allow_none=True, required=True)
    confirmation_note = fields.String(allow_none=True, required=True)
    checklist_version = fields.String(allow_none=True)
    legacy = fields.Boolean(metadata={"description": "recorded as a construction fact before the checklist"})


class WhyView(Schema):
    code = fields.String(required=True, metadata={"enum": ["below_minimum", "not_in_place", "no_evidence"]})
    value = fields.Float()
    minimum = fields.Float()


class RequirementItemView(Schema):
    code = fields.String(required=True)
    group = fields.String(required=True, metadata={"enum": ["construction", "management"]})
    owner = fields.String(required=True, metadata={"enum": ["station", "operating_institution"]})
    name = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                       metadata={"description": "zh-CN and en"})
    kind = fields.String(required=True, metadata={"enum": ["measure", "fact", "document"]})
    minimum = fields.Float(allow_none=True, required=True)
    unit = fields.String(allow_none=True, required=True)
    derived = fields.Boolean(required=True, metadata={"description": "counted from the station's specialists"})
    evidence_required = fields.Boolean(required=True)
    state = fields.String(required=True, metadata={"enum": list(STATES)})
    why = fields.Nested(WhyView, allow_none=True, required=True, metadata={"description": "why not met"})
    record = fields.Nested(RequirementRecordView, allow_none=True, required=True)


class ConformityView(Schema):
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    failing = fields.List(fields.String(), required=True, metadata={"description": "the items not met"})
    not_recorded = fields.List(fields.String(), required=True)
    met = fields.Integer(required=True)
    total = fields.Integer(required=True)
    checklist_version = fields.String(required=True)


class RequirementsView(Schema):
    station_id = fields.String(required=True)
    station_name = fields.String(required=True)
    operating_institution = fields.Dict(required=True)
    items = fields.List(fields.Nested(RequirementItemView), required=True)
    conformity = fields.Nested(ConformityView, required=True)
    time_zone = fields.String(required=True)


class RequirementRoutes:
    @route("GET", "/api/v1/stations/<station_id>/requirements", roles=READERS, query=AsShown,
           response=RequirementsView,
           summary="The station's requirements (construction and management): each item's state "
                   "(met, not met with why, not recorded), its record, evidence and confirmation, "
                   "and the station's conformity naming the failing items; its specialists, its "
                   "operating institution, supervisors and operators")
    def station_requirements(self, request, principal, station_id, query):
        found = self.intake.station_requirements(station_id, principal.as_actor())
        return in_station_zone(self, found, query, station_id=station_id)

    @route("PUT", "/api/v1/stations/<station_id>/requirements/<code>",
           roles=("specialist", "operator", "operating_institution"),
           body=RecordRequirement, response=RequirementsView,
           summary="Record an item's facts (a measure's number, a fact's true or false, a "
                   "document's files) with the evidence files you uploaded; it replaces the "
                   "item's last record and its confirmation (the station's specialists, operators; "
                   "its operating institution the items it owns, 403 for the others)")
    def record_requirement(self, request, principal, station_id, code, payload):
        found = self.intake.record_requirement(station_id, code, payload, principal.as_actor())
        return in_station_zone(self, found, station_id=station_id)

    @route("POST", "/api/v1/stations/<station_id>/requirements/<code>/confirmation",
           roles=("supervisor",), body=ConfirmRequirement, response=RequirementsView,
           summary="Confirm an item as last recorded (a supervisor): 409 if it is not recorded "
                   "or already confirmed")
    def confirm_requirement(self, request, principal, station_id, code, payload):
        found = self.intake.confirm_requirement(station_id, code, payload, principal.as_actor())
        return in_station_zone(self, found, station_id=station_id)

    @route("GET", "/api/v1/stations/<station_id>/requirements/<code>/files/<sha256>",
           roles=READERS, answers=(404,),
           summary="Download an evidence file of the item as last recorded")
    def download_requirement_file(self, request, principal, station_id, code, sha256):
        from gateway.service import SHA256, file_response  # the gateway's one way to stream a file
        if not SHA256.fullmatch(sha256):
            raise ApiError(404, "not_found", f"requirement {code} has no file {sha256}")
        described = self.intake.requirement_file(station_id, code, sha256, principal.as_actor())
        return file_response(request, attachment_folders(self.config)[0] / sha256, described)
