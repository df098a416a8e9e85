"""The gateway: HTTP in front of the services' RPC. It owns no data; it authenticates, checks
what each role may see, validates bodies and speaks JSON."""
from __future__ import annotations

import json
import logging
import os
import re
import uuid
from urllib.parse import quote

import eventlet
from nameko.dependency_providers import Config
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from gateway.account_routes import AccountRoutes
from gateway.catalogue_routes import CatalogueRoutes
from gateway.console import console_file, console_folder
from gateway.dead_letter_routes import DeadLetterRoutes
from gateway.disclosure import disclosed
from gateway.errors import ApiError, json_response
from gateway.evaluation_routes import EvaluationRoutes
from gateway.external_sessions import ExternalSignIn
from gateway.metrology_routes import MetrologyRoutes
from gateway.hall_routes import HallRoutes
from gateway.notice_routes import NoticeRoutes
from gateway.partner_routes import PartnerRoutes
from gateway.quote_routes import QuoteRoutes
from gateway.sharing_routes import SharingRoutes
from gateway.project_routes import ProjectRoutes
from gateway.requirements_routes import RequirementRoutes
from gateway.http import route, stream_to_file, unmatched
from gateway.zones import in_station_zone, shown
from gateway.openapi import document
from gateway.schemas import (
    AssignmentPage, AssignmentRecordView, AttachmentView, CatalogueView, DemandPage, DemandView,
    DirectoryPage, DisposalsDuePage, DossierPage, DossierView, FeedbackView, Health,
    InstitutionView, MatchingView, RetentionView, StationPage, StationView, VerificationView)
from shared.commands import (
    AcceptOffer, AddQualification, AddSpecialist, Assess, AssignManually, Cancel, ChangeProfile,
    ChangeStationSettings,
    ChangeQualificationStatus, ChangeStanding, CompleteService, DeclineOffer, GiveFeedback,
    FOLLOWERS, ListAssignments, ListDemands, ListInstitutions, ListStations,
    RecordFollowUp, RecordProgress, RegisterInstitution, RegisterStation,
    RemoveSpecialist,
    ReviewApplication, SearchDossiers, SubmitDemand, SupplyInformation, Withdraw, AsOf, AsShown)
from shared.config import (
    archive_files_folder, archive_prints_folder, attachment_folders, attachment_max_bytes)
from shared.errors import Conflict, Disposed, NotFound
from shared.field_messages import said
from shared.retention import DisposalsDue, RetentionAct
from shared.rpc import RpcProxy
from shared.runtime import metrics_port
from shared.vocabulary import catalogue

log = logging.getLogger(__name__)
STAFF = ("specialist", "supervisor", "operator")
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")
SHA256 = re.compile(r"[0-9a-f]{64}")
PRINT = re.compile(r"[0-9a-f]{32}\.pdf")
#: What a dossier is exported as: the JSON document (the default), or printed for people.
EXPORT_FORMATS = ("json", "pdf")
MEDIA_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+(\s*;.*)?")
FALLBACK_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS,TRACE"
READY_TIMEOUT = 2.0


def _inside_only(request) -> None:
    """The operations' endpoints are not the public's: the Ingress routes every path to the
    gateway (the console's and the API's alike), so a request it forwarded, which carries
    X-Forwarded-For, is answered as if they did not exist. The kubelet and Prometheus call the
    pods directly. (`/readyz` asks every service: from outside, a way to load them all.)"""
    if request.headers.get("X-Forwarded-For"):
        raise ApiError(404, "not_found", f"no route for {request.path}")


