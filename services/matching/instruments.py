"""Shared instruments (设备共享): an institution offers an instrument on its own calendar, and
enterprises book time slots of it.

One aggregate per instrument holds its calendar and every booking of it, so the rule that two
open bookings never overlap is checked on one consistent state and saved with optimistic
concurrency: of two bookings of one slot made at once, the second save fails, and the command
tried again on what was committed finds the slot taken."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict, Invalid, NotFound
from shared.field_messages import said

_INSTRUMENTS = uuid.UUID("5d0c8f0e-7a43-4b8e-9c61-2e4f9a7b13d8")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Bookings that hold their slot: no other booking may overlap them.
HOLDING = ("requested", "confirmed")


class Calendar:
    """The owner's calendar: weekly opening windows ("HH:MM-HH:MM" per weekday) in its time
    zone, dates it is closed, and the smallest slot, from the start of a window."""

    def __init__(self, settings: dict):
        self.zone = ZoneInfo(settings["timezone"])
        self.weekly = {day: [_window(text) for text in settings["weekly"].get(day, [])]
                       for day in WEEKDAYS}
        self.closed = {date.fromisoformat(str(d)) for d in settings.get("closed", [])}
        self.slot = timedelta(minutes=settings["slot_minutes"])

    def windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """The opening windows of that local day, as aware instants (none on a closed date)."""
        if day in self.closed:
            return []
        return [(datetime.combine(day, opens, self.zone), datetime.combine(day, closes, self.zone))
                for opens, closes in self.weekly[WEEKDAYS[day.weekday()]]]

    def open_hours(self, first: date, last: date) -> float:
        hours, day = 0.0, first
        while day <= last:
            hours += sum((closes - opens).total_seconds() for opens, closes in self.windows(day)) / 3600
            day += timedelta(days=1)
        return hours

    def slot_problem(self, start: datetime, end: datetime, now: datetime) -> tuple[str, str] | None:
        """Why a slot cannot be booked, as (field, message code), or None."""
        if end <= start:
            return "end", "slot_order"
        if start < now:
            return "start", "slot_past"
        local = start.astimezone(self.zone)
        window = next(((opens, closes) for opens, closes in self.windows(local.date())
                       if opens <= start and end <= closes), None)
        if window is None:
            return "slot", "slot_outside_calendar"
        if (start - window[0]) % self.slot or (end - start) % self.slot:
            return "slot", "slot_alignment"
        return None


def _window(text: str) -> tuple[time, time]:
    opens, closes = text.split("-")
    return time.fromisoformat(opens), time.fromisoformat(closes)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


class Instrument(Aggregate):
    """An instrument an institution offers for booking; its id derives from the owner and the
    owner's own code for it, so the same instrument is never listed twice."""

    @staticmethod
    def create_id(institution_id: str, code: str, **_) -> uuid.UUID:
        return uuid.uuid5(_INSTRUMENTS, f"{institution_id}/{code}")

    @event("SharedInstrumentListed")
    def __init__(self, institution_id: str, code: str, name: str, model: str | None,
                 capabilities: list[str], park: str, address: str, fees: list[dict],
                 calendar: dict, by: dict, at: str):
        self.institution_id = institution_id
        self.code = code
        self.name = name
        self.model = model
        self.capabilities = capabilities
        self.park = park
        self.address = address
        self.fees = fees
        self.calendar = calendar
        self.status = "listed"
        self.bookings: dict[str, dict] = {}
        self.listed_by = by
        #: The booking the last event changed (None: the instrument itself), so a save writes
        #: that booking's row, not every booking the instrument ever had.
        self.last_booking: str | None = None

    # The instrument --------------------------------------------------------------------------
    def change(self, changes: dict, reason: str, by: dict, at: str) -> None:
        self._require_listed("change")
        self._changed(changes=changes, reason=reason, by=by, at=at)

    @event("SharedInstrumentChanged")
    def _changed(self, changes, reason, by, at):
        for key, value in changes.items():
            setattr(self, key, value)
        self.last_booking = None

    def withdraw(self, reason: str, by: dict, at: str) -> None:
        """Withdrawn, it takes no booking; those still open must be settled first, so no
        enterprise is left holding a slot of an instrument that is gone."""
        self._require_listed("withdraw")
        still_open = sorted(key for key, booking in self.bookings.items() if booking["status"] in HOLDING)
        if still_open:
            raise Conflict("confirm and record, decline or cancel its open bookings first",
                           {"open_bookings": still_open})
        self._withdrawn(reason=reason, by=by, at=at)

    @event("SharedInstrumentWithdrawn")
    def _withdrawn(self, reason, by, at):
        self.status = "withdrawn"
        self.last_booking = None

    def _require_listed(self, action: str) -> None:
        if self.status != "listed":
            raise Conflict(f"cannot {action} an instrument that is {self.status}",
                           {"current_status": self.status})

    # Bookings --------------------------------------------------------------------------------
    def taken(self) -> list[dict]:
        """The slots open bookings hold, in time order."""
        return sorted(({"start": b["start"], "end": b["end"]} for b in self.bookings.values()
                       if b["status"] in HOLDING), key=lambda slot: datetime.fromisoformat(slot["start"]))

    def book(self, booking_id: str, enterprise: dict, start: datetime, end: datetime, purpose: str,
             now: datetime, by: dict, at: str) -> None:
        self._require_listed("book")
        problem = Calendar(self.calendar).slot_problem(start, end, now)
        if problem:
            field, code = problem
            raise Invalid(f"the slot cannot be booked: {code}", {field: [said(code)]})
        for key, held in self.bookings.items():
            if held["status"] in HOLDING and overlaps(
                    start, end, datetime.fromisoformat(held["start"]), datetime.fromisoformat(held["end"])):
                # The clashing slot is named, never who holds it.
                raise Conflict("the slot overlaps one already booked",
                               {"reason": "slot_taken", "taken_start": held["start"],
                                "taken_end": held["end"]})
        zone = ZoneInfo(self.calendar["timezone"])
        self._booked(booking_id=booking_id, institution_id=self.institution_id,
                     instrument_name=self.name, enterprise=enterprise,
                     start=start.astimezone(zone).isoformat(), end=end.astimezone(zone).isoformat(),
                     purpose=purpose, by=by, at=at)

    @event("SlotBooked")
    def _booked(self, booking_id, institution_id, instrument_name, enterprise, start, end, purpose, by, at):
        self.bookings[booking_id] = {
            "id": booking_id, "enterprise": enterprise, "start": start, "end": end,
            "purpose": purpose, "status": "requested", "booked_by": by, "booked_at": at,
            "reason": None, "usage": None, "history": [{"status": "requested", "by": by, "at": at}]}
        self.last_booking = booking_id

    def booking(self, booking_id: str) -> dict:
        try:
            return self.bookings[booking_id]
        except KeyError:
            raise NotFound(f"no booking {booking_id}") from None

    def confirm(self, booking_id: str, by: dict, at: str) -> None:
        self._require_status(booking_id, ("requested",), "confirm")
        self._confirmed(booking_id=booking_id, **self._parties(booking_id), by=by, at=at)

    @event("BookingConfirmed")
    def _confirmed(self, booking_id, institution_id, credit_code, instrument_name, start, by, at):
        self._moved(booking_id, "confirmed", by, at)

    def decline(self, booking_id: str, reason: str, by: dict, at: str) -> None:
        self._require_status(booking_id, ("requested",), "decline")
        self._declined(booking_id=booking_id, **self._parties(booking_id), reason=reason, by=by, at=at)

    @event("BookingDeclined")
    def _declined(self, booking_id, institution_id, credit_code, instrument_name, start, reason, by, at):
        self._moved(booking_id, "declined", by, at, reason=reason)

    def cancel(self, booking_id: str, reason: str, now: datetime, by: dict, at: str) -> None:
        """The enterprise cancels before the slot starts; the owner at any time before usage."""
        booking = self._require_status(booking_id, HOLDING, "cancel")
        if by["role"] == "enterprise" and now >= datetime.fromisoformat(booking["start"]):
            raise Conflict("the slot has begun: ask the owner to cancel it",
                           {"current_status": booking["status"], "start": booking["start"]})
        self._cancelled(booking_id=booking_id, **self._parties(booking_id), reason=reason, by=by, at=at)

    @event("BookingCancelled")
    def _cancelled(self, booking_id, institution_id, credit_code, instrument_name, start, reason, by, at):
        self._moved(booking_id, "cancelled", by, at, reason=reason)

    def record_usage(self, booking_id: str, started: datetime, ended: datetime, note: str | None,
                     now: datetime, by: dict, at: str) -> None:
        """What the enterprise actually used, by the owner, once it has begun; the hours
        count towards the instrument's utilisation."""
        self._require_status(booking_id, ("confirmed",), "record the usage of")
        if ended <= started:
            raise Invalid("the usage ends before it starts", {"actual_end": [said("slot_order")]})
        if started > now:
            raise Invalid("usage is recorded once it has begun", {"actual_start": [said("usage_future")]})
        zone = ZoneInfo(self.calendar["timezone"])
        hours = round((ended - started).total_seconds() / 3600, 2)
        self._usage_recorded(booking_id=booking_id, **self._parties(booking_id), usage={
            "actual_start": started.astimezone(zone).isoformat(),
            "actual_end": ended.astimezone(zone).isoformat(), "hours": hours, "note": note},
            by=by, at=at)

    @event("UsageRecorded")
    def _usage_recorded(self, booking_id, institution_id, credit_code, instrument_name, start, usage, by, at):
        self.bookings[booking_id]["usage"] = usage
        self._moved(booking_id, "used", by, at)

    def _parties(self, booking_id: str) -> dict:
        """Who a booking's events concern, so each event names them (the partner feed, notices
        and evaluation follow them without loading the instrument)."""
        booking = self.bookings[booking_id]
        return {"institution_id": self.institution_id, "instrument_name": self.name,
                "credit_code": booking["enterprise"]["credit_code"], "start": booking["start"]}

    def _require_status(self, booking_id: str, allowed: tuple[str, ...], action: str) -> dict:
        booking = self.booking(booking_id)
        if booking["status"] not in allowed:
            raise Conflict(f"cannot {action} a booking that is {booking['status']}",
                           {"current_status": booking["status"]})
        return booking

    def _moved(self, booking_id: str, status: str, by: dict, at: str, reason: str | None = None) -> None:
        booking = self.bookings[booking_id]
        booking["status"] = status
        if reason is not None:
            booking["reason"] = reason
        booking["history"].append({"status": status, "by": by, "at": at})
        self.last_booking = booking_id
