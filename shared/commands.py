"""Command schemas: what a caller may ask of a service. The gateway validates requests with them
(and documents them in OpenAPI); the owning service loads its RPC arguments with the same schema,
so a command that bypasses the gateway is held to the same rules."""
import json
from datetime import date
from functools import lru_cache
from decimal import Decimal
from datetime import time as datetime_time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from shared.catalogue import (
    ASSIGNMENT_STATUSES, CATEGORIES, COMPLAINT_STATUSES, DEMAND_STATUSES, QUALIFICATION_STATUSES,
    QUALIFICATION_TYPES, URGENCIES, credit_code_problem, qualification_overlap)
from shared.contracts.values import (
    EnterpriseSchema, QualificationSchema, category_field, credit_code_field, distinct, park_field,
    text)
from shared.errors import Invalid
from shared.field_messages import said
from shared.times import local_today


def cursor_field():
    """Where a list resumes: the ``next_after`` of the page before (lists page by key)."""
    return fields.String(load_default=None, validate=validate.Length(min=1, max=500), metadata={
        "description": "the next_after of the previous page; omitted for the first page"})


class Command(Schema):
    """A command's schema. ``today`` is the date a service's clock says where the platform's
    people are (the gateway, which has no clock of its own, leaves it to the machine's clock,
    shared/times.py): dates that must not be in the past are judged against it, so a service on
    a controlled clock judges them by that clock."""

    class Meta:
        unknown = RAISE

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or local_today()


class FutureDate(fields.Date):
    """A date that must not be before the loading schema's ``today``."""

    def _deserialize(self, value, attr, data, **kwargs):
        found = super()._deserialize(value, attr, data, **kwargs)
        if found < self.parent.today:
            raise ValidationError(said("past_date"))
        return found


CHANNELS = ("online", "counter", "phone", "visit")
DECISIONS = ("accept", "answer", "request_info", "reject")
SHA256 = validate.Regexp(r"[0-9a-f]{64}\Z", error=said("attachment_id"))


def flag(**kwargs):
    """A JSON boolean: true or false only, not "yes", 1 or "no"."""
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


def attachment_ids(**kwargs):
    return fields.List(fields.String(validate=SHA256), load_default=list,
                       validate=[validate.Length(max=20), distinct], **kwargs)


class SubmitDemand(Command):
    enterprise = fields.Nested(EnterpriseSchema, required=True)
    park = park_field(required=True)
    category = category_field(required=True)
    title = text(200, required=True)
    description = text(5000, multiline=True, required=True)
    items = fields.List(text(200), load_default=list, validate=[validate.Length(max=100), distinct])
    expected_by = FutureDate(load_default=None, allow_none=True)
    channel = fields.String(load_default="online", validate=validate.OneOf(CHANNELS))
    consultation = flag(load_default=False, metadata={
        "description": "an enquiry the station may answer itself (shorter assessment limit)"})
    attachments = attachment_ids()
    excluded_institutions = fields.List(fields.UUID(), load_default=list,
                                        validate=[validate.Length(max=50), distinct], metadata={
        "description": "institutions the enterprise does not want to serve it"})
    sub_item = fields.String(load_default=None, validate=validate.Length(min=1, max=64), metadata={
        "description": "a sub-item of the category in the current service catalogue"})
    details = fields.Dict(keys=fields.String(validate=validate.Length(max=64)), load_default=dict,
                          validate=validate.Length(max=30), metadata={
        "description": "the sub-item's fields (GET /api/v1/service-catalogue), by name"})


class Assess(Command):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    category = category_field(load_default=None, metadata={"description": "accept: reclassify"})
    items = fields.List(text(200), load_default=None, validate=[validate.Length(max=100), distinct])
    sub_items = fields.List(text(100), load_default=None, validate=[validate.Length(max=50), distinct],
                            metadata={"description": "accept: omitted keeps the current ones"})
    urgency = fields.String(load_default=None, validate=validate.OneOf(URGENCIES),
                            metadata={"description": "accept: omitted keeps the current one"})
    answer = text(5000, multiline=True, load_default=None, metadata={"description": "answer: required"})
    questions = text(5000, multiline=True, load_default=None,
                     metadata={"description": "request_info: required"})
    reason = text(2000, multiline=True, load_default=None, metadata={"description": "reject: required"})

    @validates_schema
    def _what_each_decision_needs(self, data, **kwargs):
        needed = {"answer": "answer", "request_info": "questions", "reject": "reason"}.get(
            data.get("decision"))
        if needed and not data.get(needed):
            raise ValidationError(said("required_for_decision", decision=data["decision"]), needed)


class SupplyInformation(Command):
    information = text(5000, multiline=True, required=True)
    attachments = attachment_ids()


class Withdraw(Command):
    reason = text(2000, multiline=True, load_default=None)


class Cancel(Command):
    reason = text(2000, multiline=True, required=True)


class RecordFollowUp(Command):
    note = text(5000, multiline=True, required=True)
    contact = text(200, required=True, metadata={"description": "who was contacted"})
    channel = fields.String(required=True, validate=validate.OneOf(("phone", "visit", "online", "counter")))
    next_step_on = FutureDate(load_default=None, allow_none=True)


class CalendarSettings(Command):
    timezone = text(64, load_default="Asia/Shanghai")
    hours = fields.List(fields.String(), load_default=["09:00-12:00", "13:30-17:30"])
    weekend = fields.List(fields.Raw(), load_default=["saturday", "sunday"],
                          metadata={"description": "weekday names or numbers 0 (Monday) to 6"})
    holidays = fields.List(fields.Date(), load_default=list)
    extra_workdays = fields.List(fields.Date(), load_default=list)


class OperatingInstitution(Command):
    name = text(200, required=True)
    credit_code = credit_code_field()


class RegisterStation(Command):
    name = text(200, required=True)
    park = park_field(required=True)
    operating_institution = fields.Nested(OperatingInstitution, required=True)
    address = text(500, required=True)
    opening_hours = text(200, required=True, metadata={"description": "as shown to visitors"})
    calendar = fields.Nested(CalendarSettings, load_default=dict)
    parent_platform = text(200, load_default=None, allow_none=True)
    auto_accept = fields.List(category_field(), load_default=lambda: sorted(CATEGORIES),
                              validate=distinct, metadata={
                                  "description": "categories the rules accept without a specialist"})


class Changes(Command):
    """A change of some of a record's settings, saying why: the fields of ``changeable`` given
    (null or absent: unchanged), at least one."""
    changeable: tuple[str, ...] = ()
    reason = text(2000, multiline=True, required=True)

    @validates_schema
    def _changes_something(self, data, **kwargs):
        if all(data.get(key) is None for key in self.changeable):
            raise ValidationError(said("nothing_changes", fields=", ".join(self.changeable)),
                                  self.changeable[0])

    @classmethod
    def given(cls, command: dict) -> dict:
        """The changes a loaded command asks for."""
        return {key: command[key] for key in cls.changeable if command[key] is not None}


