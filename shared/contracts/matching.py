"""Events matching publishes about institutions and assignments."""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema, QualificationSchema, category_field


@contract("InstitutionRegistered", producer="matching", subject="institution_id",
          summary="A quality technical service institution joined, with its qualifications.")
class InstitutionRegistered(Schema):
    institution_id = fields.UUID(required=True)
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    categories = fields.List(category_field(), required=True)
    qualifications = fields.List(fields.Nested(QualificationSchema), required=True)
    parks = fields.List(fields.String(), required=True)
    home_park = fields.String(allow_none=True, required=True)
    capacity = fields.Integer(required=True)
    auto_accept_offers = fields.Boolean(required=True)
    price_list = fields.List(fields.Dict(), required=True)
    registered_by = fields.Nested(ActorSchema, required=True)
    reviewed = fields.Boolean(required=True, metadata={
        "description": "false for an institution's own application, which awaits review"})
    track_record = fields.List(fields.Dict(), load_default=list, metadata={
        "description": "projects (title, client, year, summary), for sub-items that need no "
                       "statutory qualification"})


class CandidateSchema(Schema):
    institution_id = fields.String(required=True)
    eligible = fields.Boolean(required=True)
    reason = fields.String(allow_none=True, required=True, metadata={"description": "why excluded"})
    score = fields.Float(allow_none=True, required=True)
    components = fields.Dict(keys=fields.String(), values=fields.Float(), allow_none=True,
                             required=True)


class _Explained(Schema):
    """What a decision event says of its explanation. The whole explanation (every institution
    serving the category) is kept once in matching's store under ``explanation_digest`` and
    shown by ``GET /api/v1/demands/{id}/matching``. Events recorded before it carry every
    candidate in ``explanation`` and none of the other three fields."""
    explanation = fields.List(fields.Nested(CandidateSchema), required=True, metadata={
        "description": "the best eligible candidates (at most 5) and the chosen one, with scores"})
    explanation_digest = fields.String(metadata={
        "description": "SHA-256 of the whole explanation's canonical JSON"})
    excluded = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "how many institutions each reason excluded"})
    considered = fields.Integer(metadata={"description": "institutions considered"})
    interested = fields.List(fields.UUID(), metadata={
        "description": "the institutions that expressed interest in the demand hall this round "
                       "(empty when it was not in the hall; absent before the hall)"})


class _InstitutionChange(Schema):
    institution_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("InstitutionProfileChanged", producer="matching", subject="institution_id",
          summary="An institution's contact, capacity, prices or acceptance of offers changed, "
                  "with who and why.")
class InstitutionProfileChanged(_InstitutionChange):
    changes = fields.Dict(required=True, metadata={
        "description": "the fields changed: contact, capacity, price_list, auto_accept_offers"})
    reason = fields.String(required=True)


@contract("InstitutionReviewed", producer="matching", subject="institution_id",
          summary="A specialist or an operator approved or rejected an institution's application.")
class InstitutionReviewed(_InstitutionChange):
    approved = fields.Boolean(required=True)
    reason = fields.String(required=True)


@contract("InstitutionRatingRecorded", producer="matching", subject="institution_id",
          summary="Matching took in evaluation's satisfaction and on-time rates for the "
                  "institution.")
class InstitutionRatingRecorded(Schema):
    institution_id = fields.UUID(required=True)
    satisfaction = fields.Float(allow_none=True, required=True)
    feedback_count = fields.Integer(required=True)
    on_time_rate = fields.Float(allow_none=True, required=True)
    completed_count = fields.Integer(required=True)


@contract("InstitutionSuspended", producer="matching", subject="institution_id",
          summary="The institution may not receive demands until reinstated (e.g. by a supervisor).")
class InstitutionSuspended(_InstitutionChange):
    reason = fields.String(required=True)


@contract("InstitutionReinstated", producer="matching", subject="institution_id",
          summary="A suspended institution may receive demands again.")
class InstitutionReinstated(InstitutionSuspended):
    pass


@contract("InstitutionExited", producer="matching", subject="institution_id",
          summary="The institution left the station's network.")
class InstitutionExited(InstitutionSuspended):
    pass


@contract("QualificationAdded", producer="matching", subject="institution_id",
          summary="A qualification (e.g. a renewal) was added to the institution's record.")
class QualificationAdded(_InstitutionChange):
    qualification = fields.Nested(QualificationSchema, required=True)


