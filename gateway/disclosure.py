"""What each role reads of a case's dossier: an allow-list of events, and of each event's fields.

A dossier holds every service's events about a demand, among them what one party must not
read of another: matching's scores of every competitor, other institutions' offers and
answers, supervisors' checks, the complaints against an institution, the regulators' reads.
So nothing is shown because it exists: each role reads the events listed for it here, and of
each only the fields listed. An event type or a field that a release adds is hidden from every
role until it is listed (`docs/disclosure.md`, generated from this table, shows the whole of
it; a test keeps the two equal and checks every listed name against the event catalogue).

An institution also reads, of the events that name an institution or an assignment, only those
naming its own: its own offer and its answer to it, never another's.
"""
from __future__ import annotations

ALL = "*"

_DEMAND = ("demand_id", "at")
_SUBMITTED = _DEMAND + ("station_id", "enterprise", "park", "category", "title", "description",
                        "items", "expected_by", "channel", "consultation", "attachments")
_CLASSIFIED = _DEMAND + ("by", "category", "items", "sub_items", "urgency", "park", "expected_by",
                         "round")
_DECIDED = _DEMAND + ("by",)
_ASSIGNMENT = _DEMAND + ("assignment_id", "institution_id")
_DEADLINE = _DEMAND + ("stage", "due_at")
_COMPLAINT = ("complaint_id", "demand_id", "at")
_SEALED = ("demand_id", "sealed_at", "retention_until", "head", "event_count")

#: What the station and the regulator read: the whole case. Listed all the same, so that a new
#: event type is a decision for them too.
_WHOLE_CASE = {name: ALL for name in (
    "DemandSubmitted", "DemandAccepted", "DemandReclassified", "DemandAnswered", "DemandRejected",
    "DemandWithdrawn", "DemandCancelled", "DemandAssigned", "DemandMatchingFailed",
    "DemandCompleted", "InformationRequested", "InformationSupplied", "FollowUpRecorded",
    "DeadlineApproaching", "DeadlineBreached", "MatchingStarted", "MatchingRestarted",
    "AssignmentOffered", "OfferDeclined", "OfferExpired", "InstitutionAssigned",
    "AssignmentReleased", "MatchingFailed", "MatchingClosed", "ServiceProgressRecorded",
    "ServiceCompleted", "FeedbackGiven", "RevisitTaskRaised", "ComplaintReceived",
    "ComplaintInvestigating", "ComplaintEscalated", "ComplaintAnswered", "ComplaintResolved",
    "ComplaintDeadlineApproaching", "ComplaintDeadlineBreached", "SupervisionCheckRecorded",
    "DossierAccessed", "DemandArchived", "VerificationRequested", "CertificateRecorded")}