def limit_field():
    return fields.String(load_default=None, validate=validate.Regexp(
        r"\d+(\.\d+)?[smhd]\Z", error=said("working_time")))


class StageLimits(Command):
    """A limit per stage (absent: not set here)."""
    first_response = limit_field()
    assessment = limit_field()
    assessment_consultation = limit_field()
    follow_up = limit_field()


class StationTimeLimits(Command):
    """A station's own time limits, each no longer than the platform's: the most specific set
    applies (the demand's urgency, its category, the station's default)."""
    default = fields.Nested(StageLimits, load_default=dict)
    categories = fields.Dict(keys=category_field(required=True), values=fields.Nested(StageLimits),
                             load_default=dict)
    urgencies = fields.Dict(keys=fields.String(validate=validate.OneOf(URGENCIES)),
                            values=fields.Nested(StageLimits), load_default=dict)


class HallSettings(Command):
    """Which categories' accepted demands the station lists in the hall, and for how long."""
    categories = fields.List(category_field(), required=True, validate=distinct, metadata={
        "description": "categories whose accepted demands wait in the hall (empty: none)"})
    window_hours = fields.Float(required=True, validate=validate.Range(min=0.5, max=70), metadata={
        "description": "working hours of the station's calendar a demand stays in the hall "
                       "before matching decides"})


class ChangeStationSettings(Changes):
    """What a station changes of its own settings, saying why; its park and time zone stay."""
    changeable = ("calendar", "auto_accept", "opening_hours", "address", "time_limits", "hall")
    calendar = fields.Nested(CalendarSettings, load_default=None, metadata={
        "description": "working hours, weekend, holidays, adjusted working days (new clocks "
                       "run on it; running clocks keep their due times)"})
    auto_accept = fields.List(category_field(), load_default=None, validate=distinct, metadata={
        "description": "categories the rules accept without a specialist"})
    opening_hours = text(200, load_default=None)
    address = text(500, load_default=None)
    time_limits = fields.Nested(StationTimeLimits, load_default=None, metadata={
        "description": "the station's own limits, replacing those it had (new clocks run on "
                       "them; running clocks keep their due times)"})
    hall = fields.Nested(HallSettings, load_default=None, metadata={
        "description": "the demand hall: categories listed and the window (demands accepted "
                       "from then on)"})


class AddSpecialist(Command):
    staff_id = text(64, required=True)
    name = text(100, required=True)
    phone = text(32, load_default=None)
    trained = flag(load_default=False)


class RemoveSpecialist(Command):
    reason = text(2000, multiline=True, required=True)


def utc_field():
    return fields.Boolean(load_default=False, metadata={
        "description": "true: instants in UTC as recorded; otherwise in the station's time zone, "
                       "with its offset (time_zone)"})


class AsShown(Command):
    """How a single record is shown."""
    utc = utc_field()


class ListDemands(Command):
    status = fields.String(load_default=None, validate=validate.OneOf(DEMAND_STATUSES))
    category = category_field(load_default=None)
    station = fields.UUID(load_default=None)
    enterprise = fields.String(load_default=None)
    submitted_from = fields.Date(load_default=None)
    submitted_to = fields.Date(load_default=None)
    overdue = fields.Boolean(load_default=None)
    sort = fields.String(load_default="-submitted_at", validate=validate.OneOf(
        ("submitted_at", "-submitted_at", "updated_at", "-updated_at")))
    after = cursor_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    utc = utc_field()

    @validates_schema
    def _dates_in_order(self, data, **kwargs):
        if data.get("submitted_from") and data.get("submitted_to") and \
                data["submitted_to"] < data["submitted_from"]:
            raise ValidationError(said("to_before_from"), "submitted_to")


def _no_overlap(qualifications):
    problem = qualification_overlap(qualifications)
    if problem:
        raise ValidationError(problem)


def _distinct_numbers(qualifications):
    numbers = [q["number"] for q in qualifications]
    if len(set(numbers)) != len(numbers):
        raise ValidationError(said("qualification_numbers"))


class PriceEntry(Command):
    item = text(200, required=True)
    # A string, so the amount crosses every JSON boundary exactly.
    price_cny = fields.String(required=True, validate=validate.Regexp(
        r"\d{1,8}(\.\d{1,2})?\Z", error=said("amount_yuan")))
    unit = text(50, required=True, metadata={"description": "e.g. per sample, per instrument"})


class RegisterInstitution(Command):
    name = text(200, required=True)
    credit_code = credit_code_field()
    categories = fields.List(category_field(), required=True,
                             validate=[validate.Length(min=1), distinct])
    qualifications = fields.List(fields.Nested(QualificationSchema), load_default=list,
                                 validate=[validate.Length(max=100), _no_overlap,
                                           _distinct_numbers])
    track_record = fields.List(fields.Nested(lambda: Project), load_default=list,
                               validate=validate.Length(max=200), metadata={
        "description": "projects it did: what it serves on where the service catalogue asks no "
                       "statutory qualification (instead of, or besides, qualifications)"})

    @validates_schema
    def _qualified_or_experienced(self, data, **kwargs):
        if not data["qualifications"] and not data["track_record"]:
            raise ValidationError(said("qualification_or_track_record"), "qualifications")
    parks = fields.List(park_field(), required=True, validate=[validate.Length(min=1, max=500), distinct])
    home_park = park_field(load_default=None, metadata={
        "description": "where the institution sits; matching prefers it for that park's demands"})
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100000))
    @validates_schema
    def _home_among_parks(self, data, **kwargs):
        if data.get("home_park") and data["home_park"] not in (data.get("parks") or []):
            raise ValidationError(said("home_park"), "home_park")

    auto_accept_offers = flag(load_default=False, metadata={
        "description": "its own systems accept every offer at once (no one answers by hand)"})
    price_list = fields.List(fields.Nested(PriceEntry), load_default=list,
                             validate=validate.Length(max=500), metadata={
        "description": "what it charges (the station never bills; the institution does)"})


class AddQualification(QualificationSchema, Command):
    @validates_schema
    def _not_already_over(self, data, **kwargs):
        if data.get("valid_until") and data["valid_until"] < self.today:
            raise ValidationError(said("qualification_expired"), "valid_until")


class ChangeQualificationStatus(Command):
    status = fields.String(required=True, validate=validate.OneOf(QUALIFICATION_STATUSES[:-1]))
    reason = text(2000, multiline=True, required=True)


class Contact(Command):
    name = text(100, required=True)
    phone = text(32, required=True)
    email = fields.Email(load_default=None)


class ChangeProfile(Changes):
    """What an institution (or the staff) may change of its profile at once; what it is
    qualified for goes through review instead (qualifications, categories, parks)."""
    changeable = ("contact", "capacity", "price_list", "auto_accept_offers")
    contact = fields.Nested(Contact, load_default=None, metadata={
        "description": "who the enterprise of an assigned case calls"})
    capacity = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1, max=100000))
    price_list = fields.List(fields.Nested(PriceEntry), load_default=None, validate=validate.Length(max=500))
    auto_accept_offers = fields.Boolean(load_default=None)


