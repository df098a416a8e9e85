"""What the gateway returns, as marshmallow schemas: responses are dumped through them and the
OpenAPI document is generated from them."""
from marshmallow import Schema, fields

from shared.catalogue import (
    ASSIGNMENT_STATUSES, COMPLAINT_STATUSES, DEMAND_STATUSES, QUALIFICATION_STATUSES, URGENCIES)
from shared.contracts.intake import AttachmentSchema as AttachmentView
from shared.contracts.matching import CandidateSchema
from shared.contracts.values import EnterpriseSchema


class ErrorBody(Schema):
    error = fields.String(required=True, metadata={"description": "machine-readable code"})
    title = fields.String(required=True, metadata={
        "description": "what kind of error, for a person, in the language Accept-Language "
                       "prefers (zh-CN unless en is asked for)"})
    message = fields.String(required=True, metadata={"description": "the particulars"})
    details = fields.Raw(required=True, metadata={"description": "per-field messages or context"})


def time_zone_field(whose: str = "the station's"):
    return fields.String(required=True, metadata={
        "description": f"{whose} time zone: the view's instants carry its offset (utc=true: UTC)"})


class AssignmentView(Schema):
    assignment_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    status = fields.String(required=True)


class ActorView(Schema):
    role = fields.String(required=True)
    subject = fields.String(required=True)


class DeadlineView(Schema):
    state = fields.String(required=True, metadata={
        "enum": ["running", "paused", "breached", "closed"]})
    due_at = fields.String(allow_none=True, required=True)
    warned = fields.Boolean(required=True)
    breached = fields.Boolean(required=True)
    closed_at = fields.String(allow_none=True, required=True)
    paused_remaining_seconds = fields.Float(allow_none=True, required=True)
    limit_seconds = fields.Float(required=True, metadata={"description": "working seconds"})


class DemandSummaryView(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(DEMAND_STATUSES)})
    station_id = fields.String(required=True)
    park = fields.String(required=True)
    enterprise = fields.Nested(EnterpriseSchema, required=True)
    category = fields.String(required=True)
    title = fields.String(required=True)
    channel = fields.String(required=True)
    submitted_at = fields.String(required=True)
    updated_at = fields.String(required=True)
    assignment = fields.Nested(AssignmentView, allow_none=True, required=True)
    overdue = fields.Boolean(required=True)
    deadlines = fields.Dict(keys=fields.String(), values=fields.Nested(DeadlineView), required=True,
                            metadata={"description": "each stage's clock as it stands now"})
    time_zone = time_zone_field()


class InformationView(Schema):
    questions = fields.String(required=True)
    requested_at = fields.String(required=True)
    requested_by = fields.Nested(ActorView, required=True)
    information = fields.String()
    supplied_at = fields.String()
    supplied_by = fields.Nested(ActorView)


class FollowUpView(Schema):
    note = fields.String(required=True)
    contact = fields.String(required=True)
    channel = fields.String(required=True)
    next_step_on = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorView, required=True)
    at = fields.String(required=True)