DOSSIER: dict[str, dict[str, str | tuple[str, ...]]] = {
    "specialist": _WHOLE_CASE,
    "supervisor": _WHOLE_CASE,
    # The enterprise follows its own case: what it asked and answered, what the station decided
    # and when it is due, who serves it and how far they are, its feedback and complaints. Not
    # the offers round (which institutions were asked, their answers, the scores), the
    # station's revisit tasks, supervisors' checks or who of the regulators read the case.
    "enterprise": {
        "DemandSubmitted": _SUBMITTED + ("by", "excluded_institutions", "deadlines"),
        "DemandAccepted": _CLASSIFIED + ("excluded_institutions",),
        "DemandReclassified": _CLASSIFIED + ("excluded_institutions", "reason"),
        "DemandAnswered": _DECIDED + ("answer",),
        "DemandRejected": _DECIDED + ("reason",),
        "DemandWithdrawn": _DECIDED + ("reason",),
        "DemandCancelled": _DECIDED + ("reason",),
        "DemandAssigned": _ASSIGNMENT + ("promised_date",),
        "DemandMatchingFailed": _DEMAND + ("reasons",),
        "DemandCompleted": _DEMAND + ("evidence",),
        "InformationRequested": _DECIDED + ("questions",),
        "InformationSupplied": _DECIDED + ("information", "attachments"),
        "FollowUpRecorded": _DECIDED + ("note", "contact", "channel", "next_step_on"),
        "DeadlineApproaching": _DEADLINE,
        "DeadlineBreached": _DEADLINE,
        "InstitutionAssigned": _ASSIGNMENT + ("promised_date",),
        "AssignmentReleased": _ASSIGNMENT + ("reason",),
        "ServiceProgressRecorded": _DEMAND + ("assignment_id", "milestone", "note"),
        "ServiceCompleted": _ASSIGNMENT + ("evidence",),
        "FeedbackGiven": _ASSIGNMENT + ("scores", "comment", "channel", "by"),
        "ComplaintReceived": _COMPLAINT + ("by", "against", "summary", "details", "deadlines"),
        "ComplaintInvestigating": _COMPLAINT,
        "ComplaintEscalated": _COMPLAINT + ("reason",),
        "ComplaintAnswered": _COMPLAINT + ("statement",),
        "ComplaintResolved": _COMPLAINT + ("outcome", "resolution"),
        "ComplaintDeadlineApproaching": _COMPLAINT + ("stage", "due_at"),
        "ComplaintDeadlineBreached": _COMPLAINT + ("stage", "due_at"),
        "DemandArchived": _SEALED,
        # The metrology register's part: the instrument the demand is for, and its certificate.
        "VerificationRequested": _DECIDED + ("instrument_id", "sub_item", "due_on"),
        "CertificateRecorded": _DEMAND + ("instrument_id", "number", "issued_on", "institution_id", "next_due"),
    },
    # The institution serving the case reads what the work needs: the demand as asked and
    # clarified, its own offer, assignment, progress, completion and feedback. Not whom the
    # enterprise turned down, the station's clocks and notes, the matching round's inputs and
    # scores, complaints (the complainant and the station handle them) or supervisors' checks.
    "institution": {
        "DemandSubmitted": _SUBMITTED + ("deadlines",),
        "DemandAccepted": _CLASSIFIED,
        "DemandReclassified": _CLASSIFIED + ("reason",),
        "DemandWithdrawn": _DECIDED + ("reason",),
        "DemandCancelled": _DECIDED + ("reason",),
        "DemandAssigned": _ASSIGNMENT + ("promised_date",),
        "DemandCompleted": _DEMAND + ("evidence",),
        "InformationRequested": _DECIDED + ("questions",),
        "InformationSupplied": _DECIDED + ("information", "attachments"),
        "AssignmentOffered": _ASSIGNMENT + ("round", "respond_by"),
        "OfferDeclined": _ASSIGNMENT + ("reason", "by"),
        "OfferExpired": _ASSIGNMENT + ("respond_by",),
        "InstitutionAssigned": _ASSIGNMENT + ("promised_date", "manual"),
        "AssignmentReleased": _ASSIGNMENT + ("reason",),
        "ServiceProgressRecorded": _DEMAND + ("assignment_id", "milestone", "note", "by"),
        "ServiceCompleted": _ASSIGNMENT + ("evidence", "by"),
        "FeedbackGiven": _ASSIGNMENT + ("scores", "comment", "channel"),
        "DemandArchived": _SEALED,
        # Its certificate as the register recorded it (not the enterprise's register itself).
        "CertificateRecorded": _DEMAND + ("number", "issued_on", "institution_id"),
    },
}

# A standard project's stages and an IP application's moves are the case's work product: every
# party reads them whole (its documents are the enterprise's standard or filing).
PROJECT_EVENTS = ("StandardProjectOpened", "StandardStageCompleted", "StandardPublished",
                  "IpApplicationRecorded", "IpApplicationStatusChanged")
for _readers in DOSSIER.values():
    _readers.update(dict.fromkeys(PROJECT_EVENTS, ALL))


def disclosed(dossier: dict, role: str, subject: str) -> dict:
    """The dossier as ``role`` (acting as ``subject``) may read it."""
    allowed = DOSSIER.get(role, {})
    entries = [entry for entry in dossier["events"] if entry["name"] in allowed]
    if role == "institution":
        own = {entry["data"]["assignment_id"] for entry in entries
               if entry["data"].get("institution_id") == subject and entry["data"].get("assignment_id")}
        entries = [entry for entry in entries if _concerns(entry["data"], subject, own)]
    shown = {**dossier, "events": [_shown(entry, allowed[entry["name"]]) for entry in entries]}
    if role != "supervisor":
        # Like who disposed of a case and why, a hold is the regulator's to know.
        shown.pop("legal_hold", None)
    return shown


def _concerns(data: dict, institution_id: str, own_assignments: set) -> bool:
    """Whether an entry names no other institution and no other institution's assignment."""
    if data.get("institution_id") not in (None, institution_id):
        return False
    return data.get("assignment_id") in (None, *own_assignments)


def _shown(entry: dict, fields: str | tuple[str, ...]) -> dict:
    if fields == ALL:
        return entry
    return {**entry, "data": {key: value for key, value in entry["data"].items() if key in fields}}