class ChangeStanding(Command):
    """Suspend, reinstate or record the exit of an institution."""

    action = fields.String(required=True, validate=validate.OneOf(("suspend", "reinstate", "exit")))
    reason = text(2000, multiline=True, required=True)


def load_command(schema: type[Command], payload, today: date | None = None) -> dict:
    """Load ``payload`` or raise ``Invalid`` naming every offending field; ``today`` is the
    date of the caller's clock (commands only)."""
    try:
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (e.g. "\ud800") is valid JSON but no text; the store cannot keep it.
        raise Invalid("the request contains text that is not valid Unicode",
                      {"_schema": [said("unpaired_surrogate")]}) from None
    try:
        return _schema(schema, today or local_today()).load(payload)
    except ValidationError as error:
        raise Invalid("the request breaks the schema", error.normalized_messages()) from None


@lru_cache(maxsize=512)
def _schema(schema: type[Command], today: date) -> Command:
    """One instance of a command's schema per day it judges by: building one (a deep copy of
    each declared field) cost more than loading with it, twice a submit. Loading keeps no
    state in the instance, so green threads share it."""
    return schema(today=today)


class AcceptOffer(Command):
    promised_date = FutureDate(required=True,
                                metadata={"description": "when the institution promises the result"})


class DeclineOffer(Command):
    reason = text(2000, multiline=True, required=True)


class RecordProgress(Command):
    milestone = text(200, required=True, metadata={"description": "e.g. samples received"})
    note = text(2000, multiline=True, load_default=None)


class EvidenceDocument(Command):
    name = text(255, required=True)
    sha256 = fields.String(required=True, validate=SHA256)


#: A report's or certificate's number as issued: letters, digits, Chinese characters and the
#: separators numbers use; no spaces, so a search by number finds what was typed.
DOCUMENT_NUMBER = validate.Regexp(r"[0-9A-Za-z\u4e00-\u9fff\-_/.()\[\]（）]{1,64}\Z",
                                  error=said("document_number"))


class CompleteService(Command):
    report_number = fields.String(load_default=None, validate=DOCUMENT_NUMBER)
    certificate_number = fields.String(load_default=None, validate=DOCUMENT_NUMBER)
    documents = fields.List(fields.Nested(EvidenceDocument), load_default=list,
                            validate=validate.Length(max=20))
    # What testing, certification and the quality services complete with
    # (docs/categories/testing-and-certification.md); which of them a category requires is
    # matching's rule (services/matching/work.py).
    issued_on = fields.Date(load_default=None, metadata={"description": "the report's or certificate's"})
    valid_until = fields.Date(load_default=None, metadata={"description": "a certificate's end"})
    scope = text(2000, multiline=True, load_default=None, metadata={
        "description": "what the report or certificate covers"})
    deliverables = fields.List(fields.Nested(lambda: Deliverable), load_default=list,
                               validate=validate.Length(max=20))

    @validates_schema
    def _some_evidence(self, data, **kwargs):
        if not data.get("report_number") and not data.get("certificate_number") \
                and not data.get("deliverables"):
            raise ValidationError(said("completion_evidence"), "report_number")

    @validates_schema(skip_on_field_errors=False)
    def _dates(self, data, **kwargs):
        if data.get("issued_on") and data["issued_on"] > self.today:
            raise ValidationError(said("future_issue"), "issued_on")
        if data.get("issued_on") and data.get("valid_until") and data["valid_until"] < data["issued_on"]:
            raise ValidationError(said("until_before_issued"), "valid_until")


class AssignManually(Command):
    institution_id = fields.UUID(required=True)
    reason = text(2000, multiline=True, required=True)
    promised_date = FutureDate(load_default=None, allow_none=True,
                                metadata={"description": "what the institution agreed to"})
    override = flag(load_default=False, metadata={
        "description": "a supervisor's override of matching's constraints (reason required)"})


class ReviewApplication(Command):
    decision = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    reason = text(2000, multiline=True, required=True)


def _score(**kwargs):
    return fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5), **kwargs)


class GiveFeedback(Command):
    overall = _score(metadata={"description": "1 (very dissatisfied) to 5 (very satisfied)"})
    timeliness = _score()
    professionalism = _score()
    attitude = _score()
    outcome = _score()
    comment = text(2000, multiline=True, load_default=None)
    channel = fields.String(load_default="online", validate=validate.OneOf(
        ("online", "revisit_phone", "revisit_visit")), metadata={
        "description": "online by the enterprise; a revisit recorded by a specialist"})


# Evaluation: complaints, supervision, effectiveness --------------------------------------
SCOPE = validate.Regexp(
    r"(all|station:[0-9a-f-]{36}|institution:[0-9a-f-]{36}|category:[a-z_]+)\Z",
    error=said("scope"))


def scope_field(**kwargs):
    return fields.String(validate=SCOPE, metadata={
        "description": "all, station:<id>, institution:<id> or category:<code>"}, **kwargs)


def period_field(**kwargs):
    return fields.String(validate=validate.Length(min=4, max=22), metadata={
        "description": "YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD (local days)"}, **kwargs)


class Party(Command):
    kind = fields.String(required=True, validate=validate.OneOf(("station", "specialist", "institution")))
    id = text(64, required=True, metadata={"description": "station or institution id, or staff id"})


class FileComplaint(Command):
    against = fields.Nested(Party, required=True)
    demand_id = fields.UUID(load_default=None, metadata={"description": "the case it concerns"})
    station_id = fields.UUID(load_default=None, metadata={
        "description": "the station that handles it; taken from the demand when one is given"})
    summary = text(200, required=True)
    details = text(4000, multiline=True, load_default=None)

    @validates_schema
    def _handled_somewhere(self, data, **_):
        if data.get("demand_id") is None and data.get("station_id") is None:
            raise ValidationError(said("demand_or_station"), "station_id")


class ComplaintNote(Command):
    note = text(2000, multiline=True, required=True)


class ResolveComplaint(Command):
    outcome = fields.String(required=True, validate=validate.OneOf(
        ("upheld", "partly_upheld", "not_upheld")))
    resolution = text(4000, multiline=True, required=True)


class Finding(Command):
    severity = fields.String(required=True, validate=validate.OneOf(
        ("observation", "minor", "major", "critical")))
    note = text(2000, multiline=True, required=True)


class CheckedParty(Command):
    kind = fields.String(required=True, validate=validate.OneOf(("station", "institution")))
    id = fields.UUID(required=True)


class RecordCheck(Command):
    kind = fields.String(required=True, validate=validate.OneOf(("spot_check", "revisit")))
    subject = fields.Nested(CheckedParty, required=True)
    demand_id = fields.UUID(load_default=None)
    findings = fields.List(fields.Nested(Finding), required=True, validate=validate.Length(max=100))
    suspend_institution = flag(load_default=False, metadata={
        "description": "ask matching to suspend the checked institution (reason required)"})
    reason = text(2000, multiline=True, load_default=None)

    @validates_schema
    def _suspension_has_grounds(self, data, **_):
        if data.get("suspend_institution"):
            if data["subject"]["kind"] != "institution":
                raise ValidationError(said("only_institution_suspended"), "suspend_institution")
            if not data.get("reason"):
                raise ValidationError(said("suspension_reason"), "reason")