class ServingInstitution(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    contact = fields.Dict(allow_none=True, required=True, metadata={
        "description": "who to call about the case (null until the institution gives one)"})
    # Defined further down, with the institution's own views.
    qualifications = fields.List(fields.Nested(lambda: QualificationView), required=True, metadata={
        "description": "its valid qualifications that cover the demand's items"})
    prices = fields.List(fields.Dict(), required=True, metadata={
        "description": "its price list's entries for the demand's items"})
    promised_date = fields.String(allow_none=True, required=True, metadata={"format": "date"})
    progress = fields.List(fields.Nested(lambda: ProgressView), required=True, metadata={
        "description": "the milestones it recorded, oldest first"})
    status = fields.String(metadata={"enum": list(ASSIGNMENT_STATUSES), "description":
                                     "awaiting_quote_acceptance: waits for your answer to its quote"})
    quote = fields.Nested(lambda: QuoteView, allow_none=True, metadata={
        "description": "testing and certification: its latest quote (null until given)"})
    samples = fields.List(fields.Nested(lambda: SampleView), metadata={
        "description": "the samples it received, and their return or disposal"})


class DemandView(DemandSummaryView):
    institution = fields.Nested(ServingInstitution, metadata={
        "description": "who serves the demand, once assigned (not shown to the institution)"})
    description = fields.String(required=True)
    items = fields.List(fields.String(), required=True)
    sub_items = fields.List(fields.String(), required=True)
    details = fields.Dict(metadata={"description": "its sub-item's fields, as submitted"})
    catalogue_version = fields.Integer(allow_none=True, metadata={
        "description": "the service catalogue's version it was submitted under (null: before it)"})
    urgency = fields.String(required=True, metadata={"enum": list(URGENCIES)})
    expected_by = fields.String(allow_none=True, required=True)
    consultation = fields.Boolean(required=True)
    attachments = fields.List(fields.Nested(AttachmentView), required=True)
    excluded_institutions = fields.List(fields.String(), required=True)
    submitted_by = fields.Nested(ActorView, required=True)
    unmatched_reasons = fields.List(fields.String(), required=True)
    outcome = fields.Dict(allow_none=True, required=True, metadata={
        "description": "answer, or the reason of a rejection, withdrawal or cancellation"})
    information = fields.List(fields.Nested(InformationView), required=True)
    follow_ups = fields.List(fields.Nested(FollowUpView), required=True)


class CursorPage(Schema):
    """A page of a list read by cursor; the subclass says what its items are."""
    per_page = fields.Integer(required=True)
    next_after = fields.String(allow_none=True, required=True, metadata={
        "description": "pass as after for the next page; null on the last page"})


class DemandPage(CursorPage):
    items = fields.List(fields.Nested(DemandSummaryView), required=True)


class SpecialistView(Schema):
    staff_id = fields.String(required=True)
    name = fields.String(required=True)
    phone = fields.String(allow_none=True, required=True)
    trained = fields.Boolean(required=True)


class OperatingInstitutionView(Schema):
    name = fields.String(required=True)
    credit_code = fields.String(required=True)


class StationBasics(Schema):
    """What both the list of stations and a station's view show of it."""
    id = fields.String(required=True)
    name = fields.String(required=True)
    park = fields.String(required=True)
    address = fields.String(required=True)
    operating_institution = fields.Nested(OperatingInstitutionView, required=True)
    parent_platform = fields.String(allow_none=True, required=True)
    registered_at = fields.String(required=True)


class StationView(StationBasics):
    opening_hours = fields.String(required=True)
    calendar = fields.Dict(required=True)
    auto_accept = fields.List(fields.String(), required=True)
    time_limits = fields.Dict(required=True, metadata={
        "description": "its own limits (default, categories, urgencies), shorter than the platform's"})
    conformity = fields.Nested(lambda: StationConformity(), allow_none=True, required=True)
    specialists = fields.List(fields.Nested(SpecialistView), required=True)
    hall = fields.Dict(required=True, metadata={
        "description": "the demand hall: categories listed there and window_hours (docs/categories/demand-hall.md)"})


class StationSummary(StationBasics):
    """A station as the list of stations shows it."""
    time_zone = fields.String(required=True)
    specialists = fields.Integer(required=True, metadata={"description": "how many specialists it has"})
    conformity = fields.Nested(lambda: StationConformity(), allow_none=True, required=True)


class StationPage(CursorPage):
    items = fields.List(fields.Nested(StationSummary), required=True)


class QualificationView(Schema):
    type = fields.String(required=True)
    number = fields.String(required=True)
    issuer = fields.String(allow_none=True, required=True)
    status = fields.String(required=True, metadata={"enum": list(QUALIFICATION_STATUSES)})
    expiry_warned = fields.Boolean(required=True)
    scope = fields.List(fields.String(), required=True)
    # Dates arrive as ISO strings over RPC; documented as such.
    valid_from = fields.String(required=True, metadata={"format": "date"})
    valid_until = fields.String(required=True, metadata={"format": "date"})


class InstitutionView(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "enum": ["applied", "active", "rejected", "suspended", "exited"]})
    status_reason = fields.String(allow_none=True, required=True)
    home_park = fields.String(allow_none=True, required=True)
    auto_accept_offers = fields.Boolean(required=True)
    satisfaction = fields.Float(allow_none=True, required=True, metadata={
        "description": "mean overall feedback score / 5; null until rated"})
    on_time_rate = fields.Float(allow_none=True, required=True, metadata={
        "description": "services completed by the promised date / dated services; null until one"})
    price_list = fields.List(fields.Dict(), required=True)
    contact = fields.Dict(allow_none=True, required=True, metadata={
        "description": "name, phone, email: who the enterprise of an assigned case calls"})
    categories = fields.List(fields.String(), required=True)
    qualifications = fields.List(fields.Nested(QualificationView), required=True)
    track_record = fields.List(fields.Dict(), required=True, metadata={
        "description": "projects (title, client, year, summary): what it serves on where the "
                       "service catalogue asks no statutory qualification"})
    parks = fields.List(fields.String(), required=True)
    capacity = fields.Integer(required=True)
    registered_at = fields.String(required=True)


