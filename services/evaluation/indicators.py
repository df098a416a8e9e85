"""The indicators evaluation can compute, each from raw figures only (docs/evaluation.md).

An indicator's definition (its formula, unit and data source) is code; its weight and scoring
come from a versioned configuration (``scoring``), so a new configuration re-scores history
without touching the figures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from shared.catalogue import CATEGORIES

ALL, STATION, CATEGORY, INSTITUTION = "all", "station", "category", "institution"
SCOPE_KINDS = (ALL, STATION, CATEGORY, INSTITUTION)


@dataclass(frozen=True)
class Context:
    """What an indicator reads: the scope's figures over the period and the states at its end."""
    scope: str
    figures: dict
    days: int
    #: institution id -> {"status", "categories", "parks"} as of the period's end
    institutions: dict
    #: station id -> checklist met (bool) as of the period's end
    checklists: dict
    #: the station's park, for a station scope
    park: str | None
    #: station id -> {"status", "met", "total"} of its requirements as of the period's end
    conformity: dict = field(default_factory=dict)
    #: instrument id -> {"institution", "park", "listed"} of the shared instruments at the period's end
    instruments: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.scope.split(":", 1)[0]

    def get(self, figure: str) -> float:
        return self.figures.get(figure, 0)

    def active_institutions(self) -> list[dict]:
        return [found for found in self.institutions.values() if found["status"] == "active"
                and (self.park is None or self.park in found["parks"])]


def ratio(numerator: float, denominator: float, scale: float = 1) -> float | None:
    """None (not scored) when there is nothing to divide by: no data is not a bad score."""
    return round(numerator / denominator * scale, 6) if denominator else None


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    definition: str
    source: str
    scopes: tuple[str, ...]
    value: Callable[[Context], float | None]
    #: How many cases the value rests on (a rate's or a mean's denominator), where it rests on
    #: a sample: fewer than the configuration's minimum and it is not scored. None for facts
    #: (a count, a state at the period's end), which are what they are however few.
    sample: Callable[[Context], float] | None = None


def _mean(total: str, count: str) -> Callable[[Context], float | None]:
    return lambda c: ratio(c.get(total), c.get(count))


def _share(part: str, whole: str) -> Callable[[Context], float | None]:
    return lambda c: ratio(c.get(part), c.get(whole))


def _count(figure: str) -> Callable[[Context], float]:
    return lambda c: c.get(figure)


def cases(c: Context) -> float:
    """The scope's cases in the period: demands submitted; for an institution, services
    assigned to it."""
    return c.get("assignments") if c.kind == INSTITUTION else c.get("demands_submitted")


def _complaint_rate(c: Context) -> float | None:
    return ratio(c.get("complaints"), cases(c), 100)


def _category_coverage(c: Context) -> float:
    covered = {category for found in c.active_institutions() for category in found["categories"]}
    return round(len(covered & set(CATEGORIES)) / len(CATEGORIES), 6)


def _equipment_utilisation(c: Context) -> float | None:
    sharing = [i for i in c.active_institutions() if "equipment_sharing" in i["categories"]]
    return ratio(c.get("equipment_services"), len(sharing))


def _instrument_hours(c: Context) -> float | None:
    """Hours used per instrument listed: the station's park's, the institution's own."""
    key = c.scope.split(":", 1)[-1]
    listed = [found for found in c.instruments.values() if found["listed"] and (
        c.kind == ALL or (c.kind == STATION and found["park"] == c.park)
        or (c.kind == INSTITUTION and found["institution"] == key))]
    return ratio(c.get("instrument_hours"), len(listed))


def _checklist(c: Context) -> float | None:
    if c.kind == STATION:
        met = c.checklists.get(c.scope.split(":", 1)[1])
        return None if met is None else float(met)
    return ratio(sum(c.checklists.values()), len(c.checklists))


def _conformity(c: Context) -> float | None:
    """A station: the share of its checklist's items met; the platform: the share of stations
    conforming. None before a station recorded anything the checklist checks."""
    if c.kind == STATION:
        found = c.conformity.get(c.scope.split(":", 1)[1])
        return None if found is None else ratio(found["met"], found["total"])
    return ratio(sum(1 for found in c.conformity.values() if found["status"] == "conforming"),
                 len(c.conformity))


