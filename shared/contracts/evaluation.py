"""Events evaluation publishes: feedback, revisits, complaints, supervision checks, raw figures,
published evaluations and improvement actions, and its bookkeeping of the cases it follows.

Bookkeeping events carry no ``demand_id``, so they stay out of the demand's dossier; the events
a supervisor reads in a case (feedback, revisit, complaint) carry it.
"""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema, category_field


def _uuid(**kwargs):
    return fields.UUID(required=True, **kwargs)


def _text(**kwargs):
    return fields.String(required=True, **kwargs)


# Raw figures ---------------------------------------------------------------------------------
class EntrySchema(Schema):
    scope = _text(metadata={"description": "all, station:<id>, category:<code>, institution:<id>, "
                                           "park:<code> (shared instruments' use, which a "
                                           "station's figures take)"})
    figure = _text()
    add = fields.Float(metadata={"description": "a count or sum added on the day"})
    member = fields.String(metadata={"description": "a member of a set (an enterprise served)"})
    key = fields.String(metadata={"description": "what a state is of (an institution)"})
    value = fields.Raw(metadata={"description": "the state's value from that day on"})


@contract("FiguresRecorded", producer="evaluation", subject="tally_id",
          summary="The raw figures one occurrence adds on its local day (docs/evaluation.md).")
class FiguresRecorded(Schema):
    tally_id = _uuid()
    source = _text(metadata={"description": "the occurrence: upstream service and notification id, "
                                            "or evaluation's own record"})
    day = _text()
    entries = fields.List(fields.Nested(EntrySchema), required=True)


# Bookkeeping of what evaluation follows -----------------------------------------------------
@contract("StationFollowed", producer="evaluation", subject="station_record_id",
          summary="Evaluation keeps a station's park and calendar, to measure working hours.")
class StationFollowed(Schema):
    station_record_id = _uuid()
    station_id = _uuid()
    park = _text()
    calendar = fields.Dict(required=True)


@contract("StationCalendarFollowed", producer="evaluation", subject="station_record_id",
          summary="Evaluation took in a station's changed calendar; durations from then on are "
                  "measured on it.")
class StationCalendarFollowed(Schema):
    station_record_id = _uuid()
    calendar = fields.Dict(required=True)


@contract("ServiceCaseOpened", producer="evaluation", subject="service_case_id",
          summary="Evaluation follows a demand's service, to measure it and know who may rate it.")
class ServiceCaseOpened(Schema):
    service_case_id = _uuid()
    enterprise_code = _text()
    station_id = _uuid()
    category = category_field(required=True)
    submitted_at = _text()
    expected_by = fields.Date(allow_none=True, required=True)


class _CaseStep(Schema):
    service_case_id = _uuid()


@contract("ServiceCaseResponded", producer="evaluation", subject="service_case_id",
          summary="The station's first response to the demand.")
class ServiceCaseResponded(_CaseStep):
    at = _text()


@contract("ServiceCasePaused", producer="evaluation", subject="service_case_id",
          summary="The assessment waits for the enterprise's information.")
class ServiceCasePaused(_CaseStep):
    at = _text()


@contract("ServiceCaseResumed", producer="evaluation", subject="service_case_id",
          summary="The enterprise answered; the working hours it took are not the station's.")
class ServiceCaseResumed(_CaseStep):
    hours = fields.Float(required=True)


@contract("ServiceCaseAssessed", producer="evaluation", subject="service_case_id",
          summary="The demand was assessed (or reassessed), with its category.")
class ServiceCaseAssessed(_CaseStep):
    category = category_field(required=True)
    accepted = fields.Boolean(required=True)
    at = _text()


@contract("ServiceCaseAssigned", producer="evaluation", subject="service_case_id",
          summary="The service's institution and promised date, as intake recorded them.")
class ServiceCaseAssigned(_CaseStep):
    assignment_id = _uuid()
    institution_id = _uuid()
    promised_date = fields.Date(allow_none=True, required=True)


@contract("ServiceCaseCompleted", producer="evaluation", subject="service_case_id",
          summary="The service was completed; feedback is due by feedback_due_at.")
class ServiceCaseCompleted(_CaseStep):
    at = _text()
    feedback_due_at = _text()


