"""Matching's commands and queries, and how it reacts to accepted demands."""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.matching import projects, readmodel, sharing
from services.matching.domain import Institution, Match
from services.matching.hall import DemandHall
from services.matching.quoting import QuotedWork
from services.matching.registry import Registry
from services.matching.instruments import Instrument
from services.matching.sharing import Sharing
from services.matching.selection import (
    REQUIRED_QUALIFICATIONS, Request, Weights, exclusion, select)
from services.matching.views import directory_entry, institution_view, serving
from services.matching.work import AWAITING_QUOTE, evidence_of
from shared.calendar import WorkingCalendar, working_seconds
from shared.commands import (
    AcceptOffer, AddQualification, AssignManually, ChangeProfile, ChangeQualificationStatus,
    ChangeStanding,
    CompleteService, DeclineOffer, ListAssignments, ListInstitutions, RecordProgress,
    RegisterInstitution, ReviewApplication)
from shared.config import section
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.field_messages import said
from shared.eventstore import ServiceApplication
from shared.readmodel import containing, equal, instant, keyset_page

log = logging.getLogger(__name__)

#: Days before a qualification's end when QualificationExpiring is raised (domain.md: 90).
EXPIRY_WARNING_DAYS = 90
#: Whom the hall of a demand's explanation is shown to (specialists and supervisors read it).
STAFF_VIEW = {"role": "supervisor", "subject": "matching-explanation"}
#: Offers in one round before it fails and waits for a specialist.
MAX_OFFERS = 3


