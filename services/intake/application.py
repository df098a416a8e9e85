"""Intake's commands and queries, its deadline monitor, and how it follows matching."""
from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.intake.attachments import AttachmentFolder
from services.intake.catalogue_commands import CatalogueCommands
from services.intake.demand import Demand
from services.intake.metrology import InstrumentRegister
from services.intake.metrology_register import MetrologyRegister
from services.intake import metrology_views
from services.intake.requirement_commands import RequirementCommands
from services.intake.requirements import Checklist
from services.intake.station import Station
from services.intake.time_limits import TimeLimits
from services.intake import readmodel
from services.intake.views import (
    demand_listing, demand_record, demand_view, evidence_documents, station_view)
from shared import metrics
from shared.calendar import WorkingCalendar
from shared.commands import (
    AddSpecialist, Assess, Cancel, ChangeStationSettings, ListDemands, ListStations,
    RecordFollowUp,
    RegisterStation, RemoveSpecialist, SubmitDemand, SupplyInformation, Withdraw)
from shared.config import attachment_folders, attachment_max_bytes, section
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.field_messages import said
from shared.eventstore import ServiceApplication
from shared.readmodel import containing, equal, instant, keyset_page

log = logging.getLogger(__name__)

#: Who acts when the station's rules accept a demand.
RULES = {"role": "system", "subject": "assessment-rules"}