class DirectoryEntry(Schema):
    """An institution in the directory: what it offers to anyone; the rest to staff only."""
    id = fields.String(required=True)
    name = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)
    parks = fields.List(fields.String(), required=True)
    home_park = fields.String(allow_none=True, required=True)
    qualifications = fields.List(fields.Nested(QualificationView), required=True, metadata={
        "description": "the valid ones only, to all but staff"})
    price_list = fields.List(fields.Dict(), required=True)
    satisfaction = fields.Float(allow_none=True, required=True)
    on_time_rate = fields.Float(allow_none=True, required=True)
    credit_code = fields.String(metadata={"description": "staff only"})
    contact = fields.Dict(allow_none=True, metadata={"description": "staff only"})
    status = fields.String(metadata={"description": "staff only"})
    status_reason = fields.String(allow_none=True, metadata={"description": "staff only"})
    capacity = fields.Integer(metadata={"description": "staff only"})
    open_assignments = fields.Integer(metadata={"description": "staff only: the load"})
    auto_accept_offers = fields.Boolean(metadata={"description": "staff only"})
    registered_at = fields.String(metadata={"description": "staff only"})


class DirectoryPage(CursorPage):
    items = fields.List(fields.Nested(DirectoryEntry), required=True)


class ProgressView(Schema):
    milestone = fields.String(required=True)
    note = fields.String(allow_none=True, required=True)
    at = fields.String(required=True)


class OfferedFile(Schema):
    name = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True)


class OfferedRequest(Schema):
    """The demand as asked, without who asks."""
    title = fields.String(required=True)
    description = fields.String(required=True)
    sub_items = fields.List(fields.String(), required=True)
    urgency = fields.String(required=True, metadata={"enum": list(URGENCIES)})
    attachments = fields.List(fields.Nested(OfferedFile), required=True, metadata={
        "description": "by name; downloadable once the demand is assigned to you"})


class AssignmentRecordView(Schema):
    """What an institution sees of a demand offered or assigned to it (no contact details;
    the demand itself, with the enterprise's contact, once it is assigned)."""

    assignment_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    demand_id = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(ASSIGNMENT_STATUSES)})
    category = fields.String(required=True)
    items = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    expected_by = fields.String(allow_none=True, required=True)
    respond_by = fields.String(allow_none=True, required=True)
    promised_date = fields.String(allow_none=True, required=True)
    progress = fields.List(fields.Nested(ProgressView), required=True)
    evidence = fields.Dict(allow_none=True, required=True)
    quote = fields.Nested(lambda: QuoteView, allow_none=True, metadata={
        "description": "testing and certification: the latest quote (null until given)"})
    samples = fields.List(fields.Nested(lambda: SampleView), metadata={
        "description": "the samples received, and their return or disposal"})
    request = fields.Nested(OfferedRequest, allow_none=True, metadata={
        "description": "in lists: the whole request, without who asks"})
    time_zone = time_zone_field()