@contract("QualificationStatusChanged", producer="matching", subject="institution_id",
          summary="A qualification was suspended, restored to valid, or withdrawn.")
class QualificationStatusChanged(_InstitutionChange):
    number = fields.String(required=True)
    status = fields.String(required=True)
    reason = fields.String(required=True)


@contract("MatchingClosed", producer="matching", subject="match_id",
          summary="The demand was withdrawn or cancelled: nothing more is matched or assigned.")
class MatchingClosed(Schema):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    at = fields.String(required=True)


@contract("QualificationExpiring", producer="matching", subject="institution_id",
          summary="A valid qualification ends within the warning period (90 days by default).")
class QualificationExpiring(Schema):
    institution_id = fields.UUID(required=True)
    number = fields.String(required=True)
    valid_until = fields.Date(required=True)
    on = fields.Date(required=True, metadata={"description": "the day of the check"})


@contract("QualificationExpired", producer="matching", subject="institution_id",
          summary="A qualification's validity ended; it no longer counts for matching.")
class QualificationExpired(QualificationExpiring):
    pass


class _AssignmentEvent(Schema):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    assignment_id = fields.UUID(required=True)
    at = fields.String(required=True)


@contract("AssignmentOffered", producer="matching", subject="match_id",
          summary="Matching offered a demand to its best candidate; it answers by respond_by.")
class AssignmentOffered(_AssignmentEvent, _Explained):
    institution_id = fields.UUID(required=True)
    round = fields.Integer(required=True, metadata={"description": "intake's matching round"})
    respond_by = fields.String(required=True)
    weights = fields.Dict(required=True, metadata={"description": "the weights in force"})


@contract("InstitutionAssigned", producer="matching", subject="match_id",
          summary="The institution accepted the offer (or a specialist assigned it by hand): "
                  "the service begins.")
class InstitutionAssigned(_AssignmentEvent):
    institution_id = fields.UUID(required=True)
    round = fields.Integer(required=True, metadata={"description": "intake's matching round"})
    promised_date = fields.Date(allow_none=True, required=True)
    manual = fields.Dict(allow_none=True, required=True, metadata={
        "description": "for a manual assignment: its reason and the constraint a supervisor "
                       "overrode (null if none)"})
    by = fields.Nested(ActorSchema, required=True)
    awaits_quote = fields.Boolean(load_default=False, metadata={
        "description": "true: the category quotes first, and the service waits for the "
                       "enterprise to accept the quote (absent before quotes: false)"})


@contract("OfferDeclined", producer="matching", subject="match_id",
          summary="The institution declined the offer; matching offers the next candidate.")
class OfferDeclined(_AssignmentEvent):
    institution_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("OfferExpired", producer="matching", subject="match_id",
          summary="The institution did not answer within its window; matching moves on.")
class OfferExpired(_AssignmentEvent):
    institution_id = fields.UUID(required=True)
    respond_by = fields.String(required=True)


@contract("ServiceProgressRecorded", producer="matching", subject="match_id",
          summary="The institution recorded a milestone of the service.")
class ServiceProgressRecorded(_AssignmentEvent):
    milestone = fields.String(required=True)
    note = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("ServiceCompleted", producer="matching", subject="match_id",
          summary="The institution completed the service, with its evidence.")
class ServiceCompleted(_AssignmentEvent):
    institution_id = fields.UUID(required=True)
    evidence = fields.Dict(required=True, metadata={
        "description": "report_number, certificate_number, issued_on, valid_until, scope, "
                       "documents (name, sha256), deliverables (kind, title, document, "
                       "milestones); events recorded before the last four carry only the numbers and documents"})
    by = fields.Nested(ActorSchema, required=True)


@contract("MatchingFailed", producer="matching", subject="match_id",
          summary="No institution met the hard constraints for a demand; the reasons say why.")
class MatchingFailed(_Explained):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    reasons = fields.List(fields.String(), required=True)
    round = fields.Integer(required=True, metadata={"description": "intake's matching round"})
    weights = fields.Dict(required=True, metadata={"description": "the weights in force"})


@contract("MatchingStarted", producer="matching", subject="match_id",
          summary="Matching took up an accepted demand with the facts it matches on.")
