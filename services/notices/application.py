"""Notices: tells each person what concerns them. It follows intake, matching and evaluation,
records a notice per audience for the events people act on (a request for information, an
offer, an assignment, a completion to rate, a lapsing time limit, a complaint...), keeps them in
an inbox, and sends them by e-mail and text message.

Recording never waits for a mail server: a reaction only records the notice. Sending is a loop
of its own (``deliver``), which addresses a notice to its audience's people when it first sends
it, sends each delivery at least once (a failure is tried again later, the wait doubling), and
sets a delivery aside after its last try: a dead letter an operator replays like any other.
"""
from __future__ import annotations

import json
import logging
import threading
import uuid
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.notices import texts
from services.notices.channels import Channel, SendFailed
from services.notices.notice import (
    CHANNELS, DEFAULT_CHANNELS, DEFAULT_LANGUAGE, Case, Complaint, Institution, Notice,
    Preferences, Station)
from shared.commands import ChooseNoticePreferences, ListNotices
from shared.config import section
from shared.errors import NotFound
from shared.eventstore import ServiceApplication
from shared.readmodel import Statement, instant, keyset_page, upsert

log = logging.getLogger(__name__)

#: recipients(audiences) -> for each audience asked, in order, the people of an enterprise or
#: institution ({"kind", "party"}) or the persons named ({"persons": [...]}), each {person_id,
#: name, email, mobile}
Recipients = Callable[[list[dict]], list[list[dict]]]
#: The dead letters of deliveries are listed under this upstream, by the notice's number.
DELIVERY = "delivery"


def number_of(notice_id: uuid.UUID) -> int:
    """A notice's number, the key of its dead letters: the top 53 bits of its id, so a browser
    reads it exactly. Taken from the id rather than counted, it needs no coordination between
    the threads and replicas that record notices at once (counting MAX + 1, they collided). Two
    notices could share one (about once in 10^4 among a million): a replay by number then sends
    both, each of which was waiting for it."""
    return uuid.UUID(str(notice_id)).int >> 75

TABLES = (
    # One row per notice: its inbox entry, and what the sender must do with it.
    "CREATE TABLE IF NOT EXISTS {s}notices (notice_id TEXT PRIMARY KEY, number BIGINT NOT NULL, "
    "audience TEXT NOT NULL, kind TEXT NOT NULL, demand_id TEXT, at TEXT NOT NULL, "
    "vals TEXT NOT NULL, outstanding INTEGER NOT NULL, retry_at TEXT, abandoned INTEGER NOT NULL, "
    "error TEXT, redelivered_by TEXT)",
    "CREATE INDEX IF NOT EXISTS notices_audience ON {s}notices (audience, at, notice_id)",
    "CREATE INDEX IF NOT EXISTS notices_outstanding ON {s}notices (outstanding, at)",
    "CREATE INDEX IF NOT EXISTS notices_abandoned ON {s}notices (abandoned, number)",
    "CREATE TABLE IF NOT EXISTS {s}notice_reads (notice_id TEXT NOT NULL, person_id TEXT NOT NULL, "
    "PRIMARY KEY (person_id, notice_id))",
    # What a notice's text looks up when it is read or sent.
    "CREATE TABLE IF NOT EXISTS {s}notice_cases (demand_id TEXT PRIMARY KEY, title TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {s}notice_institutions (institution_id TEXT PRIMARY KEY, "
    "name TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {s}notice_staff (staff_id TEXT PRIMARY KEY, station_id TEXT)",
)


def audience_of(kind: str, party) -> str:
    return f"{kind}:{party}"