_CASES = (ALL, STATION, CATEGORY)
_SERVED = (ALL, STATION, CATEGORY, INSTITUTION)
_OFFERS = (ALL, CATEGORY, INSTITUTION)
_NETWORK = (ALL, STATION)
_INSTRUMENTS = (ALL, STATION, INSTITUTION)

INDICATORS = {i.id: i for i in (
    Indicator("demand_volume", "Demand volume", "demands",
              "Demands submitted in the period, through every channel.",
              "intake DemandSubmitted", _CASES, lambda c: c.get("demands_submitted")),
    Indicator("enterprises_served", "Distinct enterprises served", "enterprises",
              "Distinct enterprises (by credit code) that submitted a demand in the period.",
              "intake DemandSubmitted", _CASES, lambda c: c.get("enterprises")),
    Indicator("first_response_hours", "First-response time", "working hours",
              "Mean working time from submission to the station's first response (accept, "
              "answer, reject or a request for information), on the station's calendar.",
              "intake DemandSubmitted and the first of DemandAccepted, DemandAnswered, "
              "DemandRejected, InformationRequested", _CASES,
              _mean("first_response_hours", "first_responses"), _count("first_responses")),
    Indicator("assessment_hours", "Assessment time", "working hours",
              "Mean working time from submission to the assessment's decision, without the time "
              "spent waiting for the enterprise's information.",
              "intake DemandSubmitted, InformationRequested/Supplied, DemandAccepted/Answered/"
              "Rejected", _CASES, _mean("assessment_hours", "assessments"), _count("assessments")),
    Indicator("match_hours", "Match time", "working hours",
              "Mean working time from acceptance for matching to the assignment of an "
              "institution.", "intake DemandAccepted, DemandAssigned", _CASES,
              _mean("match_hours", "matches"), _count("matches")),
    Indicator("acceptance_rate", "Institution acceptance rate", "share",
              "Offers accepted ÷ offers made (declined and expired offers count against).",
              "matching AssignmentOffered, InstitutionAssigned", _OFFERS,
              _share("offers_accepted", "offers"), _count("offers")),
    Indicator("acceptance_hours", "Institution acceptance latency", "hours",
              "Mean elapsed time from an offer to its acceptance.",
              "matching AssignmentOffered, InstitutionAssigned", _OFFERS,
              _mean("acceptance_hours", "offers_accepted"), _count("offers_accepted")),
    Indicator("on_time_rate", "On-time completion rate", "share",
              "Services completed on or before the promised date (or, without one, the date the "
              "enterprise asked for) ÷ services completed that had such a date.",
              "intake DemandSubmitted (expected_by), DemandAssigned (promised_date), "
              "DemandCompleted", _SERVED, _share("completions_on_time", "completions_dated"),
              _count("completions_dated")),
    Indicator("follow_up_compliance", "Follow-up compliance", "share",
              "Follow-ups recorded ÷ (follow-ups recorded + follow-up time limits breached).",
              "intake FollowUpRecorded, DeadlineBreached (stage follow_up)", _CASES,
              lambda c: ratio(c.get("follow_ups"),
                              c.get("follow_ups") + c.get("breaches_follow_up")),
              lambda c: c.get("follow_ups") + c.get("breaches_follow_up")),
    Indicator("breach_rate", "Time-limit breaches", "per 100 demands",
              "Time limits breached (every stage, complaints included) per 100 demands "
              "submitted.", "intake DeadlineBreached, evaluation ComplaintDeadlineBreached",
              _CASES, lambda c: ratio(c.get("deadline_breaches"), c.get("demands_submitted"), 100),
              _count("demands_submitted")),
    Indicator("resolution_rate", "Resolution rate", "share",
              "Demands resolved (completed, or answered by the station) ÷ demands closed in the "
              "period (completed, answered, rejected or cancelled; withdrawals left out).",
              "intake DemandCompleted/Answered/Rejected/Cancelled", _CASES,
              _share("resolved", "closed"), _count("closed")),
    Indicator("feedback_coverage", "Feedback coverage", "share",
              "Services completed in the period that have feedback (online or from a revisit) ÷ "
              "services completed in the period.", "intake DemandCompleted, evaluation "
              "FeedbackGiven", _SERVED, _share("feedback_received", "completions"),
              _count("completions")),
    Indicator("satisfaction_rate", "Satisfaction rate", "share",
              f"Feedback with an overall score of {4} or 5 ÷ feedback given in the period.",
              "evaluation FeedbackGiven", _SERVED, _share("feedback_satisfied", "feedback"),
              _count("feedback")),
    Indicator("mean_score", "Mean satisfaction score", "points (1-5)",
              "Mean overall score of the feedback given in the period.",
              "evaluation FeedbackGiven", _SERVED, _mean("feedback_score", "feedback"),
              _count("feedback")),
    Indicator("complaint_rate", "Complaint rate", "per 100 services",
              "Complaints received per 100 demands submitted (for an institution: per 100 "
              "services assigned to it).", "evaluation ComplaintReceived; intake "
              "DemandSubmitted, DemandAssigned", _SERVED, _complaint_rate, cases),
    Indicator("complaint_closure_hours", "Complaint closure time", "working hours",
              "Mean working time from a complaint's receipt to its resolution.",
              "evaluation ComplaintReceived, ComplaintResolved", _SERVED,
              _mean("complaint_hours", "complaints_resolved"), _count("complaints_resolved")),
    Indicator("archive_completeness", "Archive completeness", "share",
              "Services completed with their evidence (a report or certificate number, or a "
              "document) ÷ services completed.", "intake DemandCompleted (evidence)", _SERVED,
              _share("completions_with_evidence", "completions"), _count("completions")),
    Indicator("archive_timeliness", "Archive timeliness", "share",
              "Dossiers sealed in the period in time ÷ dossiers sealed: a completed service's "
              "within EVALUATION.archive_within_days (10) of completion (sealing waits for the "
              "feedback or the revisit); other cases are sealed by the event that closes them.",
              "archive DemandArchived; intake DemandCompleted",
              _CASES, _share("archived_on_time", "archived"), _count("archived")),
    Indicator("qualification_compliance", "Qualification compliance of dispatches", "share",
              "Assignments made with every matching constraint checked ÷ assignments (target "
              "100 %). A supervisor's override skips the checks after the one overridden, "
              "qualifications included, so it counts against.",
              "intake DemandAssigned (overridden)", _SERVED,
              _share("assignments_compliant", "assignments"), _count("assignments")),
    Indicator("category_coverage", "Category coverage", "share",
              "Service categories with at least one active institution (serving the station's "
              "park, for a station) at the period's end ÷ the nine categories.",
              "matching InstitutionRegistered/Reviewed/Suspended/Reinstated/Exited", _NETWORK,
              _category_coverage),
    Indicator("staff", "Service specialists", "people",
              "Specialists on the station's staff at the period's end.",
              "intake SpecialistJoined", _NETWORK, lambda c: c.get("staff")),
    Indicator("trained_staff_share", "Trained staff share", "share",
              "Trained specialists ÷ specialists, at the period's end.",
              "intake SpecialistJoined (trained)", _NETWORK, _share("staff_trained", "staff")),
    Indicator("institutions_onboarded", "Institutions onboarded", "institutions",
              "Active institutions (serving the station's park, for a station) at the period's "
              "end.", "matching institution standing events", _NETWORK,
              lambda c: len(c.active_institutions())),
    Indicator("equipment_utilisation", "Shared-equipment utilisation", "services per institution",
              "Equipment-sharing services completed in the period ÷ active institutions that "
              "share equipment.", "intake DemandCompleted (category equipment_sharing); "
              "matching standing events", _NETWORK, _equipment_utilisation),
    Indicator("instrument_hours", "Shared-instrument hours used", "hours per instrument",
              "Hours the owners recorded as used, counted on the day each use began, ÷ "
              "instruments listed at the period's end: for a station, those in its park; for "
              "an institution, its own (docs/categories/equipment-sharing.md).",
              "matching SharedInstrumentListed/Withdrawn, UsageRecorded", _INSTRUMENTS,
              _instrument_hours),
    Indicator("management_checklist", "Construction and management checklist", "yes/no",
              "The station's signage (GB/T 10001.1, 10001.9) and indoor air (GB/T 18883) checks "
              "all met, as last recorded; platform-wide, the share of stations meeting them.",
              "intake StationConstructionRecorded (recorded before the checklist of "
              "requirements; scored by configurations up to 2026.1)", _NETWORK, _checklist),
    Indicator("station_conformity", "Station requirements met", "share",
              "The station's construction and management requirements met ÷ the items of its "
              "checklist, as of the period's end (1 when it conforms); platform-wide, the share "
              "of stations conforming (docs/categories/station-requirements.md).",
              "intake StationConformityChanged", _NETWORK, _conformity),
)}
