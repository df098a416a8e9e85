"""Evaluation: feedback, revisits, complaints, supervision checks, raw figures and scored,
published effectiveness evaluations with their improvement actions."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.evaluation.cases import DIMENSIONS, SATISFIED, InstitutionRating, ServiceCase
from services.evaluation.complaints import STAGES, Complaint
from services.evaluation.following import (
    ARCHIVE_REACTIONS, INTAKE_REACTIONS, MATCHING_REACTIONS, FollowsIntakeAndMatching)
from services.evaluation import readmodel
from services.evaluation.readmodel import Ledger
from services.evaluation.indicators import Context
from services.evaluation.ledger import Entries, Period, Tally, scope_of
from services.evaluation.reports import ImprovementAction, PublishedEvaluation
from services.evaluation.scoring import Configuration, RegisteredConfiguration
from services.evaluation.supervision import SupervisionCheck
from shared.calendar import WorkingCalendar, working_seconds
from shared.catalogue import CATEGORIES
from shared.commands import (
    CloseImprovement, ComplaintNote, EvaluationQuery, FileComplaint, GiveFeedback, ListComplaints,
    ListRevisits,
    ListEvaluations, ListImprovementActions, Paging, PublishEvaluation, RecordCheck,
    ResolveComplaint, TrendQuery, WithdrawEvaluation)
from shared.config import ConfigurationError, section
from shared import metrics
from shared.errors import Conflict, Forbidden, InsufficientData, Invalid, NotFound
from shared.field_messages import said
from shared.eventstore import ServiceApplication
from shared.readmodel import cursor, cursor_position, equal, instant, keyset_page

#: Complaint clocks in working time on the station's calendar (provisional defaults).
COMPLAINT_LIMITS = {"acknowledgement": "1d", "resolution": "10d"}
WARN_BEFORE = 0.2
#: Days after completion before a missing feedback becomes a specialist's revisit task.
FEEDBACK_WINDOW_DAYS = 7


class Evaluation(FollowsIntakeAndMatching, ServiceApplication):
    name = "Evaluation"
    # An institution's rating changes with every feedback and completion: loading it reads at
    # most this many events.
    snapshotting_intervals = {InstitutionRating: 50}
    service = "evaluation"
    upstreams = ("intake", "matching", "archive")
    # Each reaction decides from its case, station, rating and offer round alone (the ledger
    # and parks tables are only read by queries and commands).
    applies_runs = True
    reactions = {**INTAKE_REACTIONS, **MATCHING_REACTIONS, **ARCHIVE_REACTIONS}
    tables = ServiceApplication.tables + readmodel.TABLES

    def __init__(self, env=None):
        super().__init__(env)
        self.ledger = Ledger(self.read)
        #: the shipped configurations by version, the current default last
        self.shipped_configurations = Configuration.shipped()
        self.default_configuration = list(self.shipped_configurations.values())[-1]
        self.feedback_window_days = FEEDBACK_WINDOW_DAYS
        self.complaint_limits = dict(COMPLAINT_LIMITS)

    def configure(self, config: dict) -> None:
        """Refuse a bad setting at start: later, it would fail every event or complaint."""
        settings = section(config, "EVALUATION")
        self.timezone = str(settings.get("timezone") or self.timezone)
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(f"EVALUATION.timezone: unknown time zone {self.timezone!r}") from None
        try:
            self.feedback_window_days = float(settings.get("feedback_window_days",
                                                           FEEDBACK_WINDOW_DAYS))
        except (TypeError, ValueError):
            self.feedback_window_days = -1
        if not 0 < self.feedback_window_days <= 365:
            raise ConfigurationError("EVALUATION.feedback_window_days must be a number of days, "
                                     "above 0 and at most 365")
        try:
            self.archive_within_days = float(settings.get("archive_within_days",
                                                          self.archive_within_days))
        except (TypeError, ValueError):
            raise ConfigurationError("EVALUATION.archive_within_days must be a number of days") from None
        for stage in STAGES:
            limit = str(settings.get(f"complaint_{stage}", COMPLAINT_LIMITS[stage]))
            try:
                working_seconds(limit, WorkingCalendar())
            except ValueError as error:
                raise ConfigurationError(f"EVALUATION.complaint_{stage} {error}") from None
            self.complaint_limits[stage] = limit

    def rows(self, aggregate):
        return super().rows(aggregate) + readmodel.rows(aggregate)

    def recorded_rows(self, aggregates):
        # Tallies recorded together (a run's) write their rows a table at a time, their sums
        # of one key added together; the ledger's tables are no other aggregate's.
        return readmodel.ledger_rows(a for a in aggregates if isinstance(a, Tally)) + [
            row for a in aggregates if not isinstance(a, Tally) for row in self.rows(a)]

    def rebuilt_rows(self, aggregates):
        # A tally's rows add to sums, so only the tallies not written yet are written (the
        # events were committed with their rows: a tally read from the log is either listed
        # as written or was recorded before the tables were).
        written = readmodel.written_tallies(
            self.read, [str(a.id) for a in aggregates if isinstance(a, Tally)])
        return self.recorded_rows([a for a in aggregates if str(a.id) not in written])

    def _now(self) -> str:
        return self.clock().isoformat()

    # Feedback and revisits -----------------------------------------------------------------
    def give_feedback(self, demand_id: str, payload: dict, by: dict) -> dict:
        """The enterprise rates a completed service online; a specialist records it from a
        revisit (the gateway checks the specialist's station)."""
        command = self.load_command(GiveFeedback, payload)
        case = self._case(demand_id)
        if by["role"] == "enterprise":
            if by["subject"] != case.enterprise_code:
                raise NotFound(f"no service of demand {demand_id}")
            if command["channel"] != "online":
                raise Invalid("an enterprise gives its feedback online",
                              {"channel": [said("enterprise_feedback_online")]})
        elif by["role"] == "specialist":
            if command["channel"] == "online":
                raise Invalid("a specialist records feedback from a revisit",
                              {"channel": [said("revisit_channel")]})
            due = case.feedback_due_at
            if case.feedback is None and due and datetime.fromisoformat(due) > self.clock():
                # The enterprise's own say comes first; a revisit is for when it stays silent.
                raise Conflict("the enterprise's feedback window is still open; a revisit "
                               "is recorded once it lapses", {"feedback_due_at": due})
        else:
            raise Forbidden(f"a {by['role']} does not give feedback")
        scores = {name: command[name] for name in DIMENSIONS}
        at = self._now()
        case.give_feedback(scores, command["comment"], command["channel"], by=by, at=at)
        rating = self.rating_of(case.institution_id)
        rating.rate(overall=scores["overall"])
        given = self.scopes(case).add("feedback").add("feedback_score", scores["overall"])
        for name in DIMENSIONS[1:]:
            given.add(f"score_{name}", scores[name])
        if scores["overall"] >= SATISFIED:
            given.add("feedback_satisfied")
        if command["channel"] != "online":
            given.add("feedback_from_revisits")
        covered = self.scopes(case).add("feedback_received")  # on the completion's day
        tallies = [self.new_tally(f"feedback:{case.id}", at, given),
                   self.new_tally(f"feedback-covers:{case.id}", case.completed_at, covered)]
        self.save_or_conflict(case, rating, *tallies, what="the feedback")
        metrics.FEEDBACK_SCORES.observe(scores["overall"])
        return {"demand_id": str(case.demand_id), "institution_id": str(case.institution_id),
                **case.feedback}

    def _case(self, demand_id) -> ServiceCase:
        try:
            case_id = ServiceCase.create_id(uuid.UUID(str(demand_id)))
        except ValueError:
            raise NotFound(f"no service of demand {demand_id}") from None
        return self.find(ServiceCase, case_id, "service of demand")

    def check_feedback_windows(self, batch: int = 500) -> int:
        """Raise a revisit task for each completed service whose feedback window lapsed (an
        indexed read of what is due, not every case)."""
        now, raised = self.clock(), 0
        for waiting in self.read("SELECT case_id FROM {s}awaiting_feedback WHERE raised_at IS NULL "
                                 "AND due <= %s ORDER BY due LIMIT %s", instant(now.isoformat()), batch):
            case = self.repository.get(uuid.UUID(waiting["case_id"]))
            if case.feedback is not None or case.revisit_due:
                continue
            case.raise_revisit(self._now())
            entries = self.scopes(case).add("revisit_tasks")
            try:
                self.save(case, self.new_tally(f"revisit:{case.id}", case.feedback_due_at, entries))
                raised += 1
            except IntegrityError:
                continue  # feedback (or a replica) got there first
        return raised

    def revisits(self, station_id: str | None, query: dict | None = None) -> dict:
        """Open revisit tasks, of one station or (for a supervisor) all, oldest first."""
        conditions, params = equal(station_id=station_id)
        return self._page(ListRevisits, query, "awaiting_feedback", ["raised_at IS NOT NULL", *conditions],
                          params, "raised_at", "case_id", lambda t: {
                              "demand_id": t["demand_id"], "station_id": t["station_id"],
                              "feedback_due_at": t["due_at"], "raised_at": t["raised_at"]})

    def _page(self, schema, query: dict | None, table: str, conditions: list[str], params: list,
              sort: str, key: str, view) -> dict:
        """One page of a read-model list, by cursor: ``view`` shows each row."""
        command = self.load_command(schema, query or {})
        found, next_after = keyset_page(self.read, table, conditions, params, sort,
                                        command["after"], command["per_page"], key=key)
        return {"items": [view(row) for row in found], "per_page": command["per_page"],
                "next_after": next_after}

    # Complaints ----------------------------------------------------------------------------
    def file_complaint(self, payload: dict, by: dict) -> dict:
        command = self.load_command(FileComplaint, payload)
        against = dict(command["against"])
        case = None
        if command["demand_id"] is not None:
            try:
                case = self._case(command["demand_id"])
            except NotFound:
                raise Invalid("no such demand", {"demand_id": [said("unknown_demand")]}) from None
            if by["role"] == "enterprise" and case.enterprise_code != by["subject"]:
                raise Invalid("no such demand", {"demand_id": [said("unknown_demand")]})
            station_id = case.station_id
        else:
            station_id = command["station_id"]
        try:
            station = self.station_of(station_id)
        except AggregateNotFoundError:
            raise Invalid("no such station", {"station_id": [said("unknown_station")]}) from None
        if against["kind"] == "station":
            if _same_id(against["id"]) != str(station_id):
                raise Invalid("a complaint against a station is handled by that station",
                              {"against": [said("complaint_station")]})
            against["id"] = str(station_id)
        elif case is None:
            raise Invalid(f"a complaint against a{'n' if against['kind'] == 'institution' else ''} "
                          f"{against['kind']} names the demand it concerns",
                          {"demand_id": [said("complaint_needs_demand")]})
        elif against["kind"] == "institution":
            if case.institution_id is None or _same_id(against["id"]) != str(case.institution_id):
                raise Invalid("the institution complained about is not the one serving the demand",
                              {"against": [said("complaint_institution")]})
            against["id"] = str(case.institution_id)
        at = self._now()
        calendar = station.working_calendar
        deadlines = {}
        for stage in STAGES:
            seconds = working_seconds(self.complaint_limits[stage], calendar)
            start = datetime.fromisoformat(at)
            deadlines[stage] = {
                "due_at": calendar.add(start, seconds).isoformat(),
                "warn_at": calendar.add(start, seconds * (1 - WARN_BEFORE)).isoformat(),
                "closed_at": None, "warned": False, "breached": False}
        complaint = Complaint(complaint_id=uuid.uuid4(), station_id=station_id,
                              demand_id=command["demand_id"], against=against,
                              summary=command["summary"], details=command["details"],
                              deadlines=deadlines, by=by, at=at)
        entries = self._complaint_scopes(complaint, case).add("complaints")
        self.save_or_conflict(complaint, self.new_tally(f"complaint:{complaint.id}", at, entries),
                              what="the complaint")
        return complaint.view()

    def _complaint_scopes(self, complaint: Complaint, case: ServiceCase | None = None) -> Entries:
        """A complaint counts against its station, its case's category, and the institution it
        is against (not every institution of the case)."""
        if case is None and complaint.demand_id is not None:
            case = self.case_of(complaint.demand_id)
        institution = complaint.against["id"] if complaint.against["kind"] == "institution" else None
        return Entries(scope_of("station", complaint.station_id),
                       scope_of("category", case.category if case else None),
                       scope_of("institution", institution))

    def complaint(self, complaint_id: str, viewer: dict) -> dict:
        complaint = self.find(Complaint, complaint_id, "complaint")
        self._may_see_complaint(complaint.view(), viewer)
        return complaint.view()

    @staticmethod
    def _may_see_complaint(complaint: dict, viewer: dict) -> None:
        role = viewer["role"]
        if role == "supervisor":
            return
        if role == "specialist" and viewer.get("station_id") == complaint["station_id"]:
            return
        if role == "enterprise" and viewer["subject"] == complaint["complainant"]["subject"]:
            return
        if role == "institution" and complaint["against"] == {"kind": "institution",
                                                              "id": viewer["subject"]}:
            return
        raise NotFound(f"no complaint {complaint['id']}")

    def complaints(self, viewer: dict, query: dict | None = None) -> dict:
        """The complaints the viewer may see (as ``_may_see_complaint``), newest first."""
        status = self.load_command(ListComplaints, query or {})["status"]
        role = viewer["role"]
        seen = {"supervisor": {}, "specialist": {"station_id": viewer.get("station_id")},
                "enterprise": {"complainant": viewer["subject"]}}.get(role)
        conditions, params = equal(status=status, **(seen or {}))
        if role == "institution":  # those against it
            conditions.append("complaint_id IN (SELECT complaint_id FROM {s}complaints_against "
                              "WHERE institution_id = %s)")
            params.append(viewer["subject"])
        elif seen is None or None in (seen or {}).values():
            conditions.append("1 = 0")  # nobody else sees complaints
        return self._page(ListComplaints, query, "complaints", conditions, params, "-received_at",
                          "complaint_id",
                          lambda row: self.repository.get(uuid.UUID(row["complaint_id"])).view())

    def answer_complaint(self, complaint_id: str, payload: dict, by: dict) -> dict:
        """The institution complained about gives its side (ComplaintAnswered)."""
        complaint = self.find(Complaint, complaint_id, "complaint")
        self._may_see_complaint(complaint.view(), by)
        complaint.answer(self.load_command(ComplaintNote, payload)["note"], by, self._now())
        self.save_or_conflict(complaint, what="the complaint")
        return complaint.view()

    def handle_complaint(self, complaint_id: str, step: str, payload: dict, by: dict) -> dict:
        """A specialist of the complaint's station or a supervisor takes it up, escalates it
        or resolves it."""
        complaint = self.find(Complaint, complaint_id, "complaint")
        self._may_see_complaint(complaint.view(), by)
        if by["role"] not in ("specialist", "supervisor"):
            raise Forbidden(f"a {by['role']} does not handle complaints")
        if by["role"] == "specialist":
            if complaint.against == {"kind": "specialist", "id": by["subject"]}:
                raise Forbidden("a complaint against you is handled by a colleague or a supervisor")
            if step == "resolve" and complaint.against["kind"] != "institution":
                # The station does not close complaints about itself or its staff.
                raise Forbidden("a complaint against the station or its staff is resolved by a "
                                "supervisor")
        at = self._now()
        entries = None
        if step == "investigate":
            complaint.investigate(self.load_command(ComplaintNote, payload)["note"], by, at)
        elif step == "escalate":
            complaint.escalate(self.load_command(ComplaintNote, payload)["note"], by, at)
            entries = self._complaint_scopes(complaint).add("complaints_escalated")
        else:
            command = self.load_command(ResolveComplaint, payload)
            complaint.resolve(command["outcome"], command["resolution"], by, at)
            hours = self.station_of(complaint.station_id).working_hours(complaint.received_at, at)
            entries = self._complaint_scopes(complaint).add("complaints_resolved").add(
                "complaint_hours", hours)
            if command["outcome"] != "not_upheld":
                entries.add("complaints_upheld")
        tallies = [self.new_tally(f"complaint-{step}:{complaint.id}", at, entries)] if entries else []
        self.save_or_conflict(complaint, *tallies, what="the complaint")
        return complaint.view()

    def check_complaints(self) -> int:
        """Record the warnings and breaches of complaint clocks that lapsed."""
        now, changed = self.clock(), 0
        for summary in self.read("SELECT complaint_id FROM {s}complaints WHERE status <> 'resolved'"):
            complaint = self.repository.get(uuid.UUID(summary["complaint_id"]))
            for stage, clock in complaint.deadlines.items():
                if clock["closed_at"] is not None or clock["breached"]:
                    continue
                breached = datetime.fromisoformat(clock["due_at"]) <= now
                if not breached and (clock["warned"] or datetime.fromisoformat(clock["warn_at"]) > now):
                    continue
                complaint.lapse(stage, breached, self._now())
                if breached:
                    entries = self._complaint_scopes(complaint).add("deadline_breaches").add(
                        f"breaches_complaint_{stage}")
                    at = clock["due_at"]
                else:
                    entries = self._complaint_scopes(complaint).add("deadline_warnings")
                    at = clock["warn_at"]
                kind = "breach" if breached else "warning"
                tallies = [self.new_tally(f"complaint-{kind}:{stage}:{complaint.id}", at, entries)]
                try:
                    self.save(complaint, *tallies)
                    changed += 1
                except IntegrityError:
                    break  # handled meanwhile; the next check sees the new state
        return changed

    # Supervision ---------------------------------------------------------------------------
    def record_check(self, payload: dict, by: dict) -> dict:
        if by["role"] != "supervisor":
            raise Forbidden("supervisors record spot checks and revisits")
        command = self.load_command(RecordCheck, payload)
        subject = {"kind": command["subject"]["kind"], "id": str(command["subject"]["id"])}
        if subject["kind"] == "station" and self._park_of(subject["id"]) is None:
            raise Invalid("no such station", {"subject": {"id": [said("unknown_station")]}})
        if subject["kind"] == "institution" and subject["id"] not in self.ledger.states_at(
                "institution_standing", date.max):
            raise Invalid("no such institution", {"subject": {"id": [said("unknown_institution")]}})
        at = self._now()
        check = SupervisionCheck(check_id=uuid.uuid4(), kind=command["kind"], subject=subject,
                                 demand_id=command["demand_id"], findings=command["findings"],
                                 suspend_institution=command["suspend_institution"],
                                 reason=command["reason"], by=by, at=at)
        entries = Entries(scope_of(subject["kind"], subject["id"])).add("supervision_checks")
        entries.add("findings", len(command["findings"]))
        serious = sum(f["severity"] in ("major", "critical") for f in command["findings"])
        if serious:
            entries.add("findings_serious", serious)
        self.save_or_conflict(check, self.new_tally(f"check:{check.id}", at, entries),
                              what="the check")
        return check.view()

    def checks(self, query: dict | None = None) -> dict:
        return self._page(Paging, query, "checks", [], [], "-recorded", "check_id",
                          lambda row: self.repository.get(uuid.UUID(row["check_id"])).view())

    def _park_of(self, station_id: str) -> str | None:
        found = self.read("SELECT park FROM {s}parks WHERE station_id = %s", str(station_id))
        return found[0]["park"] if found else None

    # Configurations ------------------------------------------------------------------------
    def register_configuration(self, document, by: dict) -> dict:
        if by["role"] != "supervisor":
            raise Forbidden("supervisors register indicator configurations")
        configuration = Configuration.load(document)
        if configuration.version in self.shipped_configurations:
            raise Conflict(f"version {configuration.version} is a shipped default",
                           {"version": configuration.version})
        registered = RegisteredConfiguration(version=configuration.version,
                                             document=configuration.document, by=by,
                                             at=self._now())
        try:
            self.save(registered)
        except IntegrityError:
            raise Conflict(f"configuration version {configuration.version} exists; versions are "
                           "never changed, register a new one",
                           {"version": configuration.version}) from None
        return self.configuration(configuration.version)

    def configuration(self, version: str | None = None) -> dict:
        found = self._configuration(version)
        return {"version": found.version, "current": found.version == self._current_version(),
                "document": found.document}

    def configurations(self, query: dict | None = None) -> dict:
        """The versions in the order they were registered, paged by cursor; the shipped defaults
        come first (oldest first), before every registered one."""
        command = self.load_command(Paging, query or {})
        wanted, after = command["per_page"], command["after"]
        position = None if after is None else cursor_position(after)
        # A shipped version's cursor sorts before any recorded one (its time is empty).
        pending = [version for version in self.shipped_configurations
                   if position is None or ("", version) > position]
        items = pending[:wanted]
        if items:
            after = cursor("", items[-1])
        if len(pending) > wanted:
            next_after = after
        elif len(items) < wanted:
            found, next_after = keyset_page(self.read, "configurations", [], [], "recorded", after,
                                            wanted - len(items), key="version")
            items += [row["version"] for row in found]
        else:  # a page of shipped versions only, and whether any registered version follows
            next_after = after if self.read("SELECT version FROM {s}configurations LIMIT 1") else None
        current = self._current_version()
        return {"items": [{"version": v, "current": v == current} for v in items],
                "per_page": wanted, "next_after": next_after}

    def _current_version(self) -> str:
        found = self.read("SELECT version FROM {s}configurations "
                          "ORDER BY recorded DESC, version DESC LIMIT 1")
        return found[0]["version"] if found else self.default_configuration.version

    def _configuration(self, version: str | None) -> Configuration:
        version = version or self._current_version()
        if version in self.shipped_configurations:
            return self.shipped_configurations[version]
        try:
            found = self.repository.get(RegisteredConfiguration.create_id(version))
        except AggregateNotFoundError:
            raise NotFound(f"no indicator configuration version {version}") from None
        return Configuration(found.version, found.document)

    # Figures, reports, trends --------------------------------------------------------------
    def figures(self, scope: str, period_text: str, viewer: dict) -> dict:
        query = self.load_command(EvaluationQuery, {"scope": scope, "period": period_text})
        period = Period.parse(query["period"])
        self._may_read(scope, viewer)
        return {"scope": scope, **_span(period), "figures": self._figures(scope, period)}

    def report(self, query: dict, viewer: dict) -> dict:
        query = self.load_command(EvaluationQuery, query)
        period = Period.parse(query["period"])
        self._may_read(query["scope"], viewer)
        return self._scored(query["scope"], period, self._configuration(query["configuration"]))

    def trend(self, query: dict, viewer: dict) -> dict:
        query = self.load_command(TrendQuery, query)
        span = Period.parse(query["period"])
        self._may_read(query["scope"], viewer)
        configuration = self._configuration(query["configuration"])
        periods = span.split(query["every"])
        if len(periods) > 120:
            raise Invalid("a trend covers at most 120 periods", {"period": [said("trend_too_long")]})
        points = []
        for period in periods:
            scored = self._scored(query["scope"], period, configuration)
            points.append({**_span(period), "total": scored["total"], "grade": scored["grade"],
                           "indicators": {line["id"]: {"value": line["value"], "score": line["score"]}
                                          for d in scored["dimensions"] for line in d["indicators"]}})
        return {"scope": query["scope"], "every": query["every"],
                "configuration_version": configuration.version, "points": points}

    def _scored(self, scope: str, period: Period, configuration: Configuration) -> dict:
        context = self._context(scope, period)
        return {"scope": scope, **_span(period), "figures": context.figures,
                **configuration.score(context)}

    def _context(self, scope: str, period: Period) -> Context:
        ledger = self.ledger
        standing = ledger.states_at("institution_standing", period.last)
        profiles = ledger.states_at("institution_profile", period.last)
        institutions = {key: {"status": status, **profiles.get(key, {"categories": [], "parks": []})}
                        for key, status in standing.items()}
        park = self._park_of(scope.split(":", 1)[1]) if scope.startswith("station:") else None
        return Context(scope=scope, figures=self._figures(scope, period, park), days=period.days,
                       institutions=institutions,
                       checklists=ledger.states_at("station_checklist", period.last), park=park,
                       conformity=ledger.states_at("station_conformity", period.last),
                       instruments=ledger.states_at("shared_instrument", period.last))

    def _figures(self, scope: str, period: Period, park: str | None = None) -> dict:
        """The scope's figures; a station's with its park's shared instruments' use, since a
        station serves its park."""
        figures = self.ledger.figures(scope, period)
        park = park or (self._park_of(scope.split(":", 1)[1]) if scope.startswith("station:") else None)
        if park is None:
            return figures
        return dict(sorted({**figures, **self.ledger.figures(f"park:{park}", period)}.items()))

    def _require_known(self, scope: str) -> None:
        """Only what exists is published (and raises improvement actions)."""
        kind, _, key = scope.partition(":")
        known = {"all": lambda: True,
                 "station": lambda: self._park_of(key) is not None,
                 "institution": lambda: key in self.ledger.states_at("institution_standing", date.max),
                 "category": lambda: key in CATEGORIES}[kind]()
        if not known:
            raise Invalid(f"no {kind} {key}", {"scope": [said("unknown_scope", kind=kind)]})

    @staticmethod
    def _may_read(scope: str, viewer: dict) -> None:
        """A supervisor reads every scope; a specialist its station's; an institution its own."""
        allowed = {"supervisor": None,
                   "specialist": f"station:{viewer.get('station_id')}",
                   "institution": f"institution:{viewer['subject']}"}
        if viewer["role"] not in allowed:
            raise Forbidden(f"a {viewer['role']} does not read evaluations")
        own = allowed[viewer["role"]]
        if own is not None and scope != own:
            raise Forbidden(f"a {viewer['role']} reads only the scope {own}",
                            {"allowed_scope": own})

    # Publishing and improvement ------------------------------------------------------------
    def publish(self, payload: dict, by: dict) -> dict:
        if by["role"] != "supervisor":
            raise Forbidden("supervisors publish evaluations")
        command = self.load_command(PublishEvaluation, payload)
        period = Period.parse(command["period"])
        self._require_known(command["scope"])
        configuration = self._configuration(command["configuration_version"])
        scored = self._scored(command["scope"], period, configuration)
        if scored["insufficient_data"]:
            found = scored["insufficient_data"]
            raise InsufficientData(
                f"too little data to grade {command['scope']} for {period.label}: "
                f"{found['cases']:g} case(s), at least {found['minimum_cases']} needed "
                f"(minimum_cases of configuration {configuration.version})", found)
        at = self._now()
        publication = self._next_publication(command["scope"], scored, configuration)
        published_id = PublishedEvaluation.create_id(
            command["scope"], scored["first_day"], scored["last_day"], configuration.version,
            publication)
        due_on = (self.clock().date() + timedelta(
            days=configuration.document["improvement"]["due_days"])).isoformat()
        actions = [ImprovementAction(evaluation_id=published_id, scope=command["scope"],
                                     period=period.label, indicator=line["id"],
                                     score=line["score"], value=line["value"], due_on=due_on, at=at)
                   for line in configuration.improvements(scored)]
        published = PublishedEvaluation(
            scope=command["scope"], period=period.label, first_day=scored["first_day"],
            last_day=scored["last_day"], configuration_version=configuration.version,
            figures=scored["figures"], dimensions=scored["dimensions"], total=scored["total"],
            grade=scored["grade"], not_scored=scored["not_scored"],
            improvement_actions=[str(a.id) for a in actions], by=by, at=at, publication=publication)
        try:
            self.save(published, *actions)
        except IntegrityError:
            raise Conflict("this scope and period are already published with that configuration "
                           "version", {"evaluation_id": str(published_id)}) from None
        return published.view()

    def _next_publication(self, scope: str, scored: dict, configuration: Configuration) -> int:
        """1, or the number after the withdrawn publications of this scope, period and version;
        one not withdrawn is a conflict."""
        publication = 1
        while True:
            found_id = PublishedEvaluation.create_id(scope, scored["first_day"], scored["last_day"],
                                                     configuration.version, publication)
            try:
                found = self.repository.get(found_id)
            except AggregateNotFoundError:
                return publication
            if found.withdrawal is None:
                raise Conflict("this scope and period are already published with that "
                               "configuration version; withdraw it first to publish again",
                               {"evaluation_id": str(found_id)})
            publication += 1

    def withdraw_evaluation(self, evaluation_id: str, payload: dict, by: dict) -> dict:
        """A supervisor withdraws a mistaken publication, saying why; its open improvement
        actions go with it. The publication stays, marked withdrawn."""
        command = self.load_command(WithdrawEvaluation, payload)
        published = self.find(PublishedEvaluation, evaluation_id, "evaluation")
        at = self._now()
        published.withdraw(command["reason"], by, at)
        actions = [self.repository.get(uuid.UUID(action_id))
                   for action_id in published.improvement_actions]
        for action in actions:
            action.withdraw(command["reason"], at)
        self.save_or_conflict(published, *actions, what="the evaluation")
        return published.view()

    def evaluation(self, evaluation_id: str, viewer: dict) -> dict:
        published = self.find(PublishedEvaluation, evaluation_id, "evaluation")
        try:
            self._may_read(published.scope, viewer)
        except Forbidden:
            raise NotFound(f"no evaluation {evaluation_id}") from None
        return published.view()

    def evaluations(self, viewer: dict, query: dict | None = None) -> dict:
        """The published evaluations of the scopes the viewer reads, newest first."""
        scope = self.load_command(ListEvaluations, query or {})["scope"]
        conditions, params = self._readable(viewer, scope)
        return self._page(ListEvaluations, query, "evaluations", conditions, params, "-published",
                          "evaluation_id", lambda row: json.loads(row["summary"]))

    def improvement_actions(self, viewer: dict, query: dict | None = None) -> dict:
        """The improvement actions of the scopes the viewer reads: open ones first."""
        status = self.load_command(ListImprovementActions, query or {})["status"]
        conditions, params = self._readable(viewer)
        more, values = equal(status=status)
        if status is None:
            more.append("status <> 'withdrawn'")  # shown when asked for by status
        # "open" sorts after "closed": descending puts the open ones first.
        return self._page(ListImprovementActions, query, "actions", conditions + more,
                          params + values, "-status", "action_id",
                          lambda row: self.repository.get(uuid.UUID(row["action_id"])).view())

    def _readable(self, viewer: dict, scope: str | None = None) -> tuple[list[str], list]:
        """SQL conditions for the scopes the viewer reads (as ``_may_read``), and ``scope``."""
        own = {"supervisor": None, "specialist": f"station:{viewer.get('station_id')}",
               "institution": f"institution:{viewer['subject']}"}
        if viewer["role"] not in own:
            return ["1 = 0"], []
        conditions, params = equal(scope=scope)
        if own[viewer["role"]] is not None:
            conditions.append("scope = %s")
            params.append(own[viewer["role"]])
        return conditions, params

    def improve(self, action_id: str, step: str, payload: dict, by: dict) -> dict:
        """The evaluated party (or a supervisor) records progress; a supervisor closes it."""
        action = self.find(ImprovementAction, action_id, "improvement action")
        try:
            self._may_read(action.scope, by)
        except Forbidden:
            raise NotFound(f"no improvement action {action_id}") from None
        if step == "progress":
            action.record_progress(self.load_command(ComplaintNote, payload)["note"], by, self._now())
        else:
            action.close(self.load_command(CloseImprovement, payload)["outcome"], by, self._now())
        self.save_or_conflict(action, what="the improvement action")
        return action.view()


def _same_id(text: str) -> str | None:
    """An id as the platform writes it (lower-case UUID), or None if it is no UUID."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _span(period: Period) -> dict:
    return {"period": period.label, "first_day": period.first.isoformat(),
            "last_day": period.last.isoformat()}