class AssignmentPage(CursorPage):
    items = fields.List(fields.Nested(AssignmentRecordView), required=True)


class MatchingRound(Schema):
    round = fields.Integer(required=True)
    outcome = fields.String(required=True, metadata={
        "enum": ["offered", "assigned manually", "failed"]})
    answer = fields.String(allow_none=True, required=True, metadata={
        "description": "for an offer: accepted, declined, expired, or null while pending"})
    institution_id = fields.String()
    reasons = fields.List(fields.String())
    overridden = fields.String(allow_none=True, metadata={
        "description": "the constraint a supervisor overrode in a manual assignment"})
    by = fields.Nested(ActorView)
    at = fields.String()
    weights = fields.Dict(keys=fields.String(), values=fields.Float(),
                          metadata={"description": "the weights in force at the decision"})
    candidates = fields.List(fields.Nested(CandidateSchema), required=True)
    interested = fields.List(fields.String(), metadata={
        "description": "the institutions that expressed interest in the demand hall this round"})


class MatchingView(Schema):
    demand_id = fields.String(required=True)
    rounds = fields.List(fields.Nested(MatchingRound), required=True)
    hall = fields.Dict(allow_none=True, metadata={
        "description": "the demand's latest listing in the demand hall, with who expressed "
                       "interest; null if it never waited there"})


class DossierEvent(Schema):
    service = fields.String(required=True)
    notification_id = fields.Integer(required=True)
    name = fields.String(required=True)
    schema_version = fields.Integer(required=True)
    occurred_at = fields.String(required=True)
    originator_id = fields.String(required=True)
    originator_version = fields.Integer(required=True)
    data = fields.Dict(required=True)
    hash = fields.String(required=True, metadata={
        "description": "SHA-256 of the previous entry's hash and this entry's canonical JSON"})
    addendum = fields.Boolean(metadata={"description": "true: recorded after the seal"})


class SealView(Schema):
    sealed_at = fields.String(required=True)
    sealed_by_event = fields.String(required=True)
    retention_until = fields.String(required=True)
    head = fields.String(required=True)
    event_count = fields.Integer(required=True)


class DossierSummary(Schema):
    demand_id = fields.String(required=True)
    status = fields.String(allow_none=True, required=True)
    station_id = fields.String(allow_none=True, required=True)
    breaches = fields.List(fields.String(), required=True)
    enterprise = fields.Dict(allow_none=True, required=True)
    park = fields.String(allow_none=True, required=True)
    category = fields.String(allow_none=True, required=True)
    title = fields.String(allow_none=True, required=True)
    submitted_at = fields.String(allow_none=True, required=True)
    assignment = fields.Dict(allow_none=True, required=True)
    unmatched_reasons = fields.List(fields.String(), required=True)
    event_count = fields.Integer(required=True)
    submitted_utc = fields.String(allow_none=True, required=True)
    breached = fields.Boolean(required=True)
    chain_head = fields.String(allow_none=True, required=True)
    seal = fields.Nested(SealView, allow_none=True, required=True)


class DossierView(DossierSummary):
    events = fields.List(fields.Nested(DossierEvent), required=True)
    legal_hold = fields.Nested(lambda: RetentionActView, allow_none=True, metadata={
        "description": "supervisors only: the legal hold standing on the dossier, who placed "
                       "it, when and why (null: none)"})
    as_of = fields.String(metadata={"description": "set when the case is shown as it stood then"})


class DossierPage(CursorPage):
    items = fields.List(fields.Nested(DossierSummary), required=True)