class GatewayService(MetrologyRoutes, ProjectRoutes, HallRoutes, CatalogueRoutes, QuoteRoutes,
                     SharingRoutes, RequirementRoutes, AccountRoutes, EvaluationRoutes, PartnerRoutes,
                     NoticeRoutes, DeadLetterRoutes):
    name = "gateway"

    accounts = RpcProxy("accounts")
    intake = RpcProxy("intake")
    config = Config()
    matching = RpcProxy("matching")
    evaluation = RpcProxy("evaluation")
    archive = RpcProxy("archive")
    partners = RpcProxy("partners")
    notices = RpcProxy("notices")
    external_sign_in = ExternalSignIn()

    @route("POST", "/api/v1/institutions", roles=("specialist", "operator", "institution"),
           body=RegisterInstitution, response=InstitutionView, status=201,
           summary="Register a quality technical service institution (staff), or apply as one "
                   "(an institution token whose subject is its credit code; awaits review)")
    def register_institution(self, request, principal, payload):
        return self.matching.register_institution(payload, principal.as_actor(),
                                                  self._station(principal))

    @route("GET", "/api/v1/institutions", roles=("enterprise",) + STAFF, query=ListInstitutions,
           response=DirectoryPage,
           summary="Search the directory of institutions by name (any part, 中文 too), category, "
                   "park, qualification type and scope item, a page at a time by name; staff "
                   "see every one whole, with its load")
    def search_institutions(self, request, principal, query):
        return self.matching.search_institutions(query, principal.as_actor())

    @route("GET", "/api/v1/institutions/<institution_id>", roles=STAFF + ("institution",),
           response=InstitutionView, summary="Read an institution")
    def get_institution(self, request, principal, institution_id):
        if principal.role == "institution" and principal.subject != institution_id:
            raise ApiError(404, "not_found", f"no institution {institution_id}")
        return self.matching.get_institution(institution_id)

    @route("PATCH", "/api/v1/institutions/<institution_id>", roles=("institution", "specialist", "operator"),
           body=ChangeProfile, response=InstitutionView,
           summary="Change an institution's contact, capacity, prices or acceptance of offers, "
                   "with the reason: the institution itself, a specialist of a park it serves, "
                   "an operator (qualifications go through review)")
    def change_profile(self, request, principal, institution_id, payload):
        return self.matching.change_profile(institution_id, payload, principal.as_actor(),
                                            self._station(principal))

    @route("POST", "/api/v1/institutions/<institution_id>/review", roles=("specialist", "operator"),
           body=ReviewApplication, response=InstitutionView,
           summary="Approve or reject an institution's application, with the reason")
    def review_institution(self, request, principal, institution_id, payload):
        return self.matching.review(institution_id, payload, principal.as_actor(),
                                    self._station(principal))

    @route("POST", "/api/v1/institutions/<institution_id>/standing", roles=("supervisor", "operator"),
           body=ChangeStanding, response=InstitutionView,
           summary="Suspend, reinstate or record the exit of an institution, with the reason")
    def change_standing(self, request, principal, institution_id, payload):
        return self.matching.change_standing(institution_id, payload, principal.as_actor())

    @route("POST", "/api/v1/institutions/<institution_id>/qualifications",
           roles=("specialist", "operator"), body=AddQualification, response=InstitutionView,
           status=201, summary="Add a qualification (e.g. a renewal that follows the last one)")
    def add_qualification(self, request, principal, institution_id, payload):
        return self.matching.add_qualification(institution_id, payload, principal.as_actor(),
                                               self._station(principal))

    @route("POST", "/api/v1/institutions/<institution_id>/qualifications/<number>/status",
           roles=("supervisor", "operator"), body=ChangeQualificationStatus,
           response=InstitutionView, summary="Suspend, restore or withdraw a qualification")
    def change_qualification_status(self, request, principal, institution_id, number, payload):
        return self.matching.change_qualification_status(institution_id, number, payload,
                                                         principal.as_actor())

    @route("GET", "/api/v1/demands/<demand_id>/matching", roles=("specialist", "supervisor"),
           response=MatchingView,
           summary="Why a demand went to its institution: every candidate's score or exclusion")
    def get_matching(self, request, principal, demand_id):
        self.intake.get_demand(demand_id, principal.as_actor())  # a specialist: own station's only
        explained = self.matching.get_explanation(demand_id)
        if explained.get("hall"):  # the demand hall's listing, where its station is
            explained["hall"] = in_station_zone(self, explained["hall"], park=explained["hall"]["park"])
        return explained

    @route("POST", "/api/v1/demands/<demand_id>/assignment", roles=("specialist", "supervisor"),
           body=AssignManually, response=MatchingView,
           summary="Assign an institution by hand (after matching failed); a supervisor may "
                   "override the constraints, with the reason")
    def assign_manually(self, request, principal, demand_id, payload):
        self.intake.get_demand(demand_id, principal.as_actor())  # a specialist: own station's only
        return self.matching.assign_manually(demand_id, payload, principal.as_actor(),
                                             self._station(principal))

    @route("POST", "/api/v1/demands/<demand_id>/feedback", roles=("enterprise", "specialist"),
           body=GiveFeedback, response=FeedbackView, status=201,
           summary="Rate a completed service (the enterprise online, or a specialist recording a "
                   "revisit); one feedback per service")
    def give_feedback(self, request, principal, demand_id, payload):
        if principal.role == "specialist":
            self.intake.get_demand(demand_id, principal.as_actor())  # their station's only
        return self.evaluation.give_feedback(demand_id, payload, principal.as_actor())

    @route("GET", "/api/v1/assignments", roles=("institution",), query=ListAssignments,
           response=AssignmentPage,
           summary="The institution's offers and assignments, paged by cursor")
    def list_assignments(self, request, principal, query):
        page = self.matching.list_assignments(principal.as_actor(), query)
        # Each offer with the whole request, so the institution decides on what is asked
        # (who asks comes with the assignment): one read of intake for the page.
        asked = self.intake.offered_requests(sorted({item["demand_id"] for item in page["items"]}))
        for item in page["items"]:
            item["request"] = asked.get(item["demand_id"])
        return {**page, "items": [self._assignment_shown(item, query) for item in page["items"]]}

    @route("GET", "/api/v1/assignments/<assignment_id>", roles=("institution",), query=AsShown,
           response=AssignmentRecordView, summary="One of the institution's offers or assignments, "
                                                  "with the whole request")
    def get_assignment(self, request, principal, assignment_id, query):
        assignment = self.matching.get_assignment(assignment_id, principal.as_actor())
        assignment["request"] = self.intake.offered_requests([assignment["demand_id"]]).get(
            assignment["demand_id"])
        return self._assignment_shown(assignment, query)

    @route("POST", "/api/v1/assignments/<assignment_id>/acceptance", roles=("institution",),
           body=AcceptOffer, response=AssignmentRecordView,
           summary="Accept an offer, with the date the result is promised for")
    def accept_offer(self, request, principal, assignment_id, payload):
        return self._assignment_shown(self.matching.accept_offer(assignment_id, payload, principal.as_actor()))

    @route("POST", "/api/v1/assignments/<assignment_id>/decline", roles=("institution",),
           body=DeclineOffer, response=AssignmentRecordView,
           summary="Decline an offer, with the reason; matching offers the next candidate")
    def decline_offer(self, request, principal, assignment_id, payload):
        return self._assignment_shown(self.matching.decline_offer(assignment_id, payload, principal.as_actor()))

    @route("POST", "/api/v1/assignments/<assignment_id>/progress", roles=("institution",),
           body=RecordProgress, response=AssignmentRecordView, status=201,
           summary="Record a milestone of the service")
    def record_progress(self, request, principal, assignment_id, payload):
        return self._assignment_shown(self.matching.record_progress(assignment_id, payload, principal.as_actor()))

    @route("POST", "/api/v1/assignments/<assignment_id>/completion", roles=("institution",),
           body=CompleteService, response=AssignmentRecordView,
           summary="Complete the service with its evidence: a report number (testing), a "
                   "certificate number and its validity (certification), deliverables (quality "
                   "management, brand cultivation, quality innovation)")
    def complete_service(self, request, principal, assignment_id, payload):
        deliverables = [d["document"] for d in payload.get("deliverables") or []]
        for evidence in (payload.get("documents") or []) + deliverables:  # only files this institution uploaded
            self.intake.attachment(evidence["sha256"], principal.as_actor())
        return self._assignment_shown(self.matching.complete_service(assignment_id, payload, principal.as_actor()))

    def _assignment_shown(self, assignment: dict, query: dict | None = None) -> dict:
        """An assignment with its instants where its station is (the park's)."""
        return in_station_zone(self, assignment, query, park=assignment["park"])

    @route("POST", "/api/v1/stations", roles=("operator", "supervisor"), body=RegisterStation,
           response=StationView, status=201,
           summary="Register a park's one-stop service station and its working calendar")
    def register_station(self, request, principal, payload):
        return self.intake.register_station(payload, principal.as_actor())

    @route("GET", "/api/v1/stations", roles=("supervisor", "operator", "operating_institution"),
           query=ListStations, response=StationPage,
           summary="The stations, a page at a time by name (any part of it, 中文 too) or by park: "
                   "each with its park, operating institution, time zone, specialists' count and "
                   "conformity to its requirements; an operating institution's people, those it runs")
    def list_stations(self, request, principal, query):
        return self.intake.list_stations(query, principal.as_actor())

    @route("GET", "/api/v1/me/station", roles=("specialist",), response=StationView,
           summary="The station you work at (a specialist's own)")
    def my_station(self, request, principal):
        return self.intake.get_station(self._station(principal)["station_id"])

    @route("GET", "/api/v1/stations/<station_id>", roles=STAFF, response=StationView,
           summary="Read a station: calendar, specialists, conformity to its requirements")
    def get_station(self, request, principal, station_id):
        return self.intake.get_station(station_id)

    @route("PATCH", "/api/v1/stations/<station_id>", roles=("operator", "specialist"),
           body=ChangeStationSettings, response=StationView,
           summary="Change the station's calendar, automatic acceptance, opening hours, "
                   "address or demand hall, with the reason (an operator or its specialists)")
    def change_station_settings(self, request, principal, station_id, payload):
        return self.intake.change_station_settings(station_id, payload, principal.as_actor())

    @route("POST", "/api/v1/stations/<station_id>/specialists", roles=("operator",),
           body=AddSpecialist, response=StationView, status=201,
           summary="Add a service specialist to the station's staff")
    def add_specialist(self, request, principal, station_id, payload):
        return self.intake.add_specialist(station_id, payload, principal.as_actor())

    @route("POST", "/api/v1/stations/<station_id>/specialists/<staff_id>/removal",
           roles=("operator",), body=RemoveSpecialist, response=StationView,
           summary="Take a specialist off the station's staff, with the reason: the station's "
                   "work is refused to them at once, and a person's specialist role is revoked")
    def remove_specialist(self, request, principal, station_id, staff_id, payload):
        return self.intake.remove_specialist(station_id, staff_id, payload, principal.as_actor())

    @route("POST", "/api/v1/attachments",
           roles=("enterprise", "specialist", "institution", "operating_institution", "operator"),
           raw_body=True,
           response=AttachmentView, status=201,
           query={"name": {"required": True, "schema": {"type": "string", "maxLength": 255}}},
           summary="Upload a file (the body, with its media type); reference it by its sha256")
    def upload_attachment(self, request, principal):
        # The file goes to the attachments volume a chunk at a time, never into an RPC message;
        # intake checks it there and keeps it (services/intake/attachments.py).
        media_type = request.headers.get("Content-Type") or "application/octet-stream"
        if not MEDIA_TYPE.fullmatch(media_type):
            raise ApiError(415, "unsupported_media_type",
                           "send the file with its media type as Content-Type, e.g. application/pdf",
                           {"content_type": media_type})
        incoming, folder = uuid.uuid4().hex, attachment_folders(self.config)[1]
        folder.mkdir(parents=True, exist_ok=True)
        stream_to_file(request, folder / incoming, attachment_max_bytes(self.config))
        return self.intake.store_attachment(incoming, request.args.get("name", ""), media_type,
                                            principal.as_actor())

    @route("GET", "/api/v1/demands/<demand_id>/files/<sha256>",
           roles=("enterprise", "specialist", "institution", "supervisor"), answers=(404,),
           summary="Download a file of the demand (an attachment, or its completion's evidence): "
                   "the enterprise, the station's specialists, the institution once assigned and "
                   "supervisors; each download is recorded")
    def download_file(self, request, principal, demand_id, sha256):
        if not SHA256.fullmatch(sha256):
            raise ApiError(404, "not_found", f"demand {demand_id} has no file {sha256}")
        described = self.intake.downloadable(demand_id, sha256, principal.as_actor())
        self._record_access(principal, demand_id, f"download {sha256}", everyone=True)
        return file_response(request, attachment_folders(self.config)[0] / sha256, described)

    @route("POST", "/api/v1/demands", roles=("enterprise", "specialist"), body=SubmitDemand,
           response=DemandView, status=201,
           summary="Submit a demand (online, or entered by a specialist at the counter, by phone "
                   "or on a visit); an Idempotency-Key header makes a retry return the first result")
    def submit_demand(self, request, principal, payload):
        key = request.headers.get("Idempotency-Key")
        if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
            raise ApiError(422, "validation_failed", "the Idempotency-Key header is malformed",
                           {"Idempotency-Key": [said("idempotency_key")]})
        demand = self.intake.submit_demand(payload, principal.as_actor(), key)
        if demand.pop("replayed", False):
            return json_response(DemandView().dump(demand), 201, {"Idempotent-Replayed": "true"})
        return demand

    @route("GET", "/api/v1/demands", roles=STAFF + ("enterprise", "institution"),
           query=ListDemands, response=DemandPage,
           summary="List demands, filtered, sorted and paged by cursor: each caller sees only its own "
                   "(an enterprise its demands, a specialist its station's, an institution those "
                   "assigned to it)")
    def list_demands(self, request, principal, query):
        page = self.intake.list_demands(query, principal.as_actor())
        return {**page, "items": [shown(item, query) for item in page["items"]]}

    @route("GET", "/api/v1/demands/<demand_id>", roles=STAFF + ("enterprise", "institution"),
           query=AsShown, response=DemandView,
           summary="Read a demand: status, assignment, deadlines, history")
    def get_demand(self, request, principal, demand_id, query):
        demand = self.intake.get_demand(demand_id, principal.as_actor())
        if demand["assignment"] and principal.role != "institution":  # it knows itself
            demand["institution"] = self.matching.serving(
                demand["assignment"]["assignment_id"], demand["category"], demand["items"])
        return shown(demand, query)

    @route("POST", "/api/v1/demands/<demand_id>/assessment", roles=("specialist",), body=Assess,
           response=DemandView,
           summary="Assess: accept (or reclassify, which re-matches), answer, request "
                   "information (the clock pauses) or reject")
    def assess(self, request, principal, demand_id, payload):
        return self.intake.assess(demand_id, payload, principal.as_actor())

    @route("POST", "/api/v1/demands/<demand_id>/information", roles=("enterprise", "specialist"),
           body=SupplyInformation, response=DemandView,
           summary="Supply the information the station asked for (the clock runs again)")
    def supply_information(self, request, principal, demand_id, payload):
        return self.intake.supply_information(demand_id, payload, principal.as_actor())

    @route("POST", "/api/v1/demands/<demand_id>/withdrawal", roles=("enterprise", "specialist"),
           body=Withdraw, response=DemandView,
           summary="Withdraw a demand before an institution serves it")
    def withdraw(self, request, principal, demand_id, payload):
        return self.intake.withdraw(demand_id, payload, principal.as_actor())

    @route("POST", "/api/v1/demands/<demand_id>/cancellation", roles=("enterprise", "specialist"),
           body=Cancel, response=DemandView,
           summary="Cancel a demand an institution was assigned to, with the reason")
    def cancel(self, request, principal, demand_id, payload):
        return self.intake.cancel(demand_id, payload, principal.as_actor())

    @route("POST", "/api/v1/demands/<demand_id>/follow-ups", roles=("specialist",),
           body=RecordFollowUp, response=DemandView, status=201,
           summary="Record a follow-up (服务跟进) while the service runs")
    def record_follow_up(self, request, principal, demand_id, payload):
        return self.intake.record_follow_up(demand_id, payload, principal.as_actor())

    @route("GET", "/api/v1/archive/demands", roles=("supervisor",), query=SearchDossiers,
           response=DossierPage,
           summary="Search dossiers by enterprise, institution, category, station, status, "
                   "submission time and breaches (newest first)")
    def search_dossiers(self, request, principal, query):
        return self.archive.search_dossiers(query)

    @route("GET", "/api/v1/archive/demands/<demand_id>",
           roles=("specialist", "supervisor", "enterprise", "institution"), query=AsOf,
           response=DossierView, answers=(410,),
           summary="Read a demand's dossier: its whole timeline, or (as_of) the case as it "
                   "stood at a past moment")
    def get_dossier(self, request, principal, demand_id, query):
        if principal.role == "specialist":
            self.intake.get_demand(demand_id, principal.as_actor())  # their station's cases only
        try:
            dossier = self.archive.get_dossier(demand_id, query.get("as_of"))
        except Disposed:
            if principal.role == "supervisor":
                raise
            # Who disposed of which case, and why, is the regulator's to know; to the parties
            # the case is simply not there any more.
            raise ApiError(404, "not_found", f"no demand {demand_id}") from None
        self._require_party(principal, (dossier.get("enterprise") or {}).get("credit_code"),
                            (dossier.get("assignment") or {}).get("institution_id"), demand_id)
        self._record_access(principal, demand_id, "read")
        return disclosed(dossier, principal.role, principal.subject)

    @route("GET", "/api/v1/archive/demands/<demand_id>/verify", roles=("supervisor",),
           response=VerificationView, answers=(410,),
           summary="Prove the dossier unaltered: its hash chain, its seal, and each entry "
                   "against the event store it came from; names the first broken entry")
    def verify_dossier(self, request, principal, demand_id):
        verified = self.archive.verify_dossier(demand_id)
        self._record_access(principal, demand_id, "verify")
        return verified

    @route("GET", "/api/v1/archive/demands/<demand_id>/files/<sha256>", roles=("supervisor",),
           answers=(404,),
           summary="Download a file the dossier names, from the archive's own copy (complete "
                   "without intake); the download is recorded")
    def download_archived_file(self, request, principal, demand_id, sha256):
        if not SHA256.fullmatch(sha256):
            raise ApiError(404, "not_found", f"the dossier of {demand_id} names no file {sha256}")
        described = self.archive.archived_file(demand_id, sha256)
        self._record_access(principal, demand_id, f"download {sha256}")
        return file_response(request, archive_files_folder(self.config) / sha256, described)

    @route("GET", "/api/v1/archive/demands/<demand_id>/export", roles=("supervisor",),
           query={"format": {"schema": {"type": "string", "enum": list(EXPORT_FORMATS),
                                        "default": "json"},
                             "description": "json: the dossier and its verification as one "
                                            "document; pdf: printed for people (PDF/A-3b, in "
                                            "Chinese, its files embedded)"}},
           answers=(410,),
           summary="Download the dossier with its verification: as one JSON document, or "
                   "printed as PDF/A-3b in Chinese with its files embedded; recorded")
    def export_dossier(self, request, principal, demand_id):
        chosen = request.args.get("format", "json")
        if chosen not in EXPORT_FORMATS:
            raise ApiError(422, "unsupported_export_format",
                           f"不支持导出为“{chosen}”，可选 json 或 pdf",
                           {"format": [said("one_of", choices=", ".join(EXPORT_FORMATS))]})
        if chosen == "pdf":
            printed = self.archive.print_dossier(demand_id, principal.as_actor())
            self._record_access(principal, demand_id, "export")
            return printed_response(request, archive_prints_folder(self.config), printed)
        exported = {"dossier": self.archive.get_dossier(demand_id),
                    "verification": self.archive.verify_dossier(demand_id),
                    "exported_by": principal.as_actor()}
        self._record_access(principal, demand_id, "export")
        return Response(json.dumps(exported, ensure_ascii=False, indent=2),
                        content_type="application/json; charset=utf-8",
                        headers={"Content-Disposition":
                                 f'attachment; filename="dossier-{demand_id}.json"'})

    @route("GET", "/api/v1/archive/disposals/due", roles=("supervisor",), query=DisposalsDue,
           response=DisposalsDuePage,
           summary="Sealed dossiers past their retention date, for a decision on their "
                   "disposal (oldest date first, those under a legal hold shown with it)")
    def disposals_due(self, request, principal, query):
        return self.archive.disposals_due(query)

    @route("POST", "/api/v1/archive/demands/<demand_id>/legal-hold", roles=("supervisor",),
           body=RetentionAct, response=RetentionView, status=201, answers=(410,),
           summary="Place a sealed dossier under a legal hold, with the reason: it is not "
                   "disposed of until the hold is released (LegalHoldPlaced)")
    def place_legal_hold(self, request, principal, demand_id, payload):
        return self.archive.place_legal_hold(demand_id, payload, principal.as_actor())

    @route("POST", "/api/v1/archive/demands/<demand_id>/legal-hold/release", roles=("supervisor",),
           body=RetentionAct, response=RetentionView, answers=(410,),
           summary="Release a dossier's legal hold, with the reason (LegalHoldReleased)")
    def release_legal_hold(self, request, principal, demand_id, payload):
        return self.archive.release_legal_hold(demand_id, payload, principal.as_actor())

    @route("POST", "/api/v1/archive/demands/<demand_id>/disposal", roles=("supervisor",),
           body=RetentionAct, response=RetentionView, status=201, answers=(410,),
           summary="Dispose of a sealed dossier past its retention, with the reason: its "
                   "content and files leave the archive; the act (DossierDisposed: who, when, "
                   "why, the chain head then) stays, and the answer is that tombstone")
    def dispose_dossier(self, request, principal, demand_id, payload):
        try:
            return self.archive.dispose(demand_id, payload, principal.as_actor())
        except Conflict as refused:
            if refused.details.get("current_status") != "legal_hold":
                raise
            raise ApiError(409, "under_legal_hold", refused.args[0], refused.details) from None

    @route("GET", "/api/v1/catalogue", response=CatalogueView,
           summary="The labels of every code the API speaks, in Chinese (zh-CN) and English: "
                   "categories, statuses, stages, events, indicators, error codes")
    def get_catalogue(self, request):
        return catalogue()

    @route("GET", "/openapi.json", summary="This document")
    def openapi(self, request):
        return document(type(self))

    @route("GET", "/healthz", response=Health, summary="The gateway process is alive")
    def healthz(self, request):
        return {"status": "ok", "services": {}}

    @route("GET", "/readyz", response=Health, answers=(404,),
           summary="Every service answers over RPC (inside the cluster only: 404 to a request a "
                   "proxy forwarded)")
    def readyz(self, request):
        _inside_only(request)
        services = {}
        for name in FOLLOWERS:  # every service
            try:
                with eventlet.Timeout(READY_TIMEOUT):
                    getattr(self, name).health()
                services[name] = "ok"
            except (Exception, eventlet.Timeout):  # Timeout is not an Exception
                services[name] = "unavailable"
        ready = all(state == "ok" for state in services.values())
        return json_response({"status": "ok" if ready else "unavailable", "services": services},
                             status=200 if ready else 503)

    @route("GET", "/metrics", answers=(404,),
           summary="Prometheus metrics (the embedded mode's; a distributed gateway serves its "
                   "own on METRICS.port, apart from the API)")
    def metrics(self, request):
        _inside_only(request)
        if metrics_port(self.config):
            raise ApiError(404, "not_found", "this process's metrics are on their own port")
        return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)

    @route(FALLBACK_METHODS, "/", documented=False)
    @route(FALLBACK_METHODS, "/<path:path>", documented=False)
    def fallback(self, request, path=""):
        folder = console_folder(self.config)
        page = console_file(request, folder, path) if folder is not None else None
        if page is None:
            raise unmatched(type(self), request.method, request.path)
        return page

    def _record_access(self, principal, demand_id: str, action: str, everyone: bool = False) -> None:
        """A supervisor's read, export or verification of a dossier, and anyone's download of
        a case's file, join the audit trail before the answer leaves (an access that could not
        be recorded is not served)."""
        if everyone or principal.role == "supervisor":
            self.accounts.record_access(demand_id, action, principal.as_actor())

    def _viewer(self, principal) -> dict:
        """The caller as the services check it; a specialist with its station's id."""
        viewer = principal.as_actor()
        station = self._station(principal)
        if station is not None:
            viewer["station_id"] = station["station_id"]
        return viewer

    def _station(self, principal) -> dict | None:
        """A specialist's station as intake knows it (``station_id``, ``park``), which the
        services hold the specialist to; None for the other roles. A specialist token acts
        for a station only if its subject is on a station's staff."""
        if principal.role != "specialist":
            return None
        try:
            return self.intake.staff_station(principal.subject)
        except NotFound:
            raise ApiError(403, "forbidden", f"{principal.subject} is not a specialist of "
                                             "any station") from None

    @staticmethod
    def _require_party(principal, enterprise_code, institution_id, demand_id):
        """An enterprise sees only its own cases, an institution only those assigned to it;
        to anyone else the case does not exist."""
        if principal.role == "enterprise" and principal.subject != enterprise_code:
            raise ApiError(404, "not_found", f"no demand {demand_id}")
        if principal.role == "institution" and principal.subject != institution_id:
            raise ApiError(404, "not_found", f"no demand {demand_id}")


def file_response(request, stored, described: dict) -> Response:
    """The file streamed as a download: its media type, its name, never rendered in place."""
    try:
        content = stored.open("rb")
    except FileNotFoundError:  # referenced files are never removed: a volume lost or not mounted
        log.error("a referenced file is missing: %s", stored)
        raise ApiError(404, "not_found", "这个文件已不在这里保存 (the file is not kept here)") from None
    return _download(request, content, described)


def printed_response(request, folder, printed: dict) -> Response:
    """A dossier the archive printed, streamed once: the file is removed as soon as it is open
    (the open file is read to its end all the same), so no print outlives its download."""
    if not PRINT.fullmatch(printed["print"]):
        raise ValueError(f"not a print's name: {printed['print']!r}")
    stored = folder / printed["print"]
    content = stored.open("rb")
    stored.unlink()
    return _download(request, content, printed)


def _download(request, content, described: dict) -> Response:
    return Response(wrap_file(request.environ, content), direct_passthrough=True,
                    content_type=described["media_type"], headers={
                        "Content-Length": str(os.fstat(content.fileno()).st_size),
                        "Content-Disposition": "attachment; filename*=UTF-8''"
                                               + quote(described["name"], safe="")})