class RegisterConfiguration(Command):
    """An indicator configuration document (docs/evaluation.md), in outline: the evaluation
    service checks weights, thresholds and scoring functions, naming where each problem is."""
    version = fields.String(required=True)
    description = fields.String()
    grades = fields.List(fields.Dict(), required=True)
    improvement = fields.Dict(required=True)
    dimensions = fields.List(fields.Dict(), required=True)
    minimum_cases = fields.Integer(metadata={
        "description": "fewer cases in a period (demands; services, for an institution) and the "
                       "scope is not graded (default 10)"})
    minimum_sample = fields.Integer(metadata={
        "description": "a rate or mean resting on fewer cases is not scored (default 5; an "
                       "indicator may set its own)"})


class EvaluationQuery(Command):
    scope = scope_field(load_default="all")
    period = period_field(required=True)
    configuration = text(64, load_default=None, metadata={
        "description": "the configuration version to score with (default: the current one)"})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class TrendQuery(Command):
    scope = scope_field(load_default="all")
    period = period_field(required=True)
    every = fields.String(load_default="month", validate=validate.OneOf(("month", "quarter", "year")))
    configuration = text(64, load_default=None)


class PublishEvaluation(Command):
    scope = scope_field(required=True)
    period = period_field(required=True)
    configuration_version = text(64, load_default=None)


class WithdrawEvaluation(Command):
    reason = text(4000, multiline=True, required=True)


class CloseImprovement(Command):
    outcome = text(4000, multiline=True, required=True)


# Archive: supervision queries ------------------------------------------------------------
class SearchDossiers(Command):
    enterprise = fields.String(load_default=None, validate=validate.Length(min=1, max=18),
                               metadata={"description": "the enterprise's credit code"})
    institution = fields.UUID(load_default=None)
    category = category_field(load_default=None)
    station = fields.UUID(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(DEMAND_STATUSES))
    submitted_from = fields.AwareDateTime(load_default=None, metadata={
        "description": "ISO 8601 with offset, e.g. 2026-11-01T00:00:00+08:00"})
    submitted_to = fields.AwareDateTime(load_default=None)
    breached = fields.Boolean(load_default=None, metadata={"description": "true: with a breach"})
    after = cursor_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class Paging(Command):
    """A list read a page at a time, by cursor."""
    after = cursor_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ListInstitutions(Paging):
    """The directory of institutions; every filter narrows it."""
    name = text(100, load_default=None, metadata={"description": "part of the name (中文 too)"})
    category = category_field(load_default=None)
    park = park_field(load_default=None)
    qualification = fields.String(load_default=None, validate=validate.OneOf(QUALIFICATION_TYPES),
                                  metadata={"description": "holds a valid qualification of this type"})
    item = text(100, load_default=None, metadata={
        "description": "part of an item in the scope of one of its valid qualifications"})
    status = fields.String(load_default=None, validate=validate.OneOf(
        ("applied", "active", "rejected", "suspended", "exited")), metadata={
        "description": "staff only; the others see active institutions"})


class ListStations(Paging):
    """The stations, a page at a time by name; every filter narrows it."""
    name = text(100, load_default=None, metadata={"description": "part of the name (中文 too)"})
    park = park_field(load_default=None)


class ListRevisits(Paging):
    utc = utc_field()


class ListComplaints(Paging):
    status = fields.String(load_default=None, validate=validate.OneOf(COMPLAINT_STATUSES))
    utc = utc_field()


class ListEvaluations(Paging):
    scope = scope_field(load_default=None)


class ListImprovementActions(Paging):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "closed", "withdrawn")))


class AsOf(Command):
    as_of = fields.AwareDateTime(load_default=None, metadata={
        "description": "the moment to reconstruct the case at (ISO 8601 with offset)"})


# Partners --------------------------------------------------------------------------------
class RegisterWebhook(Command):
    url = fields.Url(required=True, schemes={"https", "http"}, require_tld=False, metadata={
        "description": "https, to a public address (http only where the platform allows it, "
                       "for development); the signing secret is made by the platform and "
                       "shown once, in the answer that registers the webhook"})


class Redeliver(Command):
    from_event_id = fields.UUID(required=True, metadata={
        "description": "deliver again from this event (included) onwards"})


class RevokeBrokerAccess(Command):
    reason = text(2000, multiline=True, required=True)


#: The services that follow upstream logs, and so may hold dead letters.
class ListAssignments(Command):
    status = fields.String(load_default=None, validate=validate.OneOf(ASSIGNMENT_STATUSES))
    after = cursor_field()
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    utc = utc_field()


FOLLOWERS = ("accounts", "intake", "matching", "evaluation", "archive", "partners", "notices")


class ListDeadLetters(Paging):
    service = fields.String(load_default=None, validate=validate.OneOf(FOLLOWERS), metadata={
        "description": "only the letters this service set aside"})
    replayed = fields.Boolean(load_default=None, metadata={
        "description": "true: only those replayed; false: only those waiting for a replay"})


class ReplayDeadLetters(Command):
    """Which dead letters to replay: all of them by default, or one service's, one upstream's,
    or a single notification (upstream and notification_id together)."""
    service = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(FOLLOWERS))
    upstream = fields.String(load_default=None, allow_none=True,
                             validate=validate.OneOf(("intake", "matching", "evaluation", "archive",
                                                      "delivery")), metadata={
                                 "description": "delivery: the notices whose sending ran out of "
                                                "tries, by number (notification_id)"})
    notification_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                                     validate=validate.Range(min=1))

    @validates_schema
    def _one_notification_names_its_upstream(self, data, **_):
        if data.get("notification_id") is not None and not data.get("upstream"):
            raise ValidationError(said("notification_upstream"), "upstream")


# Notices -----------------------------------------------------------------------------------
class ListNotices(Paging):
    unread = fields.Boolean(load_default=False, metadata={"description": "only those not read yet"})


class ChooseNoticePreferences(Command):
    channels = fields.List(fields.String(validate=validate.OneOf(("email", "sms"))), required=True,
                           validate=validate.Length(max=2), metadata={
                               "description": "besides the inbox, which always has every notice"})
    language = fields.String(load_default="zh-CN", validate=validate.OneOf(("zh-CN", "en")))


# Accounts ----------------------------------------------------------------------------------
#: The roles a person can hold (services/accounts/organisation.py says which kind of
#: organisation has which).
PERSON_ROLES = ("enterprise_admin", "enterprise_member", "specialist", "station_manager",
                "institution_member", "supervisor", "operator", "operating_institution_member")