class BrokenEntry(Schema):
    index = fields.Integer(required=True)
    service = fields.String()
    notification_id = fields.Integer()
    name = fields.String(allow_none=True)
    problem = fields.String(required=True)


class VerificationView(Schema):
    demand_id = fields.String(required=True)
    intact = fields.Boolean(required=True)
    entries = fields.Integer(required=True)
    first_broken = fields.Nested(BrokenEntry, allow_none=True, required=True)
    seal = fields.Dict(allow_none=True, required=True, metadata={
        "description": "the seal recorded in the archive's event store, and whether it matches"})
    sources_checked = fields.Boolean(required=True, metadata={
        "description": "each entry was compared with the event store it came from"})
    files = fields.List(fields.Dict(), required=True, metadata={
        "description": "the files the dossier names that the archive does not hold intact "
                       "(sha256, problem: not kept or altered); empty when all are"})


class RetentionActView(Schema):
    reason = fields.String(required=True)
    by = fields.Nested(ActorView, required=True)
    at = fields.String(required=True)


class DisposalView(RetentionActView):
    head = fields.String(required=True, metadata={
        "description": "the dossier's hash-chain head when it was disposed of"})
    event_count = fields.Integer(required=True)


class RetentionView(Schema):
    """A sealed dossier's retention: until when it is kept, its legal hold, its disposal (what
    is kept of a disposed dossier: the tombstone)."""
    demand_id = fields.String(required=True)
    station_id = fields.String(allow_none=True, required=True)
    sealed_at = fields.String(required=True)
    retention_until = fields.String(required=True, metadata={"description": "a date"})
    head = fields.String(required=True, metadata={"description": "the sealed part's chain head"})
    event_count = fields.Integer(required=True, metadata={"description": "entries sealed"})
    legal_hold = fields.Nested(RetentionActView, allow_none=True, required=True, metadata={
        "description": "while set, the dossier is not disposed of"})
    disposal = fields.Nested(DisposalView, allow_none=True, required=True)


class DisposalsDuePage(CursorPage):
    items = fields.List(fields.Nested(RetentionView), required=True)
    as_of = fields.String(required=True, metadata={
        "description": "the date the list was made on: each item's retention ended before it"})


class CatalogueView(Schema):
    """Each code the API speaks, with its labels: {code: {"zh-CN": ..., "en": ...}}."""
    categories = fields.Dict(required=True)
    statuses = fields.Dict(required=True)
    stages = fields.Dict(required=True)
    events = fields.Dict(required=True)
    indicators = fields.Dict(required=True)
    errors = fields.Dict(required=True)
    notices = fields.Dict(required=True, metadata={"description": "the kinds of notice"})
    dimensions = fields.Dict(required=True, metadata={"description": "the default configuration's dimensions"})
    units = fields.Dict(required=True, metadata={"description": "the indicators' units"})
    urgencies = fields.Dict(required=True, metadata={"description": "how urgent a demand is"})
    assignment_statuses = fields.Dict(required=True, metadata={
        "description": "where an offer or assignment is, as its institution sees it"})
    complaint_statuses = fields.Dict(required=True)
    qualification_statuses = fields.Dict(required=True)
    partner_events = fields.Dict(required=True, metadata={
        "description": "the integration events institutions' systems receive (docs/partners/)"})
    booking_statuses = fields.Dict(required=True, metadata={"description": "where a booking of a shared instrument is"})
    standard_stages = fields.Dict(required=True, metadata={"description": "a standard project's stages"})
    standard_kinds = fields.Dict(required=True, metadata={"description": "enterprise, group, ... standard"})
    ip_kinds = fields.Dict(required=True, metadata={"description": "patents' kinds and trademark"})
    ip_statuses = fields.Dict(required=True, metadata={"description": "where an IP application is"})


class Health(Schema):
    status = fields.String(required=True)
    services = fields.Dict(keys=fields.String(), values=fields.String())


