"""How evaluation follows intake and matching: each upstream event updates what evaluation keeps
of the case (cases.py) and records the raw figures it adds (a ``Tally``, ledger.py).

Days are local days in the evaluation's time zone; durations are working hours on the station's
calendar, so they compare with the time limits, which run on the same calendar.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError

from services.evaluation.cases import (
    InstitutionRating, InstrumentRecord, OfferRound, ServiceCase, StationRecord, feedback_due)
from services.evaluation.ledger import Entries, Tally, local_day, scope_of

#: The standing an institution is in after each of matching's standing events.
STANDING = {"InstitutionSuspended": "suspended", "InstitutionReinstated": "active",
            "InstitutionExited": "exited"}
EVIDENCE = ("report_number", "certificate_number", "documents")

INTAKE_REACTIONS = {
    "StationRegistered": "_on_station_registered",
    "StationConstructionRecorded": "_on_construction_recorded",
    "StationConformityChanged": "_on_conformity_changed",
    "StationSettingsChanged": "_on_station_settings_changed",
    "SpecialistJoined": "_on_specialist_joined",
    "DemandSubmitted": "_on_demand_submitted",
    "DemandAccepted": "_on_demand_assessed",
    "DemandReclassified": "_on_demand_assessed",
    "DemandAnswered": "_on_demand_assessed",
    "DemandRejected": "_on_demand_assessed",
    "InformationRequested": "_on_information_requested",
    "InformationSupplied": "_on_information_supplied",
    "DemandAssigned": "_on_demand_assigned",
    "DemandMatchingFailed": "_on_demand_step",
    "DemandCompleted": "_on_demand_completed",
    "DemandWithdrawn": "_on_demand_step",
    "DemandCancelled": "_on_demand_step",
    "FollowUpRecorded": "_on_demand_step",
    "DeadlineApproaching": "_on_demand_step",
    "DeadlineBreached": "_on_demand_step",
}
MATCHING_REACTIONS = {
    "MatchingStarted": "_on_matching_started",
    "MatchingRestarted": "_on_matching_started",
    "AssignmentOffered": "_on_offer",
    "InstitutionAssigned": "_on_offer",
    "OfferDeclined": "_on_offer",
    "OfferExpired": "_on_offer",
    "InstitutionRegistered": "_on_institution_registered",
    "InstitutionReviewed": "_on_institution_standing",
    "InstitutionSuspended": "_on_institution_standing",
    "InstitutionReinstated": "_on_institution_standing",
    "InstitutionExited": "_on_institution_standing",
    "SharedInstrumentListed": "_on_instrument_listed",
    "SharedInstrumentWithdrawn": "_on_instrument_withdrawn",
    "UsageRecorded": "_on_usage_recorded",
}
ARCHIVE_REACTIONS = {"DemandArchived": "_on_demand_archived"}
#: Intake events that only count, by the figure they add.
STEPS = {"DemandMatchingFailed": "matching_failures", "DemandWithdrawn": "withdrawn",
         "DemandCancelled": "closed", "FollowUpRecorded": "follow_ups",
         "DeadlineApproaching": "deadline_warnings", "DeadlineBreached": "deadline_breaches"}


class FollowsIntakeAndMatching:
    """Reactions of the Evaluation application (mixed in; ``self`` is the application)."""

    timezone = "Asia/Shanghai"
    #: A completed service's dossier is archived in time if sealed within this many days.
    archive_within_days = 10.0

    # Recording -----------------------------------------------------------------------------
    def day(self, at: str) -> str:
        return local_day(at, self.timezone)

    def new_tally(self, source: str, at: str, entries: Entries) -> Tally:
        """``source`` names the occurrence, so it is never tallied twice."""
        return Tally(source=source, day=self.day(at), entries=entries.items)

    def tally(self, processing, source: str, at: str, entries: Entries, *changed) -> None:
        aggregates = [a for a in changed if a is not None]
        if entries.items:
            aggregates.append(self.new_tally(source, at, entries))
        processing.collect_events(*aggregates)

    @staticmethod
    def scopes(case: ServiceCase) -> Entries:
        return Entries(scope_of("station", case.station_id), scope_of("category", case.category),
                       scope_of("institution", case.institution_id))

    def station_of(self, case_or_id) -> StationRecord:
        station_id = getattr(case_or_id, "station_id", case_or_id)
        return self.repository.get(StationRecord.create_id(station_id))

    def case_of(self, demand_id) -> ServiceCase:
        return self.repository.get(ServiceCase.create_id(demand_id))

    def rating_of(self, institution_id) -> InstitutionRating:
        try:
            return self.repository.get(InstitutionRating.create_id(institution_id))
        except AggregateNotFoundError:
            return InstitutionRating(institution_id=institution_id)

    # Stations ------------------------------------------------------------------------------
    def _on_station_registered(self, message, data, processing):
        processing.collect_events(StationRecord(station_id=data["station_id"], park=data["park"],
                                                calendar=data["calendar"]))

    def _on_station_settings_changed(self, message, data, processing):
        """Durations are measured on the station's calendar as it now stands."""
        if "calendar" in data["changes"]:
            station = self.repository.get(StationRecord.create_id(data["station_id"]))
            station.follow_calendar(data["changes"]["calendar"])
            processing.collect_events(station)

    def _on_construction_recorded(self, message, data, processing):
        facts = data["facts"]
        met = bool(all(facts.get("signage", {}).values()) and facts.get("indoor_air_gb_t_18883"))
        entries = Entries().state("station_checklist", str(data["station_id"]), met)
        self.tally(processing, _source(message), message.occurred_at, entries)

    def _on_conformity_changed(self, message, data, processing):
        """The station's conformity to its checklist as of that day: the items met of all."""
        entries = Entries().state("station_conformity", str(data["station_id"]), {
            "status": data["status"], "met": data["met"], "total": data["total"]})
        self.tally(processing, _source(message), data["at"], entries)

    def _on_specialist_joined(self, message, data, processing):
        entries = Entries(scope_of("station", data["station_id"])).add("staff")
        if data["trained"]:
            entries.add("staff_trained")
        self.tally(processing, _source(message), message.occurred_at, entries)

    # Demands -------------------------------------------------------------------------------
    def _on_demand_submitted(self, message, data, processing):
        case = ServiceCase(demand_id=data["demand_id"], enterprise_code=data["enterprise"]["credit_code"],
                           station_id=data["station_id"], category=data["category"],
                           submitted_at=data["at"], expected_by=data["expected_by"])
        entries = self.scopes(case).add("demands_submitted").member(
            "enterprises", data["enterprise"]["credit_code"])
        self.tally(processing, _source(message), data["at"], entries, case)

    def _respond(self, case: ServiceCase, at: str, entries: Entries) -> None:
        if case.responded_at is None:
            case.responded(at)
            entries.add("first_responses").add(
                "first_response_hours", self.station_of(case).working_hours(case.submitted_at, at))

    def _on_demand_assessed(self, message, data, processing):
        case = self.case_of(data["demand_id"])
        first_assessment = case.assessed_at is None
        accepted = message.event in ("DemandAccepted", "DemandReclassified")
        case.assessed(data.get("category", case.category), accepted, data["at"])
        entries = self.scopes(case)
        self._respond(case, data["at"], entries)
        if first_assessment:
            station = self.station_of(case)
            hours = station.working_hours(case.submitted_at, data["at"]) - case.paused_hours
            if case.paused_at is not None:  # decided while still waiting for the enterprise
                hours -= station.working_hours(case.paused_at, data["at"])
            entries.add("assessments").add("assessment_hours", max(hours, 0))
        if message.event in ("DemandAnswered", "DemandRejected"):
            entries.add("closed")
            if message.event == "DemandAnswered":
                entries.add("resolved")
        self.tally(processing, _source(message), data["at"], entries, case)

    def _on_information_requested(self, message, data, processing):
        case = self.case_of(data["demand_id"])
        entries = self.scopes(case).add("information_requests")
        self._respond(case, data["at"], entries)
        case.paused(data["at"])
        self.tally(processing, _source(message), data["at"], entries, case)

    def _on_information_supplied(self, message, data, processing):
        case = self.case_of(data["demand_id"])
        if case.paused_at is not None:
            case.resumed(self.station_of(case).working_hours(case.paused_at, data["at"]))
            processing.collect_events(case)

    def _on_demand_assigned(self, message, data, processing):
        case = self.case_of(data["demand_id"])
        case.assigned(data["assignment_id"], data["institution_id"], data["promised_date"])
        entries = self.scopes(case).add("assignments")
        if data["overridden"] is None:
            # An override skips every check after the one overridden, qualifications included.
            entries.add("assignments_compliant")
        if case.accepted_at is not None:
            entries.add("matches").add(
                "match_hours", self.station_of(case).working_hours(case.accepted_at, data["at"]))
        self.tally(processing, _source(message), data["at"], entries, case)

    def _on_demand_completed(self, message, data, processing):
        case = self.case_of(data["demand_id"])
        case.completed(data["at"], feedback_due(data["at"], self.feedback_window_days))
        entries = self.scopes(case).add("completions").add("closed").add("resolved")
        if any(data["evidence"].get(key) for key in EVIDENCE):
            entries.add("completions_with_evidence")
        if case.category == "equipment_sharing":
            entries.add("equipment_services")
        rating = None
        due = case.due_date()
        if due is not None:
            zone = ZoneInfo(self.station_of(case).working_calendar.timezone)
            on_time = datetime.fromisoformat(data["at"]).astimezone(zone).date() <= due
            entries.add("completions_dated")
            if on_time:
                entries.add("completions_on_time")
            rating = self.rating_of(case.institution_id)
            rating.rate(on_time=on_time)
        self.tally(processing, _source(message), data["at"], entries, case, rating)

    def _on_demand_step(self, message, data, processing):
        case = self.case_of(data["demand_id"])
        entries = self.scopes(case).add(STEPS[message.event])
        if message.event == "DeadlineBreached":
            entries.add(f"breaches_{data['stage']}")
        self.tally(processing, _source(message), data["at"], entries)

    # Matching ------------------------------------------------------------------------------
    def _on_matching_started(self, message, data, processing):
        try:
            self.repository.get(OfferRound.create_id(data["match_id"]))
        except AggregateNotFoundError:
            processing.collect_events(OfferRound(match_id=data["match_id"],
                                                 category=data["category"]))

    def _on_offer(self, message, data, processing):
        offers = self.repository.get(OfferRound.create_id(data["match_id"]))
        entries = Entries(scope_of("category", offers.category),
                          scope_of("institution", data["institution_id"]))
        assignment = str(data["assignment_id"])
        if message.event == "AssignmentOffered":
            offers.offered(assignment, data["at"])
            entries.add("offers")
        elif message.event == "InstitutionAssigned":
            if data["manual"] is not None or assignment not in offers.offered_at:
                return  # assigned by hand: no offer was answered
            elapsed = datetime.fromisoformat(data["at"]) - datetime.fromisoformat(
                offers.offered_at[assignment])
            entries.add("offers_accepted").add("acceptance_hours",
                                               round(elapsed.total_seconds() / 3600, 6))
        else:
            entries.add("offers_declined" if message.event == "OfferDeclined" else "offers_expired")
        self.tally(processing, _source(message), data["at"], entries,
                   offers if message.event == "AssignmentOffered" else None)

    def _on_institution_registered(self, message, data, processing):
        key = str(data["institution_id"])
        entries = Entries().state("institution_profile", key, {
            "categories": list(data["categories"]), "parks": list(data["parks"])})
        entries.state("institution_standing", key, "active" if data["reviewed"] else "applied")
        self.tally(processing, _source(message), message.occurred_at, entries)

    def _on_institution_standing(self, message, data, processing):
        if message.event == "InstitutionReviewed":
            standing = "active" if data["approved"] else "rejected"
        else:
            standing = STANDING[message.event]
        entries = Entries().state("institution_standing", str(data["institution_id"]), standing)
        self.tally(processing, _source(message), data["at"], entries)

    # Shared instruments -----------------------------------------------------------------------
    def _on_instrument_listed(self, message, data, processing):
        record = InstrumentRecord(instrument_id=data["instrument_id"],
                                  institution_id=str(data["institution_id"]), park=data["park"])
        self.tally(processing, _source(message), data["at"], _listing(record, True), record)

    def instrument_of(self, instrument_id) -> InstrumentRecord | None:
        """None for an instrument listed before evaluation followed listings (its position in
        matching's log was past them): its use counts for its owner, not for a park."""
        try:
            return self.repository.get(InstrumentRecord.create_id(instrument_id))
        except AggregateNotFoundError:
            return None

    def _on_instrument_withdrawn(self, message, data, processing):
        record = self.instrument_of(data["instrument_id"])
        if record is not None:
            self.tally(processing, _source(message), data["at"], _listing(record, False))

    def _on_usage_recorded(self, message, data, processing):
        """Hours used count for the owner and for the instrument's park (a station's figures
        take its park's), on the day the usage began, as matching counts them."""
        record = self.instrument_of(data["instrument_id"])
        entries = Entries(scope_of("institution", data["institution_id"]),
                          scope_of("park", record and record.park))
        entries.add("instrument_uses").add("instrument_hours", data["usage"]["hours"])
        self.tally(processing, _source(message), data["usage"]["actual_start"], entries)

    # Archive -------------------------------------------------------------------------------
    def _on_demand_archived(self, message, data, processing):
        case = self.case_of(data["demand_id"])
        entries = self.scopes(case).add("archived")
        # Other cases are sealed by the event that closed them; a completed one waits for its
        # feedback, or for its window to lapse.
        waited = 0.0 if case.completed_at is None else (
            datetime.fromisoformat(data["sealed_at"]) - datetime.fromisoformat(case.completed_at)
        ).total_seconds() / 86400
        if waited <= self.archive_within_days:
            entries.add("archived_on_time")
        self.tally(processing, _source(message), data["sealed_at"], entries)


def _listing(record: InstrumentRecord, listed: bool) -> Entries:
    return Entries().state("shared_instrument", str(record.instrument_id), {
        "institution": record.institution_id, "park": record.park, "listed": listed})


def _source(message) -> str:
    return f"{message.service}:{message.id}"
