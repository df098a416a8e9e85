"""The gateway's routes for the work of standardisation and intellectual-property demands: a
demand's standard project and its IP applications (mixed into ``GatewayService``).

Every route first reads the demand as the caller (intake answers 404 to whoever may not read
it: an enterprise reads its own, a specialist its station's, an institution those it serves);
matching then holds the caller to the work's rules (who serves, which category, which stage).
"""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.errors import ApiError
from gateway.http import route
from shared.config import archive_files_folder, attachment_folders
from shared.commands import (
    CompleteStandardStage, MoveIpApplication, OpenStandardProject, RecordIpApplication)
from shared.contracts.values import ActorSchema
from shared.errors import Invalid
from shared.field_messages import said

PARTIES = ("enterprise", "specialist", "institution", "supervisor")


class StageDocumentView(Schema):
    sha256 = fields.String(required=True)
    name = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True)


class ConsultationView(Schema):
    comments_received = fields.Integer(required=True)
    adopted = fields.Integer(required=True)
    partly_adopted = fields.Integer(required=True)
    not_adopted = fields.Integer(required=True)


class StandardStageView(Schema):
    stage = fields.String(required=True)
    documents = fields.List(fields.Nested(StageDocumentView), required=True)
    note = fields.String(required=True)
    consultation = fields.Nested(ConsultationView, allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


class SelfDeclarationView(Schema):
    declared_on = fields.String(required=True)
    reference = fields.String(required=True)


class PublicationView(Schema):
    number = fields.String(required=True)
    published_on = fields.String(required=True)
    self_declaration = fields.Nested(SelfDeclarationView, allow_none=True, required=True)


class StandardProjectView(Schema):
    id = fields.String(required=True)
    demand_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    planned_number = fields.String(allow_none=True, required=True)
    opened_by = fields.Nested(ActorSchema, required=True)
    opened_at = fields.String(required=True)
    stages = fields.List(fields.Nested(StandardStageView), required=True, metadata={
        "description": "the stages completed, in order"})
    next_stage = fields.String(allow_none=True, required=True, metadata={
        "description": "the stage to complete next; null once published"})
    status = fields.String(required=True, metadata={"enum": ["in_progress", "published"]})
    publication = fields.Nested(PublicationView, allow_none=True, required=True)


class IpStatusView(Schema):
    status = fields.String(required=True)
    on = fields.String(required=True)
    note = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


class IpApplicationView(Schema):
    id = fields.String(required=True)
    demand_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    kind = fields.String(required=True)
    office = fields.String(required=True)
    number = fields.String(required=True)
    filed_on = fields.String(required=True)
    title = fields.String(required=True)
    classes = fields.List(fields.Integer(), required=True)
    note = fields.String(allow_none=True, required=True)
    status = fields.String(required=True)
    recorded_by = fields.Nested(ActorSchema, required=True)
    recorded_at = fields.String(required=True)
    history = fields.List(fields.Nested(IpStatusView), required=True)


class IpApplicationList(Schema):
    items = fields.List(fields.Nested(IpApplicationView), required=True)


class ProjectRoutes:
    @route("GET", "/api/v1/demands/<demand_id>/standard-project", roles=PARTIES,
           response=StandardProjectView,
           summary="A standardisation demand's standard project: its stages and documents "
                   "(the demand's parties; 404 until it is opened)")
    def get_standard_project(self, request, principal, demand_id):
        self.intake.get_demand(demand_id, principal.as_actor())
        return self.matching.get_standard_project(demand_id)

    @route("POST", "/api/v1/demands/<demand_id>/standard-project",
           roles=("institution", "specialist"), body=OpenStandardProject,
           response=StandardProjectView, status=201,
           summary="Open the standard project of a standardisation demand an institution "
                   "serves: the serving institution or a specialist of the station")
    def open_standard_project(self, request, principal, demand_id, payload):
        self.intake.get_demand(demand_id, principal.as_actor())
        return self.matching.open_standard_project(demand_id, payload, principal.as_actor(),
                                                   self._station(principal))

    @route("POST", "/api/v1/demands/<demand_id>/standard-project/stages", roles=("institution",),
           body=CompleteStandardStage, response=StandardProjectView, status=201,
           summary="Complete the project's next stage with its documents (files you uploaded) "
                   "and a note; no stage is skipped or done twice")
    def complete_standard_stage(self, request, principal, demand_id, payload):
        self.intake.get_demand(demand_id, principal.as_actor())
        documents = [self._uploaded(sha256, principal) for sha256 in payload["documents"]]
        return self.matching.complete_standard_stage(demand_id, payload, documents,
                                                     principal.as_actor())

    @route("GET", "/api/v1/demands/<demand_id>/standard-project/files/<sha256>", roles=PARTIES,
           answers=(404,),
           summary="Download a document of the standard project (the demand's parties); each "
                   "download is recorded")
    def download_standard_document(self, request, principal, demand_id, sha256):
        self.intake.get_demand(demand_id, principal.as_actor())
        project = self.matching.get_standard_project(demand_id)
        found = [document for stage in project["stages"] for document in stage["documents"]
                 if document["sha256"] == sha256]
        if not found:
            raise ApiError(404, "not_found", f"the standard project has no document {sha256}")
        self._record_access(principal, demand_id, f"download {sha256}", everyone=True)
        from gateway.service import file_response  # the module that mixes these routes in
        stored = attachment_folders(self.config)[0] / sha256
        if not stored.exists():
            # Intake removes the files no demand of its own references once their grace has
            # passed; the archive keeps a copy of each file an entry of the dossier names.
            stored = archive_files_folder(self.config) / sha256
        return file_response(request, stored, found[0])

    @route("GET", "/api/v1/demands/<demand_id>/ip-applications", roles=PARTIES,
           response=IpApplicationList,
           summary="An intellectual-property demand's patent and trademark applications, by "
                   "filing date (the demand's parties)")
    def list_ip_applications(self, request, principal, demand_id):
        self.intake.get_demand(demand_id, principal.as_actor())
        return self.matching.list_ip_applications(demand_id)

    @route("POST", "/api/v1/demands/<demand_id>/ip-applications", roles=("institution",),
           body=RecordIpApplication, response=IpApplicationView, status=201,
           summary="Record an application the serving institution filed: kind, office, number "
                   "(CNIPA's checked), filing date, title or mark, a trademark's classes")
    def record_ip_application(self, request, principal, demand_id, payload):
        self.intake.get_demand(demand_id, principal.as_actor())
        return self.matching.record_ip_application(demand_id, payload, principal.as_actor())

    @route("POST", "/api/v1/demands/<demand_id>/ip-applications/<application_id>/status",
           roles=("institution",), body=MoveIpApplication, response=IpApplicationView,
           summary="Move an application on (accepted, examined, granted or registered, "
                   "rejected, withdrawn) with the office's date and a note")
    def move_ip_application(self, request, principal, demand_id, application_id, payload):
        self.intake.get_demand(demand_id, principal.as_actor())
        return self.matching.move_ip_application(demand_id, application_id, payload,
                                                 principal.as_actor())

    def _uploaded(self, sha256: str, principal) -> dict:
        """A file the caller uploaded, as intake keeps it (a stage's document must be)."""
        try:
            return self.intake.attachment(sha256, principal.as_actor())
        except Invalid:
            raise ApiError(422, "validation_failed", f"you uploaded no file {sha256}",
                           {"documents": [said("attachment_unknown", sha256=sha256)]}) from None