class FeedbackView(Schema):
    demand_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    comment = fields.String(allow_none=True, required=True)
    channel = fields.String(required=True)
    by = fields.Nested(ActorView, required=True)
    at = fields.String(required=True)


# Evaluation ---------------------------------------------------------------------------------
class RevisitView(Schema):
    demand_id = fields.String(required=True)
    station_id = fields.String(required=True)
    feedback_due_at = fields.String(required=True)
    raised_at = fields.String(required=True)
    time_zone = time_zone_field()


class RevisitPage(CursorPage):
    items = fields.List(fields.Nested(RevisitView), required=True)


class PartyView(Schema):
    kind = fields.String(required=True)
    id = fields.String(required=True)


class ComplaintView(Schema):
    id = fields.String(required=True)
    station_id = fields.String(required=True)
    demand_id = fields.String(allow_none=True, required=True)
    against = fields.Nested(PartyView, required=True)
    summary = fields.String(required=True)
    details = fields.String(allow_none=True, required=True)
    complainant = fields.Nested(ActorView, required=True)
    status = fields.String(required=True, metadata={"enum": list(COMPLAINT_STATUSES)})
    outcome = fields.String(allow_none=True, required=True)
    received_at = fields.String(required=True)
    deadlines = fields.Dict(required=True, metadata={
        "description": "acknowledgement and resolution clocks: due_at, warn_at, closed_at, "
                       "warned, breached"})
    history = fields.List(fields.Dict(), required=True)
    time_zone = time_zone_field()


class ComplaintPage(CursorPage):
    items = fields.List(fields.Nested(ComplaintView), required=True)


class CheckView(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True)
    subject = fields.Nested(PartyView, required=True)
    demand_id = fields.String(allow_none=True, required=True)
    findings = fields.List(fields.Dict(), required=True)
    suspend_institution = fields.Boolean(required=True)
    reason = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorView, required=True)
    at = fields.String(required=True)


class CheckPage(CursorPage):
    items = fields.List(fields.Nested(CheckView), required=True)


class ConfigurationView(Schema):
    version = fields.String(required=True)
    current = fields.Boolean(required=True)
    document = fields.Dict(required=True, metadata={"description": "docs/evaluation.md"})


class ConfigurationSummary(Schema):
    version = fields.String(required=True)
    current = fields.Boolean(required=True)


class ConfigurationPage(CursorPage):
    items = fields.List(fields.Nested(ConfigurationSummary), required=True)


class FiguresView(Schema):
    scope = fields.String(required=True)
    period = fields.String(required=True)
    first_day = fields.String(required=True)
    last_day = fields.String(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)


class IndicatorLine(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    label = fields.String(metadata={"description": "its name in the language Accept-Language prefers"})
    unit = fields.String(required=True)
    unit_label = fields.String(metadata={"description": "the unit in that language"})
    value = fields.Float(allow_none=True, required=True, metadata={"description": "null: no data"})
    score = fields.Float(allow_none=True, required=True, metadata={"description": "0-100; null: not scored"})
    weight = fields.Float(required=True)
    sample = fields.Float(allow_none=True, metadata={
        "description": "the cases a rate or mean rests on; null for a fact (a count, a state)"})
    too_few_cases = fields.Boolean(metadata={
        "description": "not scored: fewer cases than the configuration's minimum_sample"})


class DimensionLine(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "as the configuration names it"})
    label = fields.String(metadata={"description": "its name in the language Accept-Language prefers"})
    weight = fields.Float(required=True)
    score = fields.Float(allow_none=True, required=True)
    indicators = fields.List(fields.Nested(IndicatorLine), required=True)


class ReportView(FiguresView):
    configuration_version = fields.String(required=True)
    dimensions = fields.List(fields.Nested(DimensionLine), required=True)
    total = fields.Float(allow_none=True, required=True)
    grade = fields.String(allow_none=True, required=True)
    not_scored = fields.List(fields.String(), required=True)
    insufficient_data = fields.Dict(allow_none=True, metadata={
        "description": "set (cases, minimum_cases) when the scope had too few cases in the period "
                       "to be graded: no total, no grade, and it cannot be published"})