@contract("OfferRoundFollowed", producer="evaluation", subject="offer_round_id",
          summary="Evaluation follows a demand's offers, to measure institutions' answers.")
class OfferRoundFollowed(Schema):
    offer_round_id = _uuid()
    match_id = _uuid()
    category = category_field(required=True)


@contract("OfferFollowed", producer="evaluation", subject="offer_round_id",
          summary="When an offer was made.")
class OfferFollowed(Schema):
    offer_round_id = _uuid()
    assignment_id = _text()
    at = _text()


@contract("InstrumentFollowed", producer="evaluation", subject="instrument_record_id",
          summary="Evaluation keeps a shared instrument's owner and park, to count its use for "
                  "both.")
class InstrumentFollowed(Schema):
    instrument_record_id = _uuid()
    instrument_id = _uuid()
    institution_id = _text()
    park = _text()


# Feedback ------------------------------------------------------------------------------------
@contract("RevisitTaskRaised", producer="evaluation", subject="service_case_id",
          summary="The feedback window lapsed without feedback: a specialist revisits (回访).")
class RevisitTaskRaised(_CaseStep):
    demand_id = _uuid()
    station_id = _uuid()
    due_since = _text()
    at = _text()


@contract("FeedbackGiven", producer="evaluation", subject="service_case_id",
          summary="The enterprise rated the service (or a specialist recorded it on a revisit).")
class FeedbackGiven(_CaseStep):
    demand_id = _uuid()
    station_id = _uuid()
    institution_id = _uuid()
    assignment_id = _uuid()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    comment = fields.String(allow_none=True, required=True)
    channel = _text()
    by = fields.Nested(ActorSchema, required=True)
    at = _text()


@contract("RatingOpened", producer="evaluation", subject="rating_id",
          summary="Evaluation started an institution's rating.")
class RatingOpened(Schema):
    rating_id = _uuid()
    institution_id = _uuid()


@contract("InstitutionRated", producer="evaluation", subject="rating_id",
          summary="An institution's satisfaction and on-time rates after a new feedback or "
                  "completion; matching weighs them.")
class InstitutionRated(Schema):
    rating_id = _uuid()
    institution_id = _uuid()
    satisfaction = fields.Float(allow_none=True, required=True, metadata={
        "description": "mean overall score / 5; null before any feedback"})
    feedback_count = fields.Integer(required=True)
    on_time_rate = fields.Float(allow_none=True, required=True, metadata={
        "description": "services completed by their promised date / dated services; null before any"})
    completed_count = fields.Integer(required=True)
    overall = fields.Integer(allow_none=True, required=True)
    on_time = fields.Boolean(allow_none=True, required=True)


# Complaints ----------------------------------------------------------------------------------
class PartySchema(Schema):
    kind = _text()
    id = _text()