class MatchingStarted(Schema):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    category = category_field(required=True)
    items = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    excluded_institutions = fields.List(fields.UUID(), required=True)
    round = fields.Integer(required=True)
    qualification_kinds = fields.List(fields.String(), allow_none=True, load_default=None, metadata={
        "description": "as intake's DemandAccepted carried them (absent: before the catalogue)"})
    item_terms = fields.Dict(allow_none=True, load_default=None, metadata={
        "description": "as intake's DemandAccepted carried them (absent: before the catalogue)"})


@contract("MatchingRestarted", producer="matching", subject="match_id",
          summary="A reassessed demand is matched again, in a new round.")
class MatchingRestarted(MatchingStarted):
    pass


@contract("AssignmentReleased", producer="matching", subject="match_id",
          summary="An offer or a service ended early (withdrawn, cancelled, reassessed); "
                  "the institution's capacity is free again.")
class AssignmentReleased(_AssignmentEvent):
    institution_id = fields.UUID(required=True)
    reason = fields.String(required=True)


class _HallEvent(Schema):
    match_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)
    round = fields.Integer(required=True, metadata={"description": "intake's matching round"})
    at = fields.String(required=True)


@contract("HallOpened", producer="matching", subject="match_id",
          summary="An accepted demand is listed in its station's demand hall until closes_at; "
                  "matching decides then.")
class HallOpened(_HallEvent):
    category = category_field(required=True)
    items = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    closes_at = fields.String(required=True)
    notified = fields.List(fields.UUID(), required=True, metadata={
        "description": "the institutions eligible when it opened, told of it by the partner feed"})


@contract("InterestExpressed", producer="matching", subject="match_id",
          summary="An eligible institution expressed interest in a demand of the hall.")
class InterestExpressed(_HallEvent):
    institution_id = fields.UUID(required=True)
    note = fields.String(required=True)
    proposed_date = fields.Date(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("InterestWithdrawn", producer="matching", subject="match_id",
          summary="An institution withdrew its interest before the hall closed.")
class InterestWithdrawn(_HallEvent):
    institution_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("HallClosed", producer="matching", subject="match_id",
          summary="The demand left the hall (its window ended, a specialist closed it, or it was "
                  "reassessed, withdrawn or cancelled), with who was interested.")
class HallClosed(_HallEvent):
    interested = fields.List(fields.UUID(), required=True)
    because = fields.String(required=True)


# Testing and certification (docs/categories/testing-and-certification.md) -------------------
class QuoteLineSchema(Schema):
    item = fields.String(required=True)
    amount = fields.String(required=True, metadata={"description": "yuan, exact decimal text"})


@contract("QuoteGiven", producer="matching", subject="match_id",
          summary="The institution quoted for the work; the service waits for the enterprise's "
                  "answer.")
class QuoteGiven(_AssignmentEvent):
    institution_id = fields.UUID(required=True)
    revision = fields.Integer(required=True, metadata={"description": "1, then 2 after a decline..."})
    amount = fields.String(required=True, metadata={"description": "the total in yuan, exact decimal text"})
    items = fields.List(fields.Nested(QuoteLineSchema), required=True)
    valid_until = fields.Date(required=True)
    note = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("QuoteAccepted", producer="matching", subject="match_id",
          summary="The enterprise accepted the quote: the service begins.")
class QuoteAccepted(_AssignmentEvent):
    institution_id = fields.UUID(required=True)
    revision = fields.Integer(required=True)
    amount = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("QuoteDeclined", producer="matching", subject="match_id",
          summary="The enterprise declined the quote, saying why; the institution may give a "
                  "revised one.")
class QuoteDeclined(_AssignmentEvent):
    institution_id = fields.UUID(required=True)
    revision = fields.Integer(required=True)
    amount = fields.String(required=True)
    reason = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("SampleReceived", producer="matching", subject="match_id",
          summary="The institution received a sample of the enterprise's for testing.")
class SampleReceived(_AssignmentEvent):
    sample_id = fields.String(required=True)
    description = fields.String(required=True)
    quantity = fields.Integer(required=True)
    received_on = fields.Date(required=True)
    condition = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("SampleDispositionRecorded", producer="matching", subject="match_id",
          summary="A sample went back to the enterprise or was disposed of.")
class SampleDispositionRecorded(_AssignmentEvent):
    sample_id = fields.String(required=True)
    disposition = fields.String(required=True, metadata={"enum": ["returned", "disposed"]})
    on = fields.Date(required=True)
    note = fields.String(allow_none=True, required=True)
    by = fields.Nested(ActorSchema, required=True)