class Intake(MetrologyRegister, CatalogueCommands, RequirementCommands, ServiceApplication):
    name = "Intake"
    # A station records each specialist and requirement, a register each instrument's cycle:
    # loading one reads at most this many events.
    snapshotting_intervals = {Station: 50, InstrumentRegister: 50}
    service = "intake"
    upstreams = ("matching",)
    # Each reaction decides from its demand and station alone.
    applies_runs = True
    tables = ServiceApplication.tables + readmodel.TABLES + metrology_views.TABLES
    reactions = {
        "InstitutionAssigned": "_on_institution_assigned",
        "MatchingFailed": "_on_matching_failed",
        "ServiceCompleted": "_on_service_completed",
    }

    def __init__(self, env=None):
        super().__init__(env)
        self.limits = TimeLimits.from_config(None)
        self._zones: dict[uuid.UUID, ZoneInfo] = {}
        self._versions: dict = {}  # the catalogue's versions read so far (catalogue_commands.py)
        self.attachments: AttachmentFolder | None = None

    def rows(self, aggregate):
        if isinstance(aggregate, InstrumentRegister):
            return super().rows(aggregate) + metrology_views.rows(aggregate)
        return super().rows(aggregate) + readmodel.rows(aggregate, self._zone)

    def configure(self, config: dict) -> None:
        self.limits = TimeLimits.from_config(section(config, "TIME_LIMITS"))
        self.checklist = Checklist.from_config(section(config, "STATION_REQUIREMENTS"))
        settings = section(config, "ATTACHMENTS")
        folder, incoming = attachment_folders(config)
        self.attachments = AttachmentFolder(
            folder, attachment_max_bytes(config), incoming,
            int(settings.get("daily_quota_bytes") or 200 * 1024 * 1024))
        self.orphan_days = float(settings.get("orphan_days") or 7)
        self.configure_metrology(config)

    # Stations and staff --------------------------------------------------------------------
    def register_station(self, payload: dict, by: dict) -> dict:
        command = self.load_command(RegisterStation, payload)
        command["calendar"] = _calendar(command["calendar"]).to_config()
        station = Station(registered_by=by, **command)
        try:
            self.save(station)
        except IntegrityError:
            raise Conflict(f"park {command['park']} already has a station",
                           {"station_id": str(station.id)}) from None
        return station_view(station)

    def station(self, station_id: str) -> dict:
        return station_view(self.find(Station, station_id, "station"))

    def list_stations(self, query: dict, viewer: dict) -> dict:
        """The stations, a page at a time by name, from the read model; by park, or by any
        part of the name. An operating institution's people see the stations it runs only."""
        command = self.load_command(ListStations, query)
        filters, values = equal(park=command["park"])
        if viewer["role"] == "operating_institution":
            filters.append("id IN (SELECT station_id FROM {s}operated_stations WHERE credit_code = %s)")
            values.append(viewer["subject"])
        if command["name"] is not None:
            condition, value = containing("name", command["name"])
            filters.append(condition)
            values.append(value)
        found, next_after = keyset_page(self.read, "stations", filters, values, "name",
                                        command["after"], command["per_page"])
        return {"items": [json.loads(row["listing"]) for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    def station_zones(self) -> list[dict]:
        """Every station's id, park and time zone (none of them ever changes)."""
        return self.read("SELECT id, park, time_zone FROM {s}stations ORDER BY id")

    def change_station_settings(self, station_id: str, payload: dict, by: dict) -> dict:
        """An operator or the station's specialists change its settings, saying why."""
        command = self.load_command(ChangeStationSettings, payload)
        station = self.find(Station, station_id, "station")
        self._require_operator_or_staff(by, station.id)
        changes = ChangeStationSettings.given(command)
        if "calendar" in changes:
            changes["calendar"] = _calendar(changes["calendar"]).to_config()
            if changes["calendar"]["timezone"] != station.calendar["timezone"]:
                # Dates already recorded were counted in the old zone (submitted_on, days).
                raise Invalid("a station's time zone does not change",
                              {"calendar": {"timezone": [said("time_zone_stays", zone=station.calendar["timezone"])]}})
        if "time_limits" in changes:
            changes["time_limits"] = _limits_given(changes["time_limits"])
            too_long = self.limits.out_of_bounds(
                changes["time_limits"], _calendar(changes.get("calendar") or station.calendar))
            if too_long:
                raise Invalid("服务站的时限不能长于平台规定的时限", {"time_limits": too_long})
        station.change_settings(changes=changes, reason=command["reason"], by=by)
        return self._saved_station(station)

    def add_specialist(self, station_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(AddSpecialist, payload)
        station = self.find(Station, station_id, "station")
        elsewhere = self._station_of_staff(command["staff_id"])
        if elsewhere is not None and elsewhere != station.id:
            raise Conflict(f"{command['staff_id']} is a specialist of another station",
                           {"station_id": str(elsewhere)})
        station.add_specialist(added_by=by, **command)
        self.note_conformity(station, by)  # staffing is counted from the specialists
        return self._saved_station(station)

    def remove_specialist(self, station_id: str, staff_id: str, payload: dict, by: dict) -> dict:
        """The specialist leaves the station's staff: refused at once by every check of the
        station's work (the staff table), and accounts takes their role away."""
        command = self.load_command(RemoveSpecialist, payload)
        station = self.find(Station, station_id, "station")
        station.remove_specialist(staff_id, removed_by=by, reason=command["reason"])
        self.note_conformity(station, by)
        return self._saved_station(station)

    def _saved_station(self, station: Station) -> dict:
        self.save_or_conflict(station, what="the station", details={"station_id": str(station.id)})
        return station_view(station)

    # Collection ----------------------------------------------------------------------------
    def store_attachment(self, incoming: str, name: str, media_type: str, by: dict) -> dict:
        """Keep the upload the gateway streamed into the incoming folder (attachments.py)."""
        return self.attachments.take(incoming, name, media_type, by, self.clock())

    def remove_unreferenced_attachments(self) -> int:
        """Remove the files no demand and no station's requirement references, once their
        grace has passed."""
        referenced = [row["sha256"] for row in self.read(
            "SELECT sha256 FROM {s}attachment_uses UNION SELECT sha256 FROM {s}requirement_evidence")]
        return self.attachments.remove_unreferenced(referenced, self.clock(), self.orphan_days)

    def submit_demand(self, payload: dict, by: dict, idempotency_key: str | None = None) -> dict:
        demand = self._new_demand(payload, by, idempotency_key)
        try:
            self.save(demand)
        except IntegrityError:
            return self._replay(demand.id, _hash(payload))
        return self._shown(demand, self.clock())

    def _new_demand(self, payload: dict, by: dict, idempotency_key: str | None = None,
                    sub_items: list[str] = ()) -> Demand:
        """The demand a submission makes, not saved yet; ``sub_items``: what the station's
        rules accept it with, when they do (a demand the metrology register asks for names
        its sub-item)."""
        command = self.load_command(SubmitDemand, payload)
        station = self._station_serving(command["park"])
        self._require_submitter(by, command, station)
        version = self.current_catalogue()
        command["catalogue_version"] = version.number
        if command["sub_item"] is not None:
            sub_item = version.sub_item(command["sub_item"], command["category"], "sub_item")
            command["details"] = version.checked_details(sub_item, command["details"])
        elif command["details"]:
            raise Invalid("填写需求明细须先选择服务子项", {"details": [said("details_need_sub_item")]})
        attachments = [self.attachments.metadata(sha, by) for sha in command.pop("attachments")]
        now = self.clock()
        calendar = _calendar(station.calendar)
        assessment = "assessment_consultation" if command["consultation"] else "assessment"
        own = getattr(station, "time_limits", {})  # the station's own limits, if it set any
        request_hash = _hash(payload)
        demand = Demand(
            station_id=station.id, attachments=attachments, request_hash=request_hash,
            idempotency_key=idempotency_key, by=by, at=now.isoformat(),
            deadlines={stage: self.limits.start(limit, calendar, now, own, command["category"],
                                                sub_item=version.time_limits(command["sub_item"]))
                       for stage, limit in (("first_response", "first_response"), ("assessment", assessment))},
            **command)
        # A consultation may be answered by the station itself, so it waits for a specialist.
        if demand.category in station.auto_accept and not demand.consultation:
            chosen = list(sub_items) or demand.sub_items
            demand.accept(demand.category, demand.items, chosen, "normal", by=RULES,
                          at=now.isoformat(), serving=self._serving(demand, demand.category, demand.items, chosen),
                          hall_closes_at=hall_closes_at(station, demand.category, now))
        return demand

    def _replay(self, demand_id: uuid.UUID, request_hash: str) -> dict:
        """The first result of a submission repeated with the same Idempotency-Key."""
        first = self.find(Demand, demand_id, "demand")
        if first.request_hash != request_hash:
            raise Conflict("this Idempotency-Key was already used for a different request",
                           {"demand_id": str(demand_id)})
        return {**self._shown(first, self.clock()), "replayed": True}

    # Assessment, information, withdrawal, cancellation, follow-up --------------------------
    def assess(self, demand_id: str, payload: dict, by: dict) -> dict:
        return self._change(demand_id, payload, by, Assess, self._assess, enterprise_may=False)

    def _assess(self, demand: Demand, command: dict, by: dict, now: datetime) -> None:
        at = now.isoformat()
        decision = command["decision"]
        if decision == "accept":
            kept = {key: demand_value if command[key] is None else command[key]
                    for key, demand_value in (("category", demand.category), ("items", demand.items),
                                              ("sub_items", demand.sub_items),
                                              ("urgency", demand.urgency))}
            if demand.catalogue_version is not None:
                version = self.catalogue_version(demand.catalogue_version)
                for index, code in enumerate(kept["sub_items"]):
                    version.sub_item(code, kept["category"], f"sub_items.{index}")
            station = self.repository.get(demand.station_id)
            demand.accept(kept["category"], kept["items"], kept["sub_items"], kept["urgency"],
                          by=by, at=at, reason=command["reason"],
                          serving=self._serving(demand, kept["category"], kept["items"], kept["sub_items"]),
                          hall_closes_at=hall_closes_at(station, kept["category"], now))
        elif decision == "answer":
            demand.answer(command["answer"], by=by, at=at)
        elif decision == "reject":
            demand.reject(command["reason"], by=by, at=at)
        else:
            due = datetime.fromisoformat(demand.deadlines["assessment"]["due_at"])
            remaining = self._calendar_of(demand).between(now, due)
            demand.request_information(command["questions"], remaining, by=by, at=at)

    def supply_information(self, demand_id: str, payload: dict, by: dict) -> dict:
        def supply(demand, command, by, now):
            attachments = [self.attachments.metadata(sha, by) for sha in command["attachments"]]
            stage = demand.deadlines["assessment"]
            remaining = demand.paused_remaining("assessment")
            # A clock that had already run out keeps its due time: the lapse stays on record.
            resumed = stage if not remaining else self.limits.resume(
                remaining, self._calendar_of(demand), now, limit=stage["limit"])
            demand.supply_information(command["information"], attachments, resumed, by=by,
                                      at=now.isoformat())
        return self._change(demand_id, payload, by, SupplyInformation, supply, enterprise_may=True)

    def withdraw(self, demand_id: str, payload: dict, by: dict) -> dict:
        return self._change(demand_id, payload, by, Withdraw, enterprise_may=True,
                            apply=lambda demand, command, by, now: demand.withdraw(
                                command["reason"], by=by, at=now.isoformat()))

    def cancel(self, demand_id: str, payload: dict, by: dict) -> dict:
        return self._change(demand_id, payload, by, Cancel, enterprise_may=True,
                            apply=lambda demand, command, by, now: demand.cancel(
                                command["reason"], by=by, at=now.isoformat()))

    def record_follow_up(self, demand_id: str, payload: dict, by: dict) -> dict:
        def follow_up(demand, command, by, now):
            demand.record_follow_up(
                next_follow_up=self._follow_up_clock(demand, now),
                by=by, at=now.isoformat(), **command)
        return self._change(demand_id, payload, by, RecordFollowUp, follow_up, enterprise_may=False)

    def _change(self, demand_id: str, payload: dict, by: dict, schema, apply, *,
                enterprise_may: bool) -> dict:
        """Load the command, check the caller may act on the demand, apply, save, show."""
        command = self.load_command(schema, payload)
        demand = self._demand_to_act_on(demand_id, by, enterprise_may=enterprise_may)
        now = self.clock()
        apply(demand, command, by, now)
        return self._saved(demand, now)

    def _saved(self, demand: Demand, now: datetime) -> dict:
        try:
            self.save(demand)
        except IntegrityError:
            raise Conflict("the demand changed while this request was handled; try again",
                           {"current_status": self.find(Demand, demand.id, "demand").status}) from None
        return self._shown(demand, now)

    # Queries -------------------------------------------------------------------------------
    def demand(self, demand_id: str, viewer: dict) -> dict:
        """From the read model (one indexed read), as the list shows it; no aggregate loaded."""
        record, next_due = self._readable(demand_id, viewer)
        now = self.clock()
        shown = demand_view(record, now, _overdue(next_due, instant(now.isoformat())),
                            self._zone(uuid.UUID(record["station_id"])))
        if viewer["role"] == "institution":
            shown["excluded_institutions"] = []  # whom the enterprise turned down is its own affair
        return shown

    def _readable(self, demand_id: str, viewer: dict) -> tuple[dict, str | None]:
        """The demand's record and next due instant from the read model, if ``viewer`` may
        read it (NotFound otherwise, as for a demand that does not exist)."""
        found = self.read("SELECT d.next_due, v.record FROM {s}demands d JOIN {s}demand_details v "
                          "ON v.id = d.id WHERE d.id = %s", demand_id)
        record = json.loads(found[0]["record"]) if found else None
        if record is None or not self._may_see(viewer, record):
            raise NotFound(f"no demand {demand_id}")
        return record, found[0]["next_due"]

    def offered_requests(self, demand_ids: list[str]) -> dict[str, dict]:
        """What an institution offered these demands reads of each before it accepts: the whole
        request, and its files by name, but not who asks (the enterprise, the contact). The
        gateway asks only for the demands of the institution's own offers."""
        if not demand_ids:
            return {}
        found = self.read("SELECT id, record FROM {s}demand_details WHERE id IN ("
                          + ", ".join(["%s"] * len(demand_ids)) + ")", *map(str, demand_ids))
        shown = {}
        for row in found:
            record = json.loads(row["record"])
            shown[row["id"]] = {
                "title": record["title"], "description": record["description"],
                "sub_items": record["sub_items"], "urgency": record["urgency"],
                "attachments": [{"name": a["name"], "media_type": a["media_type"], "size": a["size"]}
                                for a in record["attachments"]]}
        return shown

    def hall_requests(self, demand_ids: list[str]) -> dict[str, dict]:
        """What the demand hall shows of these demands besides matching's facts: the request's
        text and sub-items, the station and when it was submitted; never who asks, nor files
        (docs/categories/demand-hall.md)."""
        if not demand_ids:
            return {}
        found = self.read("SELECT v.id, v.record, s.name AS station FROM {s}demand_details v "
                          "JOIN {s}demands d ON d.id = v.id LEFT JOIN {s}stations s ON s.id = d.station_id "
                          "WHERE v.id IN (" + ", ".join(["%s"] * len(demand_ids)) + ")",
                          *map(str, demand_ids))
        shown = {}
        for row in found:
            record = json.loads(row["record"])
            shown[row["id"]] = {key: record[key] for key in (
                "title", "description", "sub_items", "station_id", "submitted_at")}
            shown[row["id"]]["station"] = row["station"]
        return shown

    def downloadable(self, demand_id: str, sha256: str, viewer: dict) -> dict:
        """A file of the demand (one it was submitted or supplied with, or its completion's
        evidence) as ``viewer`` may download it: its name, media type and size. NotFound for
        a demand the viewer may not read and for a file the demand does not reference."""
        record, _ = self._readable(demand_id, viewer)
        for attachment in record["attachments"]:
            if attachment["sha256"] == sha256:
                return attachment
        evidence = evidence_documents(record["outcome"])
        if record["assignment"] and any(document["sha256"] == sha256 for document in evidence):
            # Only what the serving institution uploaded itself: a hash it read in another
            # case must not make that case's file downloadable from this one.
            serving = {"role": "institution", "subject": record["assignment"]["institution_id"]}
            try:
                return self.attachments.metadata(sha256, serving)
            except Invalid:
                pass
        raise NotFound(f"demand {demand_id} has no file {sha256}")

    def staff_station(self, staff_id: str) -> dict:
        """The station a specialist works at, its id and park (NotFound for a subject on no
        station's staff)."""
        station = self._station_of_staff(staff_id)
        if station is None:
            raise NotFound(f"{staff_id} is not a specialist of any station")
        return {"station_id": str(station), "park": self.repository.get(station).park}

    def attachment(self, sha256: str, uploader: dict) -> dict:
        return self.attachments.metadata(sha256, uploader)

    def gauges(self) -> list[tuple]:
        """For Prometheus: demands by category and current status (one indexed count)."""
        counts = Counter({(row["category"], row["status"]): row["n"] for row in self.read(
            "SELECT category, status, COUNT(*) AS n FROM {s}demands GROUP BY category, status")})
        return [("onestop_demands", "Demands by category and current status.",
                 ["category", "status"], counts)]

    def list_demands(self, query: dict, viewer: dict) -> dict:
        """The viewer's demands matching the query, a page at a time by cursor, from the read
        model: each filter is a condition on an indexed column."""
        command = self.load_command(ListDemands, query)
        now = instant(self.clock().isoformat())
        where, params = self._visible_to(viewer)
        filters, values = equal(status=command["status"], category=command["category"],
                                station_id=command["station"], enterprise=command["enterprise"])
        where, params = where + filters, params + values
        # Days are the station's days: 07:30 in Guangzhou is still the day before in UTC.
        if command["submitted_from"] is not None:
            where.append("submitted_on >= %s")
            params.append(command["submitted_from"].isoformat())
        if command["submitted_to"] is not None:
            where.append("submitted_on <= %s")
            params.append(command["submitted_to"].isoformat())
        if command["overdue"] is True:
            where.append("next_due <= %s")
            params.append(now)
        elif command["overdue"] is False:
            where.append("(next_due IS NULL OR next_due > %s)")
            params.append(now)
        found, next_after = keyset_page(self.read, "demands", where, params, command["sort"],
                                        command["after"], command["per_page"])
        moment = self.clock()
        return {"items": [demand_view(json.loads(row["summary"]), moment,
                                      row["next_due"] is not None and row["next_due"] <= now,
                                      self._zone(uuid.UUID(row["station_id"])))
                          for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    def _visible_to(self, viewer: dict) -> tuple[list[str], list]:
        """The conditions that keep a list to what the viewer may see."""
        role, subject = viewer["role"], viewer["subject"]
        if role == "enterprise":
            return ["enterprise = %s"], [subject]
        if role == "institution":
            return ["institution_id = %s"], [subject]
        if role == "specialist":
            return ["station_id = %s"], [str(self._station_of_staff(subject))]
        if role in ("supervisor", "operator"):
            return [], []
        return ["1 = 0"], []

    # Time limits ---------------------------------------------------------------------------
    def check_deadlines(self, batch: int = 500) -> int:
        """Record a warning or a breach for every stage whose moment has come; returns how many.
        The demands come from an index on the next moment each has something to record, so a
        check costs what is due, not the number of demands."""
        now = self.clock()
        recorded = 0
        due = self.read("SELECT id FROM {s}demands WHERE next_check <= %s ORDER BY next_check "
                        "LIMIT %s", instant(now.isoformat()), batch)
        for row in due:
            demand = self.repository.get(uuid.UUID(row["id"]))
            for stage, clock in demand.open_stages().items():
                if not clock["breached"] and now >= datetime.fromisoformat(clock["due_at"]):
                    recorded += self._mark(demand.id, "breach", stage, now)
                elif not clock["warned"] and now >= datetime.fromisoformat(clock["warn_at"]):
                    recorded += self._mark(demand.id, "warn", stage, now)
        return recorded

    def _mark(self, demand_id, action: str, stage: str, now: datetime) -> int:
        for _ in range(5):  # another replica's monitor, or a command, may save first
            demand = self.repository.get(demand_id)
            if not getattr(demand, action)(stage, now.isoformat()):
                return 0
            try:
                self.save(demand)
            except IntegrityError:
                continue
            metrics.DEADLINE_EVENTS.labels(stage, "breached" if action == "breach" else "approaching").inc()
            return 1
        return 0

    # Following matching --------------------------------------------------------------------
    def _on_institution_assigned(self, message, data, processing):
        demand = self.repository.get(data["demand_id"])
        if not self._current_round(demand, data, {"accepted", "matching_failed"}):
            return
        now = self.clock()
        demand.assign(data["assignment_id"], data["institution_id"], self._follow_up_clock(demand, now),
                      at=now.isoformat(), promised_date=data["promised_date"],
                      overridden=(data["manual"] or {}).get("overridden"))
        processing.collect_events(demand)

    def _on_matching_failed(self, message, data, processing):
        demand = self.repository.get(data["demand_id"])
        if not self._current_round(demand, data, {"accepted"}):
            return
        demand.record_matching_failure(data["reasons"], at=self.clock().isoformat())
        processing.collect_events(demand)

    def _on_service_completed(self, message, data, processing):
        demand = self.repository.get(data["demand_id"])
        current = demand.assignment and demand.assignment["assignment_id"] == data["assignment_id"]
        if demand.status != "assigned" or not current:
            log.info("demand %s ignores the completion of assignment %s", demand.id,
                     data["assignment_id"])
            return
        demand.complete(data["evidence"], at=self.clock().isoformat())
        register = self.certified(demand, data)
        processing.collect_events(demand, *([register] if register is not None else []))

    @staticmethod
    def _current_round(demand: Demand, data: dict, statuses: set[str]) -> bool:
        """Matching answers each accept or reclassification (a round); an answer to an earlier
        round, or one arriving after the demand was withdrawn, changes nothing."""
        current = demand.status in statuses and data["round"] == demand.matching_round
        if not current:
            log.info("demand %s ignores matching's answer to round %s (now %s, round %s)",
                     demand.id, data["round"], demand.status, demand.matching_round)
        return current

    # Who may do what -----------------------------------------------------------------------
    def _station_serving(self, park: str) -> Station:
        try:
            return self.repository.get(Station.create_id(park))
        except AggregateNotFoundError:
            raise Invalid(f"no station serves park {park}",
                          {"park": [said("no_station_for_park")]}) from None

    def _require_submitter(self, by: dict, command: dict, station: Station) -> None:
        if by["role"] == "enterprise":
            if command["enterprise"]["credit_code"] != by["subject"]:
                raise Forbidden("an enterprise may submit demands only for itself",
                                {"enterprise.credit_code": "must be the token's subject"})
            if command["channel"] != "online":
                raise Invalid("an enterprise submits online; counter, phone and visit demands are "
                              "entered by a specialist", {"channel": [said("enterprise_submits_online")]})
        elif not self._is_staff(by, station.id):
            raise Forbidden(f"you are not a specialist of the station serving park {station.park}")

    def _demand_to_act_on(self, demand_id: str, by: dict, *, enterprise_may: bool) -> Demand:
        demand = self.find(Demand, demand_id, "demand")
        if not self._may_see(by, demand_listing(demand)):
            raise NotFound(f"no demand {demand_id}")
        allowed = self._is_staff(by, demand.station_id) or (
            enterprise_may and by["role"] == "enterprise")
        if not allowed:
            raise Forbidden(f"a {by['role']} may not do this to a demand")
        return demand

    def _require_operator_or_staff(self, by: dict, station_id) -> None:
        if by["role"] != "operator" and not self._is_staff(by, station_id):
            raise Forbidden("only an operator or the station's specialists may do this")

    def _is_staff(self, by: dict, station_id) -> bool:
        return by["role"] == "specialist" and self._station_of_staff(by["subject"]) == station_id

    def _station_of_staff(self, staff_id: str) -> uuid.UUID | None:
        found = self.read("SELECT station_id FROM {s}staff WHERE staff_id = %s", staff_id)
        return uuid.UUID(found[0]["station_id"]) if found else None

    def _zone(self, station_id) -> ZoneInfo:
        # A station's time zone is set when it registers and never changes: kept once read.
        if station_id not in self._zones:
            self._zones[station_id] = ZoneInfo(self.repository.get(station_id).calendar["timezone"])
        return self._zones[station_id]

    def _may_see(self, viewer: dict, listing: dict) -> bool:
        """``listing``: the demand as a list shows it (``views.demand_listing``)."""
        role, subject = viewer["role"], viewer["subject"]
        if role == "enterprise":
            return listing["enterprise"]["credit_code"] == subject
        if role == "institution":
            return bool(listing["assignment"]) and listing["assignment"]["institution_id"] == subject
        if role == "specialist":
            return self._is_staff(viewer, uuid.UUID(listing["station_id"]))
        return role in ("supervisor", "operator")

    def _shown(self, demand: Demand, now: datetime) -> dict:
        """A demand just saved or loaded, as a read of it would show it."""
        return demand_view(demand_record(demand), now, demand.overdue(now), self._zone(demand.station_id))

    def _calendar_of(self, demand: Demand) -> WorkingCalendar:
        return _calendar(self.repository.get(demand.station_id).calendar)

    def _follow_up_clock(self, demand: Demand, now: datetime) -> dict:
        """The next follow-up's clock, on the station's calendar and its limit for the demand's
        category and urgency (or its sub-item's, in the demand's catalogue version)."""
        station = self.repository.get(demand.station_id)
        sub_item = {}
        if demand.catalogue_version is not None and demand.sub_items:
            sub_item = self.catalogue_version(demand.catalogue_version).time_limits(demand.sub_items[0])
        return self.limits.start("follow_up", _calendar(station.calendar), now,
                                 getattr(station, "time_limits", {}), demand.category, demand.urgency,
                                 sub_item=sub_item)

    def _serving(self, demand: Demand, category: str, items: list[str], sub_items: list[str]) -> dict:
        """What matching needs to decide who may serve the demand, resolved from the demand's
        catalogue version, so that a later version never changes a decision: the qualification
        kinds that may serve it and the scope terms that cover each item. A demand submitted
        before the catalogue has neither, and matching keeps its rules of then."""
        if demand.catalogue_version is None:
            return {"qualification_kinds": None, "item_terms": None}
        version = self.catalogue_version(demand.catalogue_version)
        return {"qualification_kinds": version.qualification_kinds(category, sub_items),
                "item_terms": {item: version.covering_terms(item) for item in items}}




def _overdue(next_due: str | None, now: str) -> bool:
    """From a read-model row's ``next_due`` and ``now`` as ``readmodel.instant`` text."""
    return next_due is not None and next_due <= now


def _limits_given(limits: dict) -> dict:
    """A station's limits as given, without the stages left unset."""
    def stages(given):
        return {stage: amount for stage, amount in (given or {}).items() if amount}
    return {"default": stages(limits.get("default")),
            "categories": {key: stages(given) for key, given in limits.get("categories", {}).items()},
            "urgencies": {key: stages(given) for key, given in limits.get("urgencies", {}).items()}}


def hall_closes_at(station: Station, category: str, now: datetime) -> str | None:
    """When a demand of ``category`` accepted ``now`` leaves the station's hall (None: the
    station does not list the category), in working hours of the station's calendar."""
    hall = getattr(station, "hall", None) or {}
    if category not in hall.get("categories", ()):
        return None
    return _calendar(station.calendar).add(now, hall["window_hours"] * 3600).isoformat()


def _calendar(settings: dict) -> WorkingCalendar:
    settings = {key: [v.isoformat() if hasattr(v, "isoformat") else v for v in value]
                if isinstance(value, list) else value for key, value in settings.items()}
    try:
        return WorkingCalendar.from_config(settings)
    except ValueError as error:
        raise Invalid(f"the working calendar is not valid: {error}", {"calendar": [error.args[0]]}) from None


def _hash(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