class _ComplaintStep(Schema):
    complaint_id = _uuid()
    demand_id = fields.UUID(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = _text()


@contract("ComplaintReceived", producer="evaluation", subject="complaint_id",
          summary="A complaint against a station, a specialist or an institution was received; "
                  "its acknowledgement and resolution clocks start.")
class ComplaintReceived(_ComplaintStep):
    station_id = _uuid()
    against = fields.Nested(PartySchema, required=True)
    summary = _text()
    details = fields.String(allow_none=True, required=True)
    deadlines = fields.Dict(required=True)


@contract("ComplaintInvestigating", producer="evaluation", subject="complaint_id",
          summary="A specialist or a supervisor took the complaint up.")
class ComplaintInvestigating(_ComplaintStep):
    note = _text()


@contract("ComplaintEscalated", producer="evaluation", subject="complaint_id",
          summary="The complaint went to a supervisor, who resolves it.")
class ComplaintEscalated(_ComplaintStep):
    reason = _text()


@contract("ComplaintAnswered", producer="evaluation", subject="complaint_id",
          summary="The institution complained about gave its side (the status is unchanged).")
class ComplaintAnswered(_ComplaintStep):
    statement = _text()


@contract("ComplaintResolved", producer="evaluation", subject="complaint_id",
          summary="The complaint was resolved, with its outcome.")
class ComplaintResolved(_ComplaintStep):
    outcome = _text(metadata={"description": "upheld, partly_upheld or not_upheld"})
    resolution = _text()


@contract("ComplaintDeadlineApproaching", producer="evaluation", subject="complaint_id",
          summary="A complaint's clock (acknowledgement or resolution) is about to lapse.")
class ComplaintDeadlineApproaching(Schema):
    complaint_id = _uuid()
    demand_id = fields.UUID(allow_none=True, required=True)
    stage = _text()
    due_at = _text()
    at = _text()


@contract("ComplaintDeadlineBreached", producer="evaluation", subject="complaint_id",
          summary="A complaint's clock lapsed before its stage was done (as DeadlineBreached "
                  "for a demand's stages).")
class ComplaintDeadlineBreached(ComplaintDeadlineApproaching):
    pass


# Supervision ---------------------------------------------------------------------------------
@contract("SupervisionCheckRecorded", producer="evaluation", subject="check_id",
          summary="A supervisor's spot check or revisit, with findings; suspend_institution asks "
                  "matching to suspend the checked institution.")
class SupervisionCheckRecorded(Schema):
    check_id = _uuid()
    kind = _text()
    subject = fields.Dict(required=True)
    demand_id = fields.UUID(allow_none=True, required=True)
    findings = fields.List(fields.Dict(), required=True)
    suspend_institution = fields.Boolean(required=True)
    reason = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = _text()


# Effectiveness evaluation --------------------------------------------------------------------
@contract("ConfigurationRegistered", producer="evaluation", subject="configuration_id",
          summary="A supervisor registered a new indicator configuration version.")
class ConfigurationRegistered(Schema):
    configuration_id = _uuid()
    version = _text()
    document = fields.Dict(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = _text()


@contract("EvaluationPublished", producer="evaluation", subject="evaluation_id",
          summary="An effectiveness evaluation of a scope and period: raw figures, scores, grade "
                  "and the configuration version used.")
class EvaluationPublished(Schema):
    evaluation_id = _uuid()
    scope = _text()
    period = _text()
    first_day = _text()
    last_day = _text()
    configuration_version = _text()
    figures = fields.Dict(required=True)
    dimensions = fields.List(fields.Dict(), required=True)
    total = fields.Float(allow_none=True, required=True)
    grade = fields.String(allow_none=True, required=True)
    not_scored = fields.List(fields.String(), required=True)
    improvement_actions = fields.List(fields.String(), required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = _text()
    publication = fields.Integer(load_default=1, metadata={
        "description": "1, or the next after withdrawn publications of the same scope, period "
                       "and version"})


@contract("EvaluationWithdrawn", producer="evaluation", subject="evaluation_id",
          summary="A supervisor withdrew a mistaken publication; it stays, marked, with why.")
class EvaluationWithdrawn(Schema):
    evaluation_id = _uuid()
    reason = _text()
    by = fields.Nested(ActorSchema, required=True)
    at = _text()


@contract("ImprovementActionWithdrawn", producer="evaluation", subject="action_id",
          summary="The evaluation that raised an open improvement action was withdrawn.")
class ImprovementActionWithdrawn(Schema):
    action_id = _uuid()
    reason = _text()
    at = _text()


@contract("ImprovementActionRaised", producer="evaluation", subject="action_id",
          summary="A low grade raised an improvement action on one indicator.")
class ImprovementActionRaised(Schema):
    action_id = _uuid()
    evaluation_id = _uuid()
    scope = _text()
    period = _text()
    indicator = _text()
    score = fields.Float(required=True)
    value = fields.Float(allow_none=True, required=True)
    due_on = _text()
    at = _text()


@contract("ImprovementProgressRecorded", producer="evaluation", subject="action_id",
          summary="Progress on an improvement action.")
class ImprovementProgressRecorded(Schema):
    action_id = _uuid()
    note = _text()
    by = fields.Nested(ActorSchema, required=True)
    at = _text()


@contract("ImprovementActionClosed", producer="evaluation", subject="action_id",
          summary="A supervisor checked the improvement and closed the action.")
class ImprovementActionClosed(Schema):
    action_id = _uuid()
    outcome = _text()
    by = fields.Nested(ActorSchema, required=True)
    at = _text()