SIGN_IN_NAME = validate.Regexp(r"[A-Za-z0-9][A-Za-z0-9._@-]{2,63}\Z", error=said("sign_in_name"))


def secret_field(**kwargs):
    """A password as typed: any characters, never echoed back in an error."""
    return fields.String(validate=validate.Length(min=1, max=128), **kwargs)


class SignIn(Command):
    sign_in_name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = secret_field(required=True)
    code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10),
                         metadata={"description": "the authenticator's six digits, where the "
                                                  "person has a second factor"})
    refresh_cookie = fields.Boolean(load_default=False, metadata={
        "description": "true (a browser): the refresh token is set as an HttpOnly cookie for "
                       "/api/v1/sessions, not returned in the body, so no script can read it"})


class SecondFactorCode(Command):
    code = fields.String(required=True, validate=validate.Length(min=1, max=10))


class Refresh(Command):
    refresh_token = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                                  metadata={"description": "absent: the session's cookie"})


class ChangePassword(Command):
    current_password = secret_field(required=True)
    new_password = secret_field(required=True, metadata={
        "description": "10 to 128 characters, three of: upper case, lower case, digits, others; "
                       "not containing the sign-in name"})


class RegisterOrganisation(Command):
    kind = fields.String(required=True, validate=validate.OneOf(
        ("enterprise", "institution", "station", "agency", "operating_institution")))
    party = text(100, required=True, metadata={
        "description": "an enterprise's or an operating institution's unified social credit "
                       "code, an institution's or a station's id, an agency's code"})
    name = text(200, required=True)

    @validates_schema
    def _enterprise_by_credit_code(self, data, **kwargs):
        if data.get("kind") in ("enterprise", "operating_institution") \
                and credit_code_problem(data.get("party", "")):
            raise ValidationError(said(f"{data['kind']}_party"), "party")


class SelfRegistration(Command):
    """An enterprise or an institution registering itself and its first account."""
    credit_code = credit_code_field(metadata={"description": "its unified social credit code"})
    organisation_name = text(200, required=True)
    sign_in_name = fields.String(required=True, validate=SIGN_IN_NAME)
    name = text(100, required=True)
    mobile = fields.String(required=True,
                           validate=validate.Regexp(r"1[3-9]\d{9}\Z", error=said("mobile")))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    password = secret_field(required=True, metadata={
        "description": "10 to 128 characters, three of: upper case, lower case, digits, others"})


class VerifyEnterprise(Command):
    evidence = text(2000, multiline=True, required=True, metadata={
        "description": "what was checked, e.g. the business licence seen at the counter"})


class ListOrganisations(Command):
    kind = fields.String(load_default=None, validate=validate.OneOf(
        ("enterprise", "institution", "station", "agency", "platform", "operating_institution")))
    verified = fields.Boolean(load_default=None, metadata={
        "description": "false: the enterprises waiting for a specialist's check"})
    after = cursor_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CreatePerson(Command):
    organisation_id = fields.UUID(required=True)
    sign_in_name = fields.String(required=True, validate=SIGN_IN_NAME, metadata={
        "description": "never changes; case does not matter"})
    name = text(100, required=True)
    mobile = fields.String(load_default=None, allow_none=True,
                           validate=validate.Regexp(r"1[3-9]\d{9}\Z", error=said("mobile")))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    roles = fields.List(fields.String(validate=validate.OneOf(PERSON_ROLES)), required=True,
                        validate=[validate.Length(min=1, max=len(PERSON_ROLES)), distinct])
    reason = text(500, load_default="新建账号")


class ListPersons(Command):
    organisation_id = fields.UUID(required=True)
    after = cursor_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


#: The events of accounts' audit trail (services/accounts/readmodel.py keeps their rows).
AUDITED_EVENTS = ("PersonCreated", "PasswordReset", "RoleGranted", "RoleRevoked", "PersonDisabled",
                  "PersonEnabled", "PersonSignedIn", "SignInFailed", "SecondFactorEnabled",
                  "SecondFactorReset", "OrganisationVerified", "DossierAccessed")


class ListAudit(Command):
    person_id = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    event = fields.String(load_default=None, validate=validate.OneOf(AUDITED_EVENTS))
    after = cursor_field()
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    utc = fields.Boolean(load_default=False, metadata={
        "description": "true: instants in UTC as recorded; otherwise in the platform's time zone "
                       "(time_zone), with its offset"})


class ChangeRole(Command):
    action = fields.String(required=True, validate=validate.OneOf(("grant", "revoke")))
    role = fields.String(required=True, validate=validate.OneOf(PERSON_ROLES))
    reason = text(2000, multiline=True, required=True)


class SetEnabled(Command):
    enabled = flag(required=True)
    reason = text(2000, multiline=True, required=True)


# Equipment sharing (services/matching/instruments.py) --------------------------------------
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BOOKING_STATUSES = ("requested", "confirmed", "declined", "cancelled", "used")
FEE_UNITS = ("per_hour", "per_sample")


def _opening_window(value):
    try:
        opens, closes = (datetime_time.fromisoformat(part) for part in value.split("-"))
    except ValueError:
        raise ValidationError(said("opening_window")) from None
    if not opens < closes:
        raise ValidationError(said("opening_window"))


def _time_zone(value):
    try:
        ZoneInfo(value)
    except (ValueError, ZoneInfoNotFoundError):
        raise ValidationError(said("time_zone")) from None


class InstrumentCalendar(Command):
    """The owner's calendar: weekly opening windows in its time zone, closed dates, and the
    smallest slot a booking is made of (counted from the start of a window)."""
    timezone = fields.String(load_default="Asia/Shanghai", validate=[validate.Length(max=64), _time_zone])
    weekly = fields.Dict(keys=fields.String(validate=validate.OneOf(WEEKDAYS)),
                         values=fields.List(fields.String(validate=[validate.Length(max=11), _opening_window]),
                                            validate=validate.Length(max=8)),
                         required=True, metadata={
        "description": 'opening windows per weekday, e.g. {"monday": ["09:00-12:00", "13:30-17:30"]}'})
    closed = fields.List(fields.Date(), load_default=list, validate=validate.Length(max=366))
    slot_minutes = fields.Integer(load_default=60, strict=True, validate=validate.Range(min=5, max=1440))


class InstrumentFee(Command):
    # A string, so the amount crosses every JSON boundary exactly; the station never bills.
    amount_cny = fields.String(required=True, validate=validate.Regexp(
        r"\d{1,8}(\.\d{1,2})?\Z", error=said("amount_yuan")))
    unit = fields.String(required=True, validate=validate.OneOf(FEE_UNITS))
    note = text(200, load_default=None)


def _capabilities(**kwargs):
    return fields.List(text(100), validate=[validate.Length(min=1, max=50), distinct], **kwargs)