class Notices(ServiceApplication):
    name = "Notices"
    service = "notices"
    upstreams = ("intake", "matching", "evaluation")
    # Each reaction decides from its own case, station and complaint facts.
    applies_runs = True
    tables = ServiceApplication.tables + TABLES
    reactions = {
        "StationRegistered": "_on_station_registered",
        "SpecialistJoined": "_on_specialist_joined",
        "SpecialistLeft": "_on_specialist_left",
        "DemandSubmitted": "_on_demand_submitted",
        "InformationRequested": "_on_demand_step",
        "InformationSupplied": "_on_demand_step",
        "DemandAccepted": "_on_demand_step",
        "DemandRejected": "_on_demand_step",
        "DemandAnswered": "_on_demand_step",
        "DemandAssigned": "_on_demand_assigned",
        "DemandMatchingFailed": "_on_demand_step",
        "DemandCancelled": "_on_demand_cancelled",
        "DemandCompleted": "_on_demand_completed",
        "DeadlineApproaching": "_on_deadline",
        "DeadlineBreached": "_on_deadline",
        "InstitutionRegistered": "_on_institution_registered",
        "AssignmentOffered": "_on_offer",
        "QuoteGiven": "_on_quote_given",
        "HallOpened": "_on_hall_opened",
        "QualificationExpiring": "_on_qualification_expiring",
        "FeedbackGiven": "_on_feedback",
        "ComplaintReceived": "_on_complaint_received",
        "ComplaintAnswered": "_on_complaint_step",
        "ComplaintResolved": "_on_complaint_step",
        "RevisitTaskRaised": "_on_revisit",
        "SlotBooked": "_on_slot_booked",
        "BookingConfirmed": "_on_booking_answered",
        "BookingDeclined": "_on_booking_answered",
        "VerificationDue": "_on_verification_due",
    }
    #: intake's steps of a demand: the notice's kind and the values it carries from the event.
    DEMAND_STEPS = {
        "InformationRequested": ("information_requested", ("questions",)),
        "InformationSupplied": ("information_supplied", ()),
        "DemandAccepted": ("demand_accepted", ("category",)),
        "DemandRejected": ("demand_rejected", ("reason",)),
        "DemandAnswered": ("demand_answered", ("answer",)),
        "DemandMatchingFailed": ("matching_failed", ()),
    }

    def __init__(self, env=None):
        super().__init__(env)
        self.zone = ZoneInfo("Asia/Shanghai")
        self.retry_base_seconds, self.retry_max_seconds, self.max_attempts = 5.0, 3600.0, 8
        self._delivering = threading.Lock()

    def configure(self, config: dict) -> None:
        settings = section(config, "NOTICES")
        self.zone = ZoneInfo(str(settings.get("time_zone") or "Asia/Shanghai"))
        self.retry_base_seconds = float(settings.get("retry_seconds", 5.0))
        self.retry_max_seconds = float(settings.get("retry_max_seconds", 3600.0))
        self.max_attempts = int(settings.get("max_attempts", 8))

    # The read model --------------------------------------------------------------------------
    def rows(self, aggregate):
        if isinstance(aggregate, Notice):
            return [*super().rows(aggregate), self._notice_row(aggregate),
                    *[upsert("notice_reads", ("person_id", "notice_id"),
                             {"notice_id": str(aggregate.id), "person_id": person})
                      for person in aggregate.read_by]]
        if isinstance(aggregate, Case):
            return [*super().rows(aggregate), upsert("notice_cases", ("demand_id",), {
                "demand_id": aggregate.demand_id, "title": aggregate.title})]
        if isinstance(aggregate, Institution):
            return [*super().rows(aggregate), upsert("notice_institutions", ("institution_id",), {
                "institution_id": aggregate.institution_id, "name": aggregate.name})]
        if isinstance(aggregate, Station):
            # One who left keeps a row without a station: their inbox no longer shows its notices.
            return [*super().rows(aggregate), *[upsert("notice_staff", ("staff_id",), {
                "staff_id": staff, "station_id": aggregate.station_id if staff in aggregate.staff else None})
                for staff in (*aggregate.staff, *aggregate.former)]]
        return super().rows(aggregate)

    @staticmethod
    def _notice_row(notice: Notice) -> Statement:
        errors = [d["error"] for d in notice.deliveries.values() if d["state"] == "abandoned"]
        return upsert("notices", ("notice_id",), {
            "notice_id": str(notice.id), "number": number_of(notice.id), "audience": notice.audience,
            "kind": notice.kind, "demand_id": notice.demand_id, "at": instant(notice.at),
            "vals": json.dumps(notice.values, ensure_ascii=False, sort_keys=True, default=str),
            "outstanding": int(notice.outstanding),
            "retry_at": instant(notice.retry_at) if notice.retry_at else None,
            "abandoned": int(notice.abandoned), "error": "; ".join(errors) or None,
            "redelivered_by": notice.redelivered_by})

    # Recording -------------------------------------------------------------------------------
    def _notice(self, message, audience: str, kind: str, demand_id=None, **values) -> Notice:
        return Notice(source=f"{message.service}:{message.id}", audience=audience, kind=kind,
                      demand_id=None if demand_id is None else str(demand_id), values=values,
                      at=message.occurred_at)

    def _get(self, aggregate_class, key):
        try:
            return self.repository.get(aggregate_class.create_id(key))
        except AggregateNotFoundError:
            return None

    # Following intake ------------------------------------------------------------------------
    def _on_station_registered(self, message, data, processing):
        processing.collect_events(Station(station_id=str(data["station_id"])))

    def _on_specialist_joined(self, message, data, processing):
        station = self._get(Station, data["station_id"]) or Station(station_id=str(data["station_id"]))
        station.joined(str(data["staff_id"]))
        processing.collect_events(station)

    def _on_specialist_left(self, message, data, processing):
        station = self._get(Station, data["station_id"])
        if station is not None:
            station.left(str(data["staff_id"]))
            processing.collect_events(station)

    def _on_demand_submitted(self, message, data, processing):
        case = Case(demand_id=str(data["demand_id"]), title=data["title"],
                    enterprise=data["enterprise"]["credit_code"], station_id=str(data["station_id"]))
        values = {"category": data["category"]}
        processing.collect_events(
            case,
            self._notice(message, audience_of("enterprise", case.enterprise), "demand_received",
                         case.demand_id, **values),
            self._notice(message, audience_of("station", case.station_id), "demand_submitted",
                         case.demand_id, **values))

    def _on_demand_step(self, message, data, processing):
        case = self._get(Case, data["demand_id"])
        kind, carried = self.DEMAND_STEPS[message.event]
        audience = audience_of("station", case.station_id) if texts.TEXTS[kind].audience == "station" \
            else audience_of("enterprise", case.enterprise)
        processing.collect_events(self._notice(message, audience, kind, case.demand_id,
                                               **{name: data[name] for name in carried}))

    def _on_demand_assigned(self, message, data, processing):
        case = self._get(Case, data["demand_id"])
        case.assigned(str(data["institution_id"]))
        processing.collect_events(case, self._notice(
            message, audience_of("enterprise", case.enterprise), "demand_assigned", case.demand_id,
            institution_id=case.institution_id,
            promised_date=None if data["promised_date"] is None else str(data["promised_date"])))

    def _on_demand_cancelled(self, message, data, processing):
        case = self._get(Case, data["demand_id"])
        if case.institution_id is not None:
            processing.collect_events(self._notice(
                message, audience_of("institution", case.institution_id), "assignment_cancelled",
                case.demand_id, reason=data["reason"]))

    def _on_demand_completed(self, message, data, processing):
        case = self._get(Case, data["demand_id"])
        processing.collect_events(self._notice(
            message, audience_of("enterprise", case.enterprise), "feedback_requested",
            case.demand_id, institution_id=case.institution_id))

    def _on_deadline(self, message, data, processing):
        case = self._get(Case, data["demand_id"])
        kind = "deadline_approaching" if message.event == "DeadlineApproaching" else "deadline_breached"
        processing.collect_events(self._notice(
            message, audience_of("station", case.station_id), kind, case.demand_id,
            stage=data["stage"], due_at=data["due_at"]))

    def _on_verification_due(self, message, data, processing):
        # No demand yet: the reminder is what the enterprise makes one of (the metrology register).
        processing.collect_events(self._notice(
            message, audience_of("enterprise", data["enterprise"]), "verification_due",
            name=data["name"], serial_number=data["serial_number"], due_on=data["due_on"]))

    # Following matching ----------------------------------------------------------------------
    def _on_institution_registered(self, message, data, processing):
        processing.collect_events(Institution(institution_id=str(data["institution_id"]),
                                              name=data["name"]))

    def _on_offer(self, message, data, processing):
        # What is asked and by when, never who asks: the enterprise is named once it accepts.
        processing.collect_events(self._notice(
            message, audience_of("institution", data["institution_id"]), "offer_made",
            data["demand_id"], respond_by=data["respond_by"]))

    def _on_hall_opened(self, message, data, processing):
        # The hall lists a demand without the enterprise: so does its notice (no title, no
        # demand to open; the hall's page shows it).
        processing.collect_events(*(self._notice(
            message, audience_of("institution", institution), "hall_opened",
            category=data["category"], items=list(data["items"]), closes_at=data["closes_at"])
            for institution in data["notified"]))

    def _on_quote_given(self, message, data, processing):
        case = self._get(Case, data["demand_id"])
        processing.collect_events(self._notice(
            message, audience_of("enterprise", case.enterprise), "quote_given", case.demand_id,
            institution_id=str(data["institution_id"]), amount=data["amount"],
            valid_until=str(data["valid_until"])))

    def _on_qualification_expiring(self, message, data, processing):
        processing.collect_events(self._notice(
            message, audience_of("institution", data["institution_id"]), "qualification_expiring",
            number=data["number"], valid_until=str(data["valid_until"])))

    def _on_slot_booked(self, message, data, processing):
        processing.collect_events(self._notice(
            message, audience_of("institution", data["institution_id"]), "booking_requested",
            instrument=data["instrument_name"], start=data["start"], purpose=data["purpose"]))

    def _on_booking_answered(self, message, data, processing):
        declined = message.event == "BookingDeclined"
        values = {"reason": data["reason"]} if declined else {}
        processing.collect_events(self._notice(
            message, audience_of("enterprise", data["credit_code"]),
            "booking_declined" if declined else "booking_confirmed",
            instrument=data["instrument_name"], start=data["start"], **values))

    # Following evaluation --------------------------------------------------------------------
    def _on_feedback(self, message, data, processing):
        processing.collect_events(self._notice(
            message, audience_of("institution", data["institution_id"]), "feedback_received",
            data["demand_id"]))

    def _on_complaint_received(self, message, data, processing):
        by = data["by"]
        complainant = audience_of("enterprise", by["subject"]) if by["role"] == "enterprise" else None
        notices = [Complaint(complaint_id=str(data["complaint_id"]), complainant=complainant),
                   self._notice(message, audience_of("station", data["station_id"]),
                                "complaint_received", data["demand_id"], summary=data["summary"])]
        if data["against"]["kind"] == "institution":
            notices.append(self._notice(message, audience_of("institution", data["against"]["id"]),
                                        "complaint_against_institution", data["demand_id"],
                                        summary=data["summary"]))
        processing.collect_events(*notices)

    def _on_complaint_step(self, message, data, processing):
        complaint = self._get(Complaint, data["complaint_id"])
        if complaint is None or complaint.complainant is None:
            return
        if message.event == "ComplaintAnswered":
            notice = self._notice(message, complaint.complainant, "complaint_answered",
                                  data["demand_id"], statement=data["statement"])
        else:
            notice = self._notice(message, complaint.complainant, "complaint_resolved",
                                  data["demand_id"], resolution=data["resolution"])
        processing.collect_events(notice)

    def _on_revisit(self, message, data, processing):
        processing.collect_events(self._notice(
            message, audience_of("station", data["station_id"]), "revisit_due", data["demand_id"]))

    # Reading ---------------------------------------------------------------------------------
    def audiences(self, acts: dict) -> list[str]:
        """The audiences a person reads, from what their token says they act as: an
        enterprise, an institution, and as a specialist their station."""
        found = [audience_of(role, party) for role, party in acts.items()
                 if role in ("enterprise", "institution")]
        if "specialist" in acts:
            rows = self.read("SELECT station_id FROM {s}notice_staff WHERE staff_id = %s",
                             str(acts["specialist"]))
            found += [audience_of("station", row["station_id"]) for row in rows if row["station_id"]]
        return found

    def inbox(self, person_id: str, acts: dict, query: dict, language: str) -> dict:
        chosen = self.load_command(ListNotices, query)
        audiences = self.audiences(acts)
        if not audiences:
            return {"items": [], "per_page": chosen["per_page"], "next_after": None, "unread": 0}
        among = f"audience IN ({', '.join(['%s'] * len(audiences))})"
        unread = "NOT EXISTS (SELECT 1 FROM {s}notice_reads r WHERE r.person_id = %s " \
                 "AND r.notice_id = {s}notices.notice_id)"
        filters, params = [among], [*audiences]
        if chosen["unread"]:
            filters.append(unread)
            params.append(person_id)
        found, next_after = keyset_page(self.read, "notices", filters, params, "-at",
                                        chosen["after"], chosen["per_page"], key="notice_id")
        read = {row["notice_id"] for row in self.read(
            "SELECT notice_id FROM {s}notice_reads WHERE person_id = %s AND notice_id IN "
            f"({', '.join(['%s'] * len(found)) or 'NULL'})", person_id,
            *[row["notice_id"] for row in found])}
        waiting = self.read(f"SELECT COUNT(*) AS n FROM {{s}}notices WHERE {among} AND {unread}",
                            *audiences, person_id)[0]["n"]
        return {"items": [self._shown(row, row["notice_id"] in read, language) for row in found],
                "per_page": chosen["per_page"], "next_after": next_after, "unread": int(waiting)}

    def mark_read(self, notice_id: str, person_id: str, acts: dict, language: str) -> dict:
        notice = self._readable(notice_id, acts)
        if person_id not in notice.read_by:
            notice.read(person_id=person_id, at=self.clock().isoformat())
            self.save_or_conflict(notice, what="the notice")
        row = self.read("SELECT * FROM {s}notices WHERE notice_id = %s", str(notice.id))[0]
        return self._shown(row, True, language)

    def _readable(self, notice_id: str, acts: dict) -> Notice:
        """A notice of the reader's own audiences; any other is not found for them."""
        try:
            notice = self.find(Notice, notice_id, "notice")
        except NotFound:
            notice = None
        if notice is None or notice.audience not in self.audiences(acts):
            raise NotFound(f"没有编号为 {notice_id} 的通知")
        return notice

    def _shown(self, row: dict, read: bool, language: str) -> dict:
        values = json.loads(row["vals"])
        return {"id": row["notice_id"], "kind": row["kind"], "demand_id": row["demand_id"],
                "at": self.local_time(row["at"]), "at_utc": row["at"], "read": read,
                **texts.render(row["kind"], self._filled(values, row["demand_id"]), language, self.zone)}

    def _filled(self, values: dict, demand_id: str | None) -> dict:
        """The notice's values, with the demand's title and the institution's name as they
        stand now."""
        filled = dict(values)
        if demand_id:
            found = self.read("SELECT title FROM {s}notice_cases WHERE demand_id = %s", demand_id)
            filled["title"] = found[0]["title"] if found else ""
        if values.get("institution_id"):
            found = self.read("SELECT name FROM {s}notice_institutions WHERE institution_id = %s",
                              values["institution_id"])
            filled["institution"] = found[0]["name"] if found else ""
        return filled

    def local_time(self, moment: str) -> str:
        """An instant in the station's time zone, with its offset."""
        return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(self.zone).isoformat()

    # Preferences -----------------------------------------------------------------------------
    def preferences(self, person_id: str) -> dict:
        chosen = self._get(Preferences, person_id)
        if chosen is None:
            return {"channels": list(DEFAULT_CHANNELS), "language": DEFAULT_LANGUAGE, "chosen": False}
        return {"channels": list(chosen.channels), "language": chosen.language, "chosen": True}

    def choose_preferences(self, person_id: str, payload: dict) -> dict:
        command = self.load_command(ChooseNoticePreferences, payload)
        channels = [channel for channel in CHANNELS if channel in command["channels"]]
        at = self.clock().isoformat()
        chosen = self._get(Preferences, person_id)
        if chosen is None:
            chosen = Preferences(person_id=person_id, channels=channels, language=command["language"], at=at)
        else:
            chosen.change(channels=channels, language=command["language"], at=at)
        self.save_or_conflict(chosen, what="your notice preferences")
        return self.preferences(person_id)

    # Sending ---------------------------------------------------------------------------------
    def deliver(self, recipients: Recipients, channels: dict[str, Channel], page: int = 200) -> int:
        """Send what is due: each notice's deliveries not sent yet and not waiting for a retry.
        A notice is addressed the first time (its audience's people, each by the channels they
        chose and have an address for). The due notices are taken a page at a time: one question
        to accounts for the people of all their audiences, one transaction for what was done to
        them (a crash in between sends a page's messages again, each with its key, as any
        at-least-once sending does). Returns how many deliveries were sent."""
        with self._delivering:
            now = self.clock()
            sent, seen = 0, set()
            while True:
                rows = self.read("SELECT notice_id FROM {s}notices WHERE outstanding = 1 AND "
                                 "(retry_at IS NULL OR retry_at <= %s) ORDER BY at LIMIT %s",
                                 instant(now.isoformat()), page)
                # A delivery may be due again at once (no wait between tries): once a round.
                due = self.repository.get_all(uuid.UUID(row["notice_id"])
                                              for row in rows if row["notice_id"] not in seen)
                if not due:
                    return sent
                seen.update(str(notice.id) for notice in due)
                audiences = sorted({notice.audience for notice in due})
                people = dict(zip(audiences, recipients([self._addressees(a) for a in audiences])))
                chosen: dict[str, dict] = {}
                done: dict[uuid.UUID, list[tuple[str, dict]]] = {}
                for notice in due:
                    steps = done[notice.id] = []
                    try:
                        sent += self._send(notice, people[notice.audience], chosen, channels, now, steps)
                    except Exception:  # one notice's trouble (reading its facts) stops only it
                        log.exception("could not send notice %s; it is tried again next round", notice.id)
                self._record_page(due, done)
                if len(rows) < page:
                    return sent

    def _record_page(self, due: list[Notice], done: dict[uuid.UUID, list[tuple[str, dict]]]) -> None:
        """What a page's sending did to its notices, in one transaction. A notice that changed
        meanwhile (read, or replayed by an operator) fails the transaction: then each notice is
        loaded again and what was done to it is applied to it as it now stands, and saved alone,
        so nothing sent is forgotten."""
        try:
            self.save(*[notice for notice in due if notice.pending_events])
        except IntegrityError:
            for notice_id, steps in done.items():
                current = self.repository.get(notice_id)
                for step, values in steps:
                    if step == "address":
                        if not current.addressed:
                            current.address(**values)
                    elif current.deliveries.get(values["delivery"], {}).get("state") == "pending":
                        getattr(current, step)(**values)
                if current.pending_events:
                    try:
                        self.save(current)
                    except IntegrityError:
                        log.warning("notice %s changed again while it was sent; it is sent "
                                    "again next round", notice_id)

    def _send(self, notice: Notice, audience: list[dict], chosen: dict[str, dict],
              channels: dict[str, Channel], now: datetime, steps: list[tuple[str, dict]]) -> int:
        """``chosen``: each person's preferences, read once a page; ``steps``: what was done
        to the notice (its method and values), appended to as it is done."""

        def do(step: str, **values) -> None:
            getattr(notice, step)(**values)
            steps.append((step, values))
        people = {person["person_id"]: person for person in audience}

        def preferences(person_id: str) -> dict:
            if person_id not in chosen:
                chosen[person_id] = self.preferences(person_id)
            return chosen[person_id]

        if not notice.addressed:
            do("address", deliveries=[
                f"{person_id} {channel}" for person_id, person in sorted(people.items())
                for channel in preferences(person_id)["channels"]
                if channel in channels and person.get(ADDRESS[channel])], at=now.isoformat())
        sent = 0
        for delivery in notice.due(now):
            person_id, channel = delivery.split(" ")
            person = people.get(person_id)
            try:
                if person is None or not person.get(ADDRESS[channel]) or channel not in channels:
                    raise SendFailed(f"{person_id} has no {channel} address now (left, disabled, "
                                     "or the address was removed)")
                text = texts.render(notice.kind, self._filled(notice.values, notice.demand_id),
                                    preferences(person_id)["language"], self.zone)
                # The same key on every try: a receiver can tell a message sent twice.
                channels[channel].send(person[ADDRESS[channel]], text["subject"], text["body"],
                                       key=f"{notice.id}.{person_id}.{channel}")
            except Exception as failure:
                # Not only a channel's refusal: a defect in this notice's text is tried again
                # later too, and after the last try it is a dead letter an operator sees.
                if not isinstance(failure, SendFailed):
                    log.exception("could not send notice %s to %s", notice.id, delivery)
                do("failed", delivery=delivery, error=str(failure) or type(failure).__name__, now=now,
                   base_seconds=self.retry_base_seconds, max_seconds=self.retry_max_seconds,
                   max_attempts=self.max_attempts)
            else:
                do("sent", delivery=delivery, at=now.isoformat())
                sent += 1
        return sent

    def _addressees(self, audience: str) -> dict:
        kind, party = audience.split(":", 1)
        if kind == "station":
            return {"persons": [row["staff_id"] for row in self.read(
                "SELECT staff_id FROM {s}notice_staff WHERE station_id = %s ORDER BY staff_id", party)]}
        return {"kind": kind, "party": party}

    # Deliveries as dead letters --------------------------------------------------------------
    def abandoned_deliveries(self, after=None, limit: int = 100, replayed: bool | None = None) -> list[dict]:
        """Notices with a delivery whose tries ran out, as dead letters of the upstream
        ``delivery`` numbered by the notice (the operators' list and replay serve both)."""
        conditions = ["(abandoned = 1 OR redelivered_by IS NOT NULL)"]
        params: list = []
        if after is not None:
            if after[0] > DELIVERY:
                return []
            if after[0] == DELIVERY:
                conditions.append("number > %s")
                params.append(int(after[1]))
        if replayed is not None:
            conditions.append("abandoned = 0" if replayed else "abandoned = 1")
        return [{"upstream": DELIVERY, "notification_id": row["number"], "event": row["kind"],
                 "error": row["error"] or "", "replayed": not row["abandoned"]}
                for row in self.read(f"SELECT number, kind, error, abandoned FROM {{s}}notices WHERE "
                                     f"{' AND '.join(conditions)} ORDER BY number LIMIT %s", *params, int(limit))]

    def redeliver(self, by: str, number: int | None = None) -> list[dict]:
        outcomes = []
        conditions, params = ["abandoned = 1"], []
        if number is not None:
            conditions.append("number = %s")
            params.append(int(number))
        for row in self.read(f"SELECT notice_id, number, kind FROM {{s}}notices WHERE "
                             f"{' AND '.join(conditions)} ORDER BY number", *params):
            notice = self.repository.get(uuid.UUID(row["notice_id"]))
            notice.redeliver(by=by, at=self.clock().isoformat())
            self.save(notice)
            outcomes.append({"upstream": DELIVERY, "notification_id": row["number"], "event": row["kind"],
                             "outcome": "replayed", "error": None})
        return outcomes


#: Where each channel sends to, among a recipient's contacts.
ADDRESS = {"email": "email", "sms": "mobile"}