class Matching(Sharing, QuotedWork, projects.Projects, DemandHall, ServiceApplication):
    name = "Matching"
    # Every rating evaluation publishes lands on the institution: loading one reads at most
    # this many events.
    snapshotting_intervals = {Institution: 50, Instrument: 50}
    service = "matching"
    upstreams = ("intake", "evaluation")
    tables = ServiceApplication.tables + readmodel.TABLES + projects.TABLES + sharing.TABLES
    reactions = {
        "InstitutionRated": "_on_institution_rated",
        "SupervisionCheckRecorded": "_on_supervision_check",
        "DemandAccepted": "_on_demand_accepted",
        "DemandReclassified": "_on_demand_reclassified",
        "DemandWithdrawn": "_on_demand_closed",
        "DemandCancelled": "_on_demand_closed",
    }

    def __init__(self, env=None):
        super().__init__(env)
        self.registry = Registry(self)
        self.weights = Weights()
        self.required = dict(REQUIRED_QUALIFICATIONS)
        self.expiry_warning_days = EXPIRY_WARNING_DAYS
        self.max_offers = MAX_OFFERS
        #: Categories whose assignment waits for the enterprise to accept a quote (none unless
        #: configured: shared/config.yaml names testing and certification).
        self.quote_categories: tuple[str, ...] = ()
        self.calendar = WorkingCalendar()
        self.response_seconds = self.calendar.working_days(1)
        # One decision at a time in this process: a choice reads the registry's capacity and
        # must be saved before the next choice reads it (reactions, declines, expiries and
        # manual assignments all decide). Across replicas, the load record (readmodel.py)
        # refuses the second of two saves that would exceed a capacity.
        self.deciding = threading.RLock()

    def rows(self, aggregate):
        return (super().rows(aggregate) + readmodel.rows([aggregate]) + projects.rows([aggregate])
                + sharing.rows([aggregate]))

    def rebuilt_rows(self, aggregates):
        shared_rows = super().rows
        return ([row for a in aggregates for row in shared_rows(a)] + readmodel.rows(aggregates)
                + projects.rows(aggregates) + sharing.rows(aggregates, rebuilt=True))

    def apply(self, message) -> None:
        with self.deciding:
            super().apply(message)

    def replay(self, message, by: str) -> None:
        with self.deciding:
            super().replay(message, by)

    def configure(self, config: dict) -> None:
        settings = section(config, "MATCHING")
        self.weights = Weights.from_config(settings)
        self.required.update({category: tuple(kinds) for category, kinds in
                              (settings.get("required_qualifications") or {}).items()})
        self.expiry_warning_days = int(settings.get("expiry_warning_days", EXPIRY_WARNING_DAYS))
        self.max_offers = int(settings.get("max_offers", MAX_OFFERS))
        self.quote_categories = tuple(settings.get("quote_categories") or ())
        self.calendar = WorkingCalendar.from_config(settings.get("calendar") or {})
        self.response_seconds = working_seconds(str(settings.get("offer_response", "1d")),
                                                 self.calendar)

    def register_institution(self, payload: dict, registered_by: dict,
                             station: dict | None = None) -> dict:
        """Staff register a reviewed institution; an institution applies for itself, its
        token's subject being its credit code (it has no id yet), and awaits review.

        ``station``, here and below: a specialist's station as intake knows it (``station_id``,
        ``park``); a specialist acts for that park only."""
        command = self.load_command(RegisterInstitution, payload)
        applying = registered_by["role"] == "institution"
        if applying and registered_by["subject"] != command["credit_code"]:
            raise Forbidden("an institution applies for itself: the token's subject must be "
                            "its credit code", {"credit_code": "must be the token's subject"})
        _require_park(registered_by, station, command["parks"])
        institution = Institution(registered_by=registered_by, reviewed=not applying, **command)
        try:
            self.save(institution)
        except IntegrityError:
            raise Conflict(f"an institution with credit code {command['credit_code']} is "
                           "already registered", {"institution_id": str(institution.id)}) from None
        return institution_view(institution)

    def institution(self, institution_id: str) -> dict:
        return institution_view(self.find(Institution, institution_id, "institution"))

    def serving(self, assignment_id: str, category: str, items: list[str]) -> dict:
        """The institution a demand of ``category`` for ``items`` is assigned to, and how far
        it is, as the demand's parties read them (views.serving): two rows, no aggregate."""
        found = self.read("SELECT a.view AS assignment, d.view AS institution FROM {s}assignments a "
                          "JOIN {s}directory d ON d.id = a.institution_id WHERE a.assignment_id = %s",
                          str(assignment_id))
        if not found:
            raise NotFound(f"no assignment {assignment_id}")
        assignment = json.loads(found[0]["assignment"])
        return {**serving(json.loads(found[0]["institution"]), category, items,
                          self.required.get(category, ())),
                "promised_date": assignment["promised_date"], "progress": assignment["progress"],
                "status": assignment["status"], "quote": assignment.get("quote"),
                "samples": assignment.get("samples", [])}

    def search_institutions(self, query: dict, viewer: dict) -> dict:
        """The directory, a page at a time by name: staff see every institution whole with its
        load; anyone else the active ones, as the public sees them (views.directory_entry)."""
        command = self.load_command(ListInstitutions, query)
        staff = viewer["role"] in ("specialist", "supervisor", "operator")
        if command["status"] is not None and not staff:
            raise Forbidden("只有工作人员可以按状态查找机构", {"status": ["staff only"]})
        status = command["status"] or (None if staff else "active")
        filters, values = equal(status=status)
        for column, value in (("categories", command["category"]), ("parks", command["park"]),
                              ("qualification_types", command["qualification"])):
            if value is not None:
                filters.append(f"{column} LIKE %s")
                values.append(f"%|{value}|%")
        for column, part in (("name", command["name"]), ("scope", command["item"])):
            if part is not None:
                condition, value = containing(column, part)
                filters.append(condition)
                values.append(value)
        found, next_after = keyset_page(self.read, "directory", filters, values, "name",
                                        command["after"], command["per_page"])
        loads = {}
        if staff and found:
            ids = [row["id"] for row in found]
            loads = {row["institution_id"]: row for row in self.read(
                "SELECT institution_id, open FROM {s}institution_load WHERE institution_id IN ("
                + ", ".join(["%s"] * len(ids)) + ")", *ids)}
        return {"items": [directory_entry(json.loads(row["view"]), staff, loads.get(row["id"]))
                          for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    def review(self, institution_id: str, payload: dict, by: dict, station: dict | None = None) -> dict:
        command = self.load_command(ReviewApplication, payload)
        institution = self.find(Institution, institution_id, "institution")
        _require_park(by, station, institution.parks)
        institution.review(command["decision"] == "approve", command["reason"], by=by, at=self._now())
        return self._saved(institution)

    def change_profile(self, institution_id: str, payload: dict, by: dict,
                       station: dict | None = None) -> dict:
        """The institution itself, a specialist of a park it serves, or an operator changes
        its contact, capacity, prices or acceptance of offers, saying why."""
        command = self.load_command(ChangeProfile, payload)
        institution = self.find(Institution, institution_id, "institution")
        if by["role"] == "institution" and by["subject"] != str(institution.id):
            raise NotFound(f"no institution {institution_id}")
        if by["role"] not in ("institution", "specialist", "operator"):
            raise Forbidden(f"a {by['role']} does not change an institution's profile")
        _require_park(by, station, institution.parks)
        changes = ChangeProfile.given(command)
        if "capacity" in changes:
            held = self.read("SELECT open FROM {s}institution_load WHERE institution_id = %s",
                             str(institution.id))
            if held and changes["capacity"] < held[0]["open"]:
                raise Conflict(f"the institution holds {held[0]['open']} open assignments: the "
                               "capacity cannot be below that", {"open_assignments": held[0]["open"]})
        institution.change_profile(changes, command["reason"], by=by, at=self._now())
        return self._saved(institution)

    def change_standing(self, institution_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(ChangeStanding, payload)
        institution = self.find(Institution, institution_id, "institution")
        getattr(institution, command["action"])(command["reason"], by=by, at=self._now())
        return self._saved(institution)

    def add_qualification(self, institution_id: str, payload: dict, by: dict,
                          station: dict | None = None) -> dict:
        command = self.load_command(AddQualification, payload)
        institution = self.find(Institution, institution_id, "institution")
        _require_park(by, station, institution.parks)
        if any(q["number"] == command["number"] for q in institution.qualifications):
            raise Conflict(f"qualification {command['number']} is already recorded",
                           {"number": command["number"]})
        institution.add_qualification(command, by=by, at=self._now())
        return self._saved(institution)

    def change_qualification_status(self, institution_id: str, number: str, payload: dict,
                                    by: dict) -> dict:
        command = self.load_command(ChangeQualificationStatus, payload)
        institution = self.find(Institution, institution_id, "institution")
        institution.change_qualification_status(number, command["status"], command["reason"],
                                                by=by, at=self._now())
        return self._saved(institution)

    def _saved(self, institution: Institution) -> dict:
        self.save_or_conflict(institution, what="the institution",
                              details={"institution_id": str(institution.id)})
        return institution_view(institution)

    def _now(self) -> str:
        return self.clock().isoformat()

    def explanation(self, demand_id: str) -> dict:
        """Every matching round of a demand: who was considered, scored or excluded, and why."""
        try:
            match = self.repository.get(Match.create_id(UUID(str(demand_id))))
        except (ValueError, AggregateNotFoundError):
            raise NotFound(f"no matching for demand {demand_id}") from None
        return {"demand_id": str(match.demand_id), "rounds": [
            {**decision, "candidates": self._whole(decision)} for decision in match.decisions],
            "hall": self._entry(match, STAFF_VIEW) if match.hall is not None else None}

    def _whole(self, decision: dict) -> list[dict]:
        """A decision's whole explanation: kept by digest, or in the event itself before that."""
        if not decision.get("explanation_digest"):
            return decision["candidates"]
        (kept,) = self.read("SELECT body FROM {s}explanations WHERE digest = %s",
                            decision["explanation_digest"])
        return json.loads(kept["body"])

    def check_qualifications(self) -> int:
        """Raise QualificationExpiring ahead of each end and QualificationExpired after it."""
        self.registry.refresh()
        today = self.clock().date()
        warn_from = today + timedelta(days=self.expiry_warning_days)
        recorded = 0
        for profile in list(self.registry.profiles.values()):
            for qualification in profile.qualifications:
                if qualification["status"] != "valid" or qualification["valid_until"] > warn_from:
                    continue
                for action in ("warn_expiry", "expire"):
                    recorded += self._record_expiry(profile.id, qualification["number"], action, today)
        return recorded

    def _record_expiry(self, institution_id: str, number: str, action: str, today) -> int:
        for _ in range(5):  # a command or a replica's check may save first
            institution = self.repository.get(UUID(institution_id))
            if not getattr(institution, action)(number, today):
                return 0
            try:
                self.save(institution)
                return 1
            except IntegrityError:
                continue
        return 0

    def _on_demand_accepted(self, message, data, processing):
        match = Match(demand_id=data["demand_id"], **_round_of(data))
        self._list_or_decide(match, data)
        processing.collect_events(match)

    def _on_demand_reclassified(self, message, data, processing):
        match = self._match_of(data["demand_id"])
        releasing = None
        if match is None:
            match = Match(demand_id=data["demand_id"], **_round_of(data))
        else:
            releasing = match.institution_id if match.holds_capacity else None
            match.restart(**_round_of(data), at=self._now())
        self._list_or_decide(match, data, releasing)
        processing.collect_events(match)

    def _on_institution_rated(self, message, data, processing):
        institution = self.repository.get(data["institution_id"])
        institution.record_rating(data["satisfaction"], data["feedback_count"],
                                  data["on_time_rate"], data["completed_count"])
        processing.collect_events(institution)

    def _on_supervision_check(self, message, data, processing):
        """A supervisor's finding suspends the institution (if it is still active)."""
        if not data["suspend_institution"]:
            return
        institution = self.repository.get(UUID(data["subject"]["id"]))
        if institution.status != "active":
            log.info("supervision check %s: institution %s is %s, not suspended again",
                     data["check_id"], institution.id, institution.status)
            return
        institution.suspend(f"supervision check {data['check_id']}: {data['reason']}",
                            by=data["by"], at=self._now())
        processing.collect_events(institution)

    def _on_demand_closed(self, message, data, processing):
        match = self._match_of(data["demand_id"])
        if match is not None:
            match.close(f"the demand was {message.event.removeprefix('Demand').lower()}",
                        self._now())
            processing.collect_events(match)

    def _match_of(self, demand_id) -> Match | None:
        try:
            return self.repository.get(Match.create_id(demand_id))
        except AggregateNotFoundError:
            return None

    def _decide(self, match: Match, releasing: UUID | None = None) -> None:
        """Offer the match's current round to the best candidate not yet asked, or fail it.

        ``releasing`` is an institution this same transaction frees: the registry has not seen
        that release yet, so it is counted here."""
        self.registry.refresh()
        candidates = [
            replace(p, open_assignments=p.open_assignments - 1) if p.id == str(releasing) else p
            for p in self.registry.serving(match.category) if p.id not in match.asked]
        decision = select(candidates, self._request(match), self.weights)
        asked = [{"institution_id": i, "eligible": False, "score": None, "components": None,
                  "reason": "was offered this round and declined or let the offer expire"}
                 for i in match.asked]
        weights = vars(self.weights)
        if decision.chosen is None or len(match.asked) >= self.max_offers:
            reasons = []
            if decision.chosen is None and (decision.explanation or not match.asked):
                reasons = decision.reasons()
            if match.asked:
                reasons.append(f"{len(match.asked)} institution(s) declined or let the offer expire")
            if decision.chosen is not None:
                reasons.append(f"the offer limit ({self.max_offers}) was reached")
            match.fail(reasons, asked + decision.explanation, weights)
            return
        now = self.clock()
        match.offer(UUID(decision.chosen.id), self.offer_window(now).isoformat(),
                    asked + decision.explanation, weights, now.isoformat())
        if decision.chosen.accepts_offers:
            match.accept(match.current["assignment_id"], match.expected_by,
                         by={"role": "system", "subject": "institution-auto-accept"},
                         at=now.isoformat(), awaits_quote=self.awaits_quote(match))

    def _request(self, match: Match) -> Request:
        """The demand as selection weighs it: by what its catalogue version says may serve it,
        or, for a demand accepted before the catalogue, by MATCHING.required_qualifications
        and its items word for word."""
        kinds = getattr(match, "qualification_kinds", None)
        return Request(category=match.category, items=tuple(match.items), park=match.park,
                       service_date=match.expected_by or self.clock().date(),
                       required_types=self.required.get(match.category, ()) if kinds is None else tuple(kinds),
                       excluded=frozenset(match.excluded), catalogued=kinds is not None,
                       item_terms=getattr(match, "item_terms", None) or {},
                       hall=match.hall is not None and match.hall["round"] == match.round,
                       interested=frozenset(match.interested))

    def offer_window(self, now: datetime) -> datetime:
        return self.calendar.add(now, self.response_seconds)

    # The institution's side ----------------------------------------------------------------
    def assignments(self, viewer: dict, query: dict | None = None) -> dict:
        """What an institution was offered or assigned: the demand's facts, no contact details;
        a page at a time by cursor."""
        command = self.load_command(ListAssignments, query or {})
        where, params = ["institution_id = %s"], [str(viewer["subject"])]
        if command["status"] is not None:
            where.append("status = %s")
            params.append(command["status"])
        found, next_after = keyset_page(self.read, "assignments", where, params, "assignment_id",
                                        command["after"], command["per_page"], key="assignment_id")
        return {"items": [json.loads(row["view"]) for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    def assignment(self, assignment_id: str, viewer: dict) -> dict:
        """One of the institution's offers or assignments (NotFound for any other's)."""
        found = self.read("SELECT view FROM {s}assignments WHERE assignment_id = %s AND institution_id = %s",
                          str(assignment_id), str(viewer["subject"]))
        if not found:
            raise NotFound(f"没有编号为 {assignment_id} 的服务安排")
        return json.loads(found[0]["view"])

    def accept_offer(self, assignment_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(AcceptOffer, payload)

        def accept(match, key):
            if match.current and match.current["assignment_id"] == key \
                    and match.current["status"] == "offered":
                self._require_still_eligible(match)
            match.accept(key, command["promised_date"], by=by, at=self._now(),
                         awaits_quote=self.awaits_quote(match))
        return self._on_assignment(assignment_id, by, accept)

    def _require_still_eligible(self, match: Match) -> None:
        """An offer answered late, or by an institution no longer eligible, is not accepted."""
        if self.clock() >= datetime.fromisoformat(match.current["respond_by"]):
            raise Conflict("the offer's response window has passed", {"current_status": "expired"})
        profile = self.registry.profiles[str(match.current["institution_id"])]
        # The offer itself holds one unit of capacity: it does not count against accepting.
        reason = exclusion(replace(profile, open_assignments=profile.open_assignments - 1),
                           self._request(match))
        if reason:
            raise Conflict(f"the offer can no longer be accepted: {reason}", {"exclusion": reason})

    def decline_offer(self, assignment_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(DeclineOffer, payload)

        def decline(match, key):
            match.decline(key, command["reason"], by=by, at=self._now())
            self._decide(match)
        return self._on_assignment(assignment_id, by, decline)

    def record_progress(self, assignment_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(RecordProgress, payload)
        return self._on_assignment(assignment_id, by, lambda match, key: match.record_progress(
            key, command["milestone"], command["note"], by=by, at=self._now()))

    def complete_service(self, assignment_id: str, payload: dict, by: dict) -> dict:
        """The category says what a completion carries (services/matching/work.py)."""
        command = self.load_command(CompleteService, payload)

        return self._on_assignment(assignment_id, by, lambda match, key: match.complete(
            key, evidence_of(command, self.clock().date()), by=by, at=self._now()))

    def awaits_quote(self, match: Match) -> bool:
        return match.category in self.quote_categories

    def _on_assignment(self, assignment_id: str, by: dict, change,
                       open_statuses=("offered", AWAITING_QUOTE, "in_service")) -> dict:
        with self.deciding:
            return self._change_assignment(assignment_id, by, change, open_statuses)

    def _change_assignment(self, assignment_id: str, by: dict, change, open_statuses) -> dict:
        found = self.read("SELECT * FROM {s}assignments WHERE assignment_id = %s", str(assignment_id))
        if not found or by["role"] != "institution" or found[0]["institution_id"] != by["subject"]:
            raise NotFound(f"no assignment {assignment_id}")
        if found[0]["status"] not in open_statuses:
            raise Conflict(f"the assignment is {found[0]['status']}",
                           {"current_status": found[0]["status"]})
        self.registry.refresh()  # an acceptance checks the institution is still eligible
        match = self.repository.get(UUID(found[0]["match_id"]))
        change(match, UUID(str(assignment_id)))
        self.save_or_conflict(match, what="the assignment",
                              details={"assignment_id": str(assignment_id)})
        return match.assignments[str(assignment_id)]

    def assign_manually(self, demand_id: str, payload: dict, by: dict,
                        station: dict | None = None) -> dict:
        """A specialist assigns by hand once the round failed; the constraints hold unless a
        supervisor overrides one of capacity, park or qualification (never the enterprise's
        exclusion or the institution's standing)."""
        with self.deciding:
            return self._assign_manually(demand_id, payload, by, station)

    def _assign_manually(self, demand_id: str, payload: dict, by: dict, station: dict | None) -> dict:
        command = self.load_command(AssignManually, payload)
        match = self._match_of(UUID(str(demand_id)))
        if match is None:
            raise Conflict("the demand has not been accepted for matching", {"current_status": None})
        _require_park(by, station, [match.park])
        self.registry.refresh()
        profile = self.registry.profiles.get(str(command["institution_id"]))
        if profile is None:
            raise Invalid("no such institution", {"institution_id": [said("unknown_institution")]})
        if command["override"] and by["role"] != "supervisor":
            raise Forbidden("only a supervisor may override matching's constraints")
        reason = exclusion(profile, self._request(match))
        overridable = reason is not None and not reason.startswith(("is ", "was "))
        if reason and not (command["override"] and overridable):
            raise Conflict(f"the institution is not eligible: {reason}", {"exclusion": reason})
        match.assign_manually(command["institution_id"], command["reason"], reason,
                              command["promised_date"], by=by, at=self._now(),
                              awaits_quote=self.awaits_quote(match))
        self.save_or_conflict(match, what="the matching", details={"demand_id": str(demand_id)})
        return self.explanation(demand_id)

    def check_offers(self) -> int:
        """Expire offers past their response window and offer the demand to the next candidate."""
        with self.deciding:
            return self._expire_offers()

    def _expire_offers(self, batch: int = 500) -> int:
        now = self._now()
        expired = 0
        # Open offers by their deadline: an indexed read of what is due, not every offer.
        for offer in self.read("SELECT assignment_id, match_id FROM {s}assignments WHERE "
                               "status = 'offered' AND respond_by <= %s ORDER BY respond_by LIMIT %s",
                               instant(now), batch):
            match = self.repository.get(UUID(offer["match_id"]))
            if match.expire(UUID(offer["assignment_id"]), now):
                self._decide(match)
                try:
                    self.save(match)
                    expired += 1
                except IntegrityError:
                    pass  # the institution answered, or a replica expired it, at that moment
        return expired


def _round_of(data: dict) -> dict:
    return {key: data.get(key) for key in ("category", "items", "park", "expected_by",
                                           "excluded_institutions", "round",
                                           "qualification_kinds", "item_terms")}


def _require_park(by: dict, station: dict | None, parks) -> None:
    """A specialist acts for their own station's park only: on the institutions that serve it
    and on its demands. Operators and supervisors are not held to a park."""
    if by["role"] != "specialist":
        return
    if station is None:
        raise Forbidden(f"{by['subject']} is not a specialist of any station")
    if station["park"] not in parks:
        raise Forbidden(f"your station serves park {station['park']}: this is not yours to change",
                        {"park": station["park"]})