class ListInstrument(Command):
    institution_id = fields.UUID(load_default=None, metadata={
        "description": "the owner: an institution lists its own (omitted), an operator names it"})
    code = text(64, required=True, metadata={"description": "the owner's own code for it"})
    name = text(200, required=True)
    model = text(200, load_default=None)
    capabilities = _capabilities(required=True, metadata={"description": "what it measures or does"})
    park = park_field(required=True)
    address = text(500, required=True)
    fees = fields.List(fields.Nested(InstrumentFee), load_default=list, validate=validate.Length(max=20))
    calendar = fields.Nested(InstrumentCalendar, required=True)


class ChangeSharedInstrument(Changes):
    changeable = ("name", "model", "capabilities", "address", "fees", "calendar")
    name = text(200, load_default=None)
    model = text(200, load_default=None)
    capabilities = _capabilities(load_default=None)
    address = text(500, load_default=None)
    fees = fields.List(fields.Nested(InstrumentFee), load_default=None, validate=validate.Length(max=20))
    calendar = fields.Nested(InstrumentCalendar, load_default=None, metadata={
        "description": "applies to new bookings; those already made keep their slots"})


class WithdrawInstrument(Command):
    reason = text(2000, multiline=True, required=True)


class ListInstruments(Paging):
    """Instruments offered, a page at a time by name; every filter narrows it."""
    park = park_field(load_default=None)
    capability = text(100, load_default=None, metadata={"description": "part of a capability, the name or the model"})
    institution_id = fields.UUID(load_default=None, metadata={"description": "the owner"})
    status = fields.String(load_default="listed", validate=validate.OneOf(("listed", "withdrawn")))


def _this_century(value):
    """Slots, usage and periods lie in 2000-2099: beyond, a day's arithmetic would overflow."""
    if not 2000 <= value.year <= 2099:
        raise ValidationError(said("this_century"))


class BookSlot(Command):
    start = fields.AwareDateTime(required=True, validate=_this_century)
    end = fields.AwareDateTime(required=True, validate=_this_century)
    purpose = text(2000, multiline=True, required=True)
    enterprise_name = text(200, required=True)
    contact = text(100, required=True, metadata={"description": "who comes to use it"})
    phone = fields.String(load_default=None, validate=validate.Regexp(
        r"\+?[0-9][0-9 -]{5,19}\Z", error=said("phone")))


class DeclineBooking(Command):
    reason = text(2000, multiline=True, required=True)


class CancelBooking(Command):
    reason = text(2000, multiline=True, required=True)


class RecordUsage(Command):
    actual_start = fields.AwareDateTime(load_default=None, validate=_this_century,
                                        metadata={"description": "default: the booked start"})
    actual_end = fields.AwareDateTime(load_default=None, validate=_this_century,
                                      metadata={"description": "default: the booked end"})
    note = text(2000, multiline=True, load_default=None)


class ListBookings(Paging):
    instrument_id = fields.UUID(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(BOOKING_STATUSES))


class UtilisationQuery(Command):
    start = fields.Date(required=True, data_key="from", validate=_this_century,
                        metadata={"description": "first local day"})
    end = fields.Date(required=True, data_key="to", validate=_this_century,
                      metadata={"description": "last local day"})
    institution_id = fields.UUID(load_default=None)
    park = park_field(load_default=None)

    @validates_schema
    def _a_period(self, data, **kwargs):
        if "start" in data and "end" in data:
            if data["end"] < data["start"]:
                raise ValidationError(said("period_order"), "to")
            if (data["end"] - data["start"]).days > 366:
                raise ValidationError(said("period_days", days=366), "to")
# Metrology: the enterprise's register of measuring instruments (services/intake/metrology.py)
class PastDate(fields.Date):
    """A date that must not be after the loading schema's ``today``."""

    def _deserialize(self, value, attr, data, **kwargs):
        found = super()._deserialize(value, attr, data, **kwargs)
        if found > self.parent.today:
            raise ValidationError(said("future_date"))
        return found


class OpenInstrumentRegister(Command):
    enterprise = fields.Nested(EnterpriseSchema, required=True, metadata={
        "description": "who the demands the register makes are for (the credit code is the token's)"})
    park = park_field(required=True, metadata={"description": "whose station serves its demands"})


class _InstrumentDetails(Command):
    """The last certificate is three fields, given together (its number and date at least)."""
    last_certificate_number = text(100, load_default=None)
    last_certificate_date = PastDate(load_default=None, metadata={"description": "not after today"})
    last_certificate_institution = text(200, load_default=None, metadata={
        "description": "the institution that issued it"})

    @validates_schema
    def _whole_certificate(self, data, **kwargs):
        given = [data.get(key) for key in ("last_certificate_number", "last_certificate_date")]
        if data.get("last_certificate_institution") is not None or any(given):
            for key, value in zip(("last_certificate_number", "last_certificate_date"), given):
                if value is None:
                    raise ValidationError(said("certificate_incomplete"), key)

    @staticmethod
    def certificate(command: dict) -> dict | None:
        """Take the last certificate out of a loaded command, as the register keeps it (None:
        not given)."""
        number, issued_on, institution = (command.pop(key, None) for key in (
            "last_certificate_number", "last_certificate_date", "last_certificate_institution"))
        if issued_on is None:
            return None
        return {"number": number, "date": issued_on.isoformat(), "institution": institution,
                "institution_id": None, "demand_id": None}


def _credit_code(value):
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem)


def interval_field(**kwargs):
    return fields.Integer(validate=validate.Range(min=1, max=120), metadata={
        "description": "months between two verifications or calibrations (1 to 120)"}, **kwargs)


class RegisterInstrument(_InstrumentDetails):
    name = text(200, required=True, metadata={"description": "the kind, as certificates name it (压力表)"})
    model = text(100, load_default=None)
    serial_number = text(100, required=True, metadata={"description": "unique among the instruments in use"})
    location = text(200, load_default=None)
    mandatory = flag(required=True, metadata={
        "description": "subject to mandatory verification (强制检定); false: calibrated by choice"})
    interval_months = interval_field(required=True)


class ChangeInstrument(_InstrumentDetails, Changes):
    changeable = ("name", "model", "serial_number", "location", "mandatory", "interval_months",
                  "last_certificate_date")
    name = text(200, load_default=None)
    model = text(100, load_default=None)
    serial_number = text(100, load_default=None)
    location = text(200, load_default=None)
    mandatory = flag(load_default=None)
    interval_months = interval_field(load_default=None)


class RetireInstrument(Command):
    reason = text(2000, multiline=True, required=True)


class RequestVerification(Command):
    channel = fields.String(load_default="online", validate=validate.OneOf(CHANNELS), metadata={
        "description": "a specialist says how the enterprise asked (an enterprise: online)"})


class ReadInstrumentRegister(Command):
    enterprise = fields.String(load_default=None, validate=_credit_code, metadata={
        "description": "staff: the enterprise's credit code (an enterprise reads its own)"})
    sort = fields.String(load_default="next_due", validate=validate.OneOf(("next_due", "-next_due", "name")))
    utc = fields.Boolean(load_default=False)


class ListInstrumentRegisters(Command):
    park = park_field(load_default=None, metadata={"description": "a specialist sees its station's park"})
    after = cursor_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