class EvaluationView(ReportView):
    id = fields.String(required=True)
    improvement_actions = fields.List(fields.String(), required=True)
    published_by = fields.Nested(ActorView, required=True)
    published_at = fields.String(required=True)
    withdrawal = fields.Dict(allow_none=True, required=True, metadata={
        "description": "reason, by and at, once a supervisor withdrew it"})


class EvaluationSummary(Schema):
    id = fields.String(required=True)
    scope = fields.String(required=True)
    period = fields.String(required=True)
    configuration_version = fields.String(required=True)
    total = fields.Float(allow_none=True, required=True)
    grade = fields.String(allow_none=True, required=True)
    published_at = fields.String(required=True)
    withdrawn = fields.Boolean(load_default=False)


class EvaluationPage(CursorPage):
    items = fields.List(fields.Nested(EvaluationSummary), required=True)


class TrendView(Schema):
    scope = fields.String(required=True)
    every = fields.String(required=True)
    configuration_version = fields.String(required=True)
    points = fields.List(fields.Dict(), required=True, metadata={
        "description": "per period: period, first_day, last_day, total, grade, and each "
                       "indicator's value and score"})


class ImprovementActionView(Schema):
    id = fields.String(required=True)
    evaluation_id = fields.String(required=True)
    scope = fields.String(required=True)
    period = fields.String(required=True)
    indicator = fields.String(required=True)
    score = fields.Float(required=True)
    value = fields.Float(allow_none=True, required=True)
    due_on = fields.String(required=True)
    raised_at = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["open", "closed", "withdrawn"]})
    progress = fields.List(fields.Dict(), required=True)
    closure = fields.Dict(allow_none=True, required=True)


class ImprovementActionPage(CursorPage):
    items = fields.List(fields.Nested(ImprovementActionView), required=True)


# Testing and certification (gateway/quote_routes.py) ----------------------------------------
class QuoteLineView(Schema):
    item = fields.String(required=True)
    amount = fields.String(required=True, metadata={"description": "yuan, exact decimal text"})


class QuoteView(Schema):
    revision = fields.Integer(required=True)
    amount = fields.String(required=True, metadata={"description": "the total in yuan, exact decimal text"})
    items = fields.List(fields.Nested(QuoteLineView), required=True)
    valid_until = fields.String(required=True, metadata={"format": "date"})
    note = fields.String(allow_none=True, required=True)
    answer = fields.String(allow_none=True, required=True, metadata={
        "enum": ["accepted", "declined", None], "description": "null while it awaits the enterprise"})
    given_at = fields.String(required=True)
    answered_at = fields.String(allow_none=True, required=True)
    answered_by = fields.Nested(ActorView, allow_none=True, required=True)
    reason = fields.String(allow_none=True, required=True, metadata={"description": "why declined"})


class SampleView(Schema):
    sample_id = fields.String(required=True)
    description = fields.String(required=True)
    quantity = fields.Integer(required=True)
    received_on = fields.String(required=True, metadata={"format": "date"})
    condition = fields.String(required=True)
    disposition = fields.String(allow_none=True, required=True, metadata={
        "enum": ["returned", "disposed", None], "description": "null while the institution holds it"})
    disposed_on = fields.String(allow_none=True, required=True, metadata={"format": "date"})
    note = fields.String(allow_none=True, required=True)


# The station's own requirements (gateway/requirements_routes.py has the rest) ------------------
class StationConformity(Schema):
    """As last recorded (null before the station recorded anything its checklist checks)."""
    status = fields.String(required=True, metadata={"enum": ["conforming", "non_conforming", "incomplete"]})
    failing = fields.List(fields.String(), required=True, metadata={"description": "the items not met"})
    at = fields.String(required=True)