# Standardisation projects and intellectual-property applications (services/matching/
# standard_project.py, ip_application.py) --------------------------------------------------
from shared.projects import IP_KINDS, IP_STATUSES, STANDARD_KINDS, STANDARD_STAGES  # noqa: E402


class OpenStandardProject(Command):
    kind = fields.String(required=True, validate=validate.OneOf(STANDARD_KINDS), metadata={
        "description": "enterprise 企业标准, group 团体标准, local 地方标准, industry 行业标准, "
                       "national 国家标准"})
    title = text(200, required=True)
    planned_number = text(50, load_default=None, metadata={"description": "e.g. Q/GZXX 001-2026"})


def _count(**kwargs):
    return fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100000), **kwargs)


class ConsultationRecord(Command):
    """The comments the consultation received and how each was handled (意见汇总处理表)."""
    comments_received = _count()
    adopted = _count()
    partly_adopted = _count()
    not_adopted = _count()

    @validates_schema
    def _each_handled(self, data, **kwargs):
        if data["adopted"] + data["partly_adopted"] + data["not_adopted"] != data["comments_received"]:
            raise ValidationError(said("comments_handled"), "comments_received")


class SelfDeclaration(Command):
    declared_on = fields.Date(required=True)
    reference = text(500, required=True, metadata={
        "description": "the declaration's number or its address on the enterprise standard "
                       "public service platform (企业标准信息公共服务平台)"})


class StandardPublication(Command):
    number = text(50, required=True, metadata={"description": "the standard's number as published"})
    published_on = fields.Date(required=True)
    self_declaration = fields.Nested(SelfDeclaration, load_default=None, metadata={
        "description": "required for an enterprise standard"})


class CompleteStandardStage(Command):
    stage = fields.String(required=True, validate=validate.OneOf(STANDARD_STAGES), metadata={
        "description": "the next stage: initiation, drafting, consultation, review, publication"})
    documents = fields.List(fields.String(validate=SHA256), required=True,
                            validate=[validate.Length(min=1, max=20), distinct], metadata={
                                "description": "sha256 of files you uploaded (POST /api/v1/attachments)"})
    note = text(2000, multiline=True, required=True)
    consultation = fields.Nested(ConsultationRecord, load_default=None, metadata={
        "description": "the consultation stage's comments and how they were handled"})
    publication = fields.Nested(StandardPublication, load_default=None, metadata={
        "description": "the publication stage's number, date and self-declaration"})

    @validates_schema
    def _stage_details(self, data, **kwargs):
        for stage in ("consultation", "publication"):
            if data["stage"] == stage and data[stage] is None:
                raise ValidationError(said("required_for_stage"), stage)
            if data["stage"] != stage and data[stage] is not None:
                raise ValidationError(said("only_for_stage", stage=stage), stage)


class RecordIpApplication(Command):
    kind = fields.String(required=True, validate=validate.OneOf(IP_KINDS))
    office = fields.String(load_default="CNIPA", validate=validate.Regexp(
        r"[A-Z]{2,10}\Z", error=said("office_code")), metadata={
            "description": "the office's code: CNIPA (国家知识产权局, the default), EPO, USPTO, WIPO, ..."})
    number = text(40, required=True, metadata={
        "description": "the application number; CNIPA's are checked (a patent's check digit)"})
    filed_on = fields.Date(required=True)
    title = text(200, required=True, metadata={"description": "the invention's or design's title, or the mark"})
    classes = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1, max=45)),
                          load_default=list, validate=[validate.Length(max=45), distinct], metadata={
                              "description": "a trademark's Nice classes (1-45)"})
    note = text(2000, multiline=True, load_default=None)

    @validates_schema
    def _classes(self, data, **kwargs):
        if data["kind"] == "trademark" and not data["classes"]:
            raise ValidationError(said("trademark_classes"), "classes")
        if data["kind"] != "trademark" and data["classes"]:
            raise ValidationError(said("classes_trademark_only"), "classes")


class MoveIpApplication(Command):
    status = fields.String(required=True, validate=validate.OneOf(IP_STATUSES[1:]))
    on = fields.Date(required=True, metadata={"description": "the office's date of the decision"})
    note = text(2000, multiline=True, load_default=None)


# The demand hall (docs/categories/demand-hall.md) -------------------------------------------
class ListHall(Paging):
    category = category_field(load_default=None)
    utc = utc_field()


class ExpressInterest(Command):
    note = text(2000, multiline=True, required=True, metadata={
        "description": "what the institution offers: approach, capacity, price range"})
    proposed_date = FutureDate(load_default=None, allow_none=True, metadata={
        "description": "when it could deliver, if it says"})


# The service catalogue (services/intake/catalogue.py) ------------------------------------------
CATALOGUE_CODE = validate.Regexp(r"[a-z][a-z0-9_]{0,63}\Z", error=said("catalogue_code"))
FIELD_KINDS = ("text", "number", "date", "choice")
#: The stages whose default time limit a sub-item may give (services/intake/time_limits.py).
SUB_ITEM_LIMITS = ("first_response", "assessment", "assessment_consultation", "follow_up")


class Names(Command):
    zh_cn = text(200, required=True, data_key="zh-CN")
    en = text(200, required=True)


class DemandField(Command):
    """A field a demand of a sub-item carries in its ``details``."""
    name = fields.String(required=True, validate=CATALOGUE_CODE)
    label = fields.Nested(Names, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(FIELD_KINDS))
    required = flag(load_default=False)
    choices = fields.List(text(200), load_default=list, validate=[validate.Length(max=100), distinct])

    @validates_schema
    def _choices_for_a_choice(self, data, **kwargs):
        if data["kind"] == "choice" and not data["choices"]:
            raise ValidationError(said("catalogue_choices"), "choices")


class SubItem(Command):
    code = fields.String(required=True, validate=CATALOGUE_CODE)
    name = fields.Nested(Names, required=True)
    qualifications = fields.List(
        fields.String(validate=validate.OneOf(QUALIFICATION_TYPES)), required=True,
        validate=distinct, metadata={"description": "the kinds that may serve it; empty: no "
                                     "statutory qualification (registration and track record)"})
    fields_ = fields.List(fields.Nested(DemandField), data_key="fields", load_default=list,
                          validate=validate.Length(max=30))
    time_limits = fields.Dict(keys=fields.String(validate=validate.OneOf(SUB_ITEM_LIMITS)),
                              values=fields.String(validate=validate.Regexp(
                                  r"\d+(\.\d+)?[smhd]\Z", error=said("working_time"))),
                              load_default=dict, metadata={"description": "e.g. {follow_up: 5d}"})

    @validates_schema
    def _fields_once(self, data, **kwargs):
        names = [spec["name"] for spec in data["fields_"]]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise ValidationError({"fields": {index: {"name": [said("repeated")]}}})


class CatalogueCategory(Command):
    code = category_field(required=True)
    sub_items = fields.List(fields.Nested(SubItem), required=True,
                            validate=validate.Length(min=1, max=100))


class Term(Command):
    term = text(200, required=True)
    synonyms = fields.List(text(200), load_default=list, validate=validate.Length(max=50))
    broader = fields.List(text(200), load_default=list, validate=validate.Length(max=20))


class PublishCatalogue(Command):
    """A whole new version of the service catalogue, with the reason for it."""
    reason = text(2000, multiline=True, required=True)
    categories = fields.List(fields.Nested(CatalogueCategory), required=True)
    terms = fields.List(fields.Nested(Term), load_default=list, validate=validate.Length(max=5000))

    @validates_schema
    def _coherent(self, data, **kwargs):
        """Every category once, every sub-item code once in the whole catalogue (a demand names
        its sub-item by code alone), and terms whose broader chains end."""
        codes = [category["code"] for category in data["categories"]]
        missing = sorted(set(CATEGORIES) - set(codes))
        if missing:
            raise ValidationError([said("catalogue_categories_missing", missing=", ".join(missing))],
                                  "categories")
        errors: dict = {}
        seen: set[str] = set()
        for i, category in enumerate(data["categories"]):
            if category["code"] in codes[:i]:
                errors.setdefault(i, {})["code"] = [said("repeated")]
            for j, sub_item in enumerate(category["sub_items"]):
                if sub_item["code"] in seen:
                    errors.setdefault(i, {}).setdefault("sub_items", {})[j] = {
                        "code": [said("catalogue_sub_item_twice", sub_item=sub_item["code"])]}
                seen.add(sub_item["code"])
        found = {"categories": errors} if errors else {}
        loops = _term_loops(data["terms"])
        if loops:
            found["terms"] = loops
        if found:
            raise ValidationError(found)


def _term_loops(terms: list[dict]) -> dict:
    """Where a term is listed twice, or its chain of broader terms comes back to it."""
    index = {}
    problems: dict = {}
    for i, entry in enumerate(terms):
        for word in [entry["term"], *entry["synonyms"]]:
            if word.casefold() in index:
                problems[i] = {"term": [said("catalogue_term_twice", term=word)]}
            index[word.casefold()] = i
    if problems:
        return problems
    for i, entry in enumerate(terms):
        pending, seen = [b.casefold() for b in entry["broader"]], set()
        while pending:
            word = pending.pop()
            if word == entry["term"].casefold() or word in (s.casefold() for s in entry["synonyms"]):
                problems[i] = {"broader": [said("catalogue_term_loop", term=entry["term"])]}
                break
            found = index.get(word)
            if found is not None and found not in seen:
                seen.add(found)
                pending += [b.casefold() for b in terms[found]["broader"]]
    return problems


class Project(Command):
    """A project of an institution's track record."""
    title = text(200, required=True)
    client = text(200, required=True)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=1949, max=2100))
    summary = text(2000, multiline=True, load_default=None)


# Testing, certification and the quality services' deliverables ------------------------------
YUAN = validate.Regexp(r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?\Z", error=said("yuan_amount"))
DELIVERABLE_KINDS = ("diagnosis_report", "programme", "milestone_plan", "training_record",
                     "assessment_report", "other")
SAMPLE_DISPOSITIONS = ("returned", "disposed")


class QuoteLine(Command):
    item = text(200, required=True)
    amount = fields.String(required=True, validate=YUAN, metadata={"description": "yuan, e.g. 1200.50"})


class GiveQuote(Command):
    amount = fields.String(required=True, validate=YUAN, metadata={
        "description": "the total in yuan as an exact decimal text, e.g. 3600 or 3600.50"})
    items = fields.List(fields.Nested(QuoteLine), required=True,
                        validate=validate.Length(min=1, max=50))
    valid_until = FutureDate(required=True, metadata={"description": "the last day it may be accepted"})
    note = text(2000, multiline=True, load_default=None)

    @validates_schema(skip_on_field_errors=False)
    def _total(self, data, **kwargs):
        lines = data.get("items") or []
        if "amount" in data and lines and all("amount" in line for line in lines):
            total = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
            if Decimal(data["amount"]) != total:
                raise ValidationError(said("quote_total", total=str(total)), "amount")


class DeclineQuote(Command):
    reason = text(2000, multiline=True, required=True)


class AcceptQuote(Command):
    pass


class ReceiveSample(Command):
    sample_id = fields.String(required=True, validate=DOCUMENT_NUMBER, metadata={
        "description": "the laboratory's sample number"})
    description = text(500, required=True)
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100000))
    received_on = fields.Date(required=True)
    condition = text(500, required=True, metadata={"description": "as received, e.g. sealed, intact"})

    @validates_schema
    def _not_ahead(self, data, **kwargs):
        if data.get("received_on") and data["received_on"] > self.today:
            raise ValidationError(said("future_done"), "received_on")


class DisposeSample(Command):
    disposition = fields.String(required=True, validate=validate.OneOf(SAMPLE_DISPOSITIONS))
    on = fields.Date(required=True)
    note = text(2000, multiline=True, load_default=None)

    @validates_schema
    def _not_ahead(self, data, **kwargs):
        if data.get("on") and data["on"] > self.today:
            raise ValidationError(said("future_done"), "on")


class Milestone(Command):
    title = text(200, required=True)
    due_on = fields.Date(required=True)
    done_on = fields.Date(load_default=None, allow_none=True)


class Deliverable(Command):
    kind = fields.String(required=True, validate=validate.OneOf(DELIVERABLE_KINDS))
    title = text(200, required=True)
    document = fields.Nested(EvidenceDocument, required=True, metadata={
        "description": "the file the institution uploaded (POST /api/v1/attachments)"})
    milestones = fields.List(fields.Nested(Milestone), load_default=list,
                             validate=validate.Length(max=50))


class SearchReports(Command):
    number = fields.String(load_default=None, validate=DOCUMENT_NUMBER, metadata={
        "description": "the number, or its beginning"})
    institution_id = fields.UUID(load_default=None, metadata={"description": "staff only"})
    valid = fields.Boolean(load_default=None, metadata={
        "description": "staff only: true, valid today; false, lapsed"})
    after = cursor_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


# The station's own requirements (services/intake/requirements.py) ------------------------------
class RequirementValue(fields.Raw):
    """A number for a measure, true or false for a fact, nothing for a document: which one the
    item's kind decides (the checklist checks it); anything else is refused here."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is not None and not isinstance(value, (bool, int, float)):
            raise ValidationError(said("requirement_value"))
        return value


class RecordRequirement(Command):
    value = RequirementValue(load_default=None, allow_none=True, metadata={
        "description": "a measure: a number (e.g. the area in m²); a fact: true or false; "
                       "a document: omitted (its files are the document)"})
    note = text(2000, multiline=True, load_default=None)
    evidence = attachment_ids(metadata={
        "description": "files you uploaded (POST /api/v1/attachments), by sha256"})


class ConfirmRequirement(Command):
    note = text(2000, multiline=True, load_default=None)
