"""Equipment sharing's commands and queries, mixed into matching's application: instruments
offered by institutions, bookings of their slots, and the utilisation they come to.

Who may do what: an institution lists, changes and withdraws its own instruments (an operator
any), confirms, declines and records the usage of their bookings; an enterprise books and
cancels its own; a specialist reads their park's, supervisors and operators everything. An
enterprise sees which slots are taken, never by whom."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

from eventsourcing.persistence import IntegrityError

from services.matching.instruments import Calendar, Instrument
from shared.commands import (
    BookSlot, CancelBooking, ChangeSharedInstrument, DeclineBooking, ListBookings, ListInstrument,
    ListInstruments, RecordUsage, UtilisationQuery, WithdrawInstrument)
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.field_messages import said
from shared.readmodel import Statement, containing, equal, instant, keyset_page, upsert

TABLES = (
    # Each instrument as a search finds it (capabilities as |a|b|) and as it is shown.
    "CREATE TABLE IF NOT EXISTS {s}instruments (id TEXT PRIMARY KEY, institution_id TEXT NOT NULL, "
    "park TEXT NOT NULL, status TEXT NOT NULL, name TEXT NOT NULL, search TEXT NOT NULL, "
    "view TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS instruments_name ON {s}instruments (name, id)",
    # Each booking as its parties see it, with when its usage began and the hours it used,
    # once recorded (utilisation counts them on the day the usage began).
    "CREATE TABLE IF NOT EXISTS {s}instrument_bookings (id TEXT PRIMARY KEY, "
    "instrument_id TEXT NOT NULL, institution_id TEXT NOT NULL, park TEXT NOT NULL, "
    "credit_code TEXT NOT NULL, status TEXT NOT NULL, start_utc TEXT NOT NULL, "
    "used_from_utc TEXT, hours_used DOUBLE PRECISION, view TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS instrument_bookings_instrument ON {s}instrument_bookings "
    "(instrument_id, start_utc)",
    "CREATE INDEX IF NOT EXISTS instrument_bookings_credit_code ON {s}instrument_bookings (credit_code, id)",
    "CREATE INDEX IF NOT EXISTS instrument_bookings_institution ON {s}instrument_bookings (institution_id, id)",
)
STAFF = ("specialist", "supervisor", "operator")
#: Times a command is tried again on what was committed when a concurrent change won the race.
ATTEMPTS = 5


def rows(aggregates: list, rebuilt: bool = False) -> list[Statement]:
    """The rows of the instruments among these aggregates: a saved one's own row and that of
    the booking its event changed; in a rebuild, the rows of every booking."""
    return [row for a in aggregates if isinstance(a, Instrument) for row in _instrument_rows(a, rebuilt)]


def _instrument_rows(instrument: Instrument, rebuilt: bool) -> list[Statement]:
    changed = instrument.bookings if rebuilt else \
        {key: instrument.bookings[key] for key in [instrument.last_booking] if key is not None}
    statements = [upsert("instruments", ("id",), {
        "id": str(instrument.id), "institution_id": instrument.institution_id,
        "park": instrument.park, "status": instrument.status, "name": instrument.name,
        "search": "|" + "|".join([*instrument.capabilities, instrument.name, instrument.model or ""]) + "|",
        "view": instrument_view(instrument)})]
    statements += [upsert("instrument_bookings", ("id",), {
        "id": key, "instrument_id": str(instrument.id), "institution_id": instrument.institution_id,
        "park": instrument.park, "credit_code": booking["enterprise"]["credit_code"],
        "status": booking["status"], "start_utc": instant(booking["start"]),
        "used_from_utc": instant(booking["usage"]["actual_start"]) if booking["usage"] else None,
        "hours_used": (booking["usage"] or {}).get("hours"),
        "view": booking_view(instrument, booking)}) for key, booking in changed.items()]
    return statements


def instrument_view(instrument: Instrument) -> dict:
    return {"id": str(instrument.id), "institution_id": instrument.institution_id,
            "code": instrument.code, "name": instrument.name, "model": instrument.model,
            "capabilities": instrument.capabilities, "park": instrument.park,
            "address": instrument.address, "fees": instrument.fees, "calendar": instrument.calendar,
            "status": instrument.status, "listed_at": instrument.created_on.isoformat()}


def booking_view(instrument: Instrument, booking: dict) -> dict:
    return {**{key: booking[key] for key in ("id", "enterprise", "start", "end", "purpose", "status",
                                             "reason", "usage", "booked_at", "history")},
            "instrument_id": str(instrument.id), "instrument_name": instrument.name,
            "institution_id": instrument.institution_id, "park": instrument.park}


class Sharing:
    """Mixed into ``Matching``: it brings ``find``, ``read``, ``load_command``, ``clock``."""

    # Instruments -----------------------------------------------------------------------------
    def list_instrument(self, payload: dict, by: dict) -> dict:
        command = self.load_command(ListInstrument, payload)
        owner = self._owner(command["institution_id"], by)
        if command["park"] not in owner["parks"]:
            raise Invalid("the institution does not serve that park", {"park": [said("instrument_park")]})
        instrument = Instrument(
            institution_id=owner["id"], code=command["code"], name=command["name"],
            model=command["model"], capabilities=command["capabilities"], park=command["park"],
            address=command["address"], fees=command["fees"],
            calendar=_calendar(command["calendar"]), by=by, at=self._now())
        try:
            self.save(instrument)
        except IntegrityError:
            raise Conflict(f"the institution already lists an instrument with code {command['code']}",
                           {"instrument_id": str(instrument.id)}) from None
        return self._instrument_shown(instrument, by)

    def _owner(self, institution_id, by: dict) -> dict:
        """The institution that lists: the caller itself, or the one an operator names."""
        if by["role"] == "institution":
            if institution_id is not None and str(institution_id) != by["subject"]:
                raise Forbidden("an institution lists its own instruments",
                                {"institution_id": "must be the caller's own"})
            institution_id = by["subject"]
        elif by["role"] != "operator":
            raise Forbidden(f"a {by['role']} does not list instruments")
        found = self.read("SELECT view FROM {s}directory WHERE id = %s AND status = 'active'",
                          str(institution_id)) if institution_id else []
        if not found:
            raise Invalid("no active institution to list it", {"institution_id": [said("instrument_owner")]})
        return json.loads(found[0]["view"])

    def change_instrument(self, instrument_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(ChangeSharedInstrument, payload)
        changes = ChangeSharedInstrument.given(command)
        if "calendar" in changes:
            changes["calendar"] = _calendar(changes["calendar"])
        return self._changed(instrument_id, by, lambda instrument: instrument.change(
            changes, command["reason"], by=by, at=self._now()))

    def withdraw_instrument(self, instrument_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(WithdrawInstrument, payload)
        return self._changed(instrument_id, by, lambda instrument: instrument.withdraw(
            command["reason"], by=by, at=self._now()))

    def instrument(self, instrument_id: str, viewer: dict) -> dict:
        return self._instrument_shown(self.find(Instrument, instrument_id, "instrument"), viewer)

    def _instrument_shown(self, instrument: Instrument, viewer: dict) -> dict:
        """The instrument with the slots taken from now on: who took them is the owner's and
        the staff's to know; an enterprise sees only which of them are its own."""
        now = self.clock()
        taken = [{**slot, "mine": viewer["role"] == "enterprise"
                  and self._holder(instrument, slot) == viewer["subject"]}
                 for slot in instrument.taken() if datetime.fromisoformat(slot["end"]) > now]
        return {**instrument_view(instrument), "taken": taken}

    @staticmethod
    def _holder(instrument: Instrument, slot: dict) -> str:
        return next(b["enterprise"]["credit_code"] for b in instrument.bookings.values()
                    if b["start"] == slot["start"] and b["status"] in ("requested", "confirmed"))

    def search_instruments(self, query: dict, viewer: dict) -> dict:
        command = self.load_command(ListInstruments, query)
        filters, values = equal(park=command["park"], status=command["status"],
                                institution_id=command["institution_id"])
        if command["capability"] is not None:
            condition, value = containing("search", command["capability"])
            filters.append(condition)
            values.append(value)
        found, next_after = keyset_page(self.read, "instruments", filters, values, "name",
                                        command["after"], command["per_page"])
        return {"items": [json.loads(row["view"]) for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    # Bookings --------------------------------------------------------------------------------
    def book_slot(self, instrument_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(BookSlot, payload)
        if by["role"] != "enterprise":
            raise Forbidden("an enterprise books for itself")
        booking_id = str(uuid.uuid4())
        enterprise = {"credit_code": by["subject"], "name": command["enterprise_name"],
                      "contact": command["contact"], "phone": command["phone"],
                      "person": by.get("person")}
        instrument = self._retried(instrument_id, lambda found: found.book(
            booking_id, enterprise, command["start"], command["end"], command["purpose"],
            now=self.clock(), by=by, at=self._now()))
        return booking_view(instrument, instrument.bookings[booking_id])

    def confirm_booking(self, booking_id: str, by: dict) -> dict:
        return self._on_booking(booking_id, by, lambda instrument: instrument.confirm(
            booking_id, by=by, at=self._now()))

    def decline_booking(self, booking_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(DeclineBooking, payload)
        return self._on_booking(booking_id, by, lambda instrument: instrument.decline(
            booking_id, command["reason"], by=by, at=self._now()))

    def cancel_booking(self, booking_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(CancelBooking, payload)
        return self._on_booking(booking_id, by, lambda instrument: instrument.cancel(
            booking_id, command["reason"], now=self.clock(), by=by, at=self._now()))

    def record_usage(self, booking_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(RecordUsage, payload)

        def record(instrument):
            booking = instrument.booking(booking_id)
            instrument.record_usage(
                booking_id, command["actual_start"] or datetime.fromisoformat(booking["start"]),
                command["actual_end"] or datetime.fromisoformat(booking["end"]), command["note"],
                now=self.clock(), by=by, at=self._now())
        return self._on_booking(booking_id, by, record)

    def _on_booking(self, booking_id: str, by: dict, change) -> dict:
        """A change of a booking by one of its parties: the enterprise that made it (cancel
        only) or the instrument's owner; to anyone else it does not exist."""
        found = self.read("SELECT instrument_id, institution_id, credit_code FROM {s}instrument_bookings "
                          "WHERE id = %s", str(booking_id))
        party = found and ((by["role"] == "institution" and found[0]["institution_id"] == by["subject"])
                           or (by["role"] == "enterprise" and found[0]["credit_code"] == by["subject"]))
        if not party:
            raise NotFound(f"no booking {booking_id}")
        instrument = self._retried(found[0]["instrument_id"], change)
        return booking_view(instrument, instrument.bookings[str(booking_id)])

    def bookings(self, query: dict, viewer: dict, station: dict | None = None) -> dict:
        """Bookings, newest slot first: an enterprise its own, an institution those of its
        instruments, a specialist their park's, supervisors and operators all."""
        command = self.load_command(ListBookings, query)
        scope = {"enterprise": {"credit_code": viewer["subject"]},
                 "institution": {"institution_id": viewer["subject"]},
                 "specialist": {"park": (station or {}).get("park", "")}}.get(viewer["role"], {})
        filters, values = equal(instrument_id=command["instrument_id"], status=command["status"], **scope)
        found, next_after = keyset_page(self.read, "instrument_bookings", filters, values,
                                        "-start_utc", command["after"], command["per_page"])
        return {"items": [json.loads(row["view"]) for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    # Utilisation -----------------------------------------------------------------------------
    def utilisation(self, query: dict, viewer: dict, station: dict | None = None) -> dict:
        """Used hours over the hours the owners' calendars were open, per instrument and in
        all, over local days ``from`` to ``to``: an institution its own, a specialist their
        park's. Usage counts on the day it began (the owner records what actually happened,
        which may differ from the slot booked); the calendar is the instrument's as it now
        stands."""
        command = self.load_command(UtilisationQuery, query)
        institution_id = str(command["institution_id"]) if command["institution_id"] else None
        park = command["park"]
        if viewer["role"] == "institution":
            institution_id = viewer["subject"]
        if viewer["role"] == "specialist":
            park = (station or {}).get("park", "")
        filters, values = equal(institution_id=institution_id, park=park)
        instruments = [json.loads(row["view"]) for row in self.read(
            "SELECT view FROM {s}instruments" + (" WHERE " + " AND ".join(filters) if filters else "")
            + " ORDER BY name, id", *values)]
        # Usage that began a day either side of the period in UTC; each is then kept by its
        # local day in its instrument's zone.
        used = self.read(
            "SELECT instrument_id, hours_used, view FROM {s}instrument_bookings WHERE status = 'used' "
            "AND used_from_utc >= %s AND used_from_utc < %s",
            instant(f"{command['start'] - timedelta(days=1)}T00:00:00+00:00"),
            instant(f"{command['end'] + timedelta(days=2)}T00:00:00+00:00"))
        lines = []
        for instrument in instruments:
            calendar = Calendar(instrument["calendar"])
            hours = sum(row["hours_used"] for row in used if row["instrument_id"] == instrument["id"]
                        and command["start"] <= datetime.fromisoformat(json.loads(row["view"])["usage"]["actual_start"])
                        .astimezone(calendar.zone).date() <= command["end"])
            lines.append(_utilisation(calendar.open_hours(command["start"], command["end"]), hours,
                                      instrument_id=instrument["id"], name=instrument["name"],
                                      institution_id=instrument["institution_id"]))
        total = _utilisation(sum(line["open_hours"] for line in lines),
                             sum(line["used_hours"] for line in lines))
        return {"from": command["start"].isoformat(), "to": command["end"].isoformat(),
                "institution_id": institution_id, "park": park, "instruments": lines, "total": total}

    # Saving ----------------------------------------------------------------------------------
    def _changed(self, instrument_id: str, by: dict, change) -> dict:
        """A change by the instrument's owner (or an operator)."""
        found = self.find(Instrument, instrument_id, "instrument")
        if by["role"] == "institution" and found.institution_id != by["subject"]:
            raise NotFound(f"no instrument {instrument_id}")
        if by["role"] not in ("institution", "operator"):
            raise Forbidden(f"a {by['role']} does not change instruments")
        return self._instrument_shown(self._retried(instrument_id, change), by)

    def _retried(self, instrument_id: str, change) -> Instrument:
        """Apply ``change`` to the instrument and save it; when another command saved it
        first (another booking, on this replica or another), apply it again to what was
        committed, so the rules judge the state that stands (a slot just taken is refused)."""
        for _ in range(ATTEMPTS):
            instrument = self.find(Instrument, instrument_id, "instrument")
            change(instrument)
            try:
                self.save(instrument)
                return instrument
            except IntegrityError:
                continue
        raise Conflict("the instrument kept changing while this request was handled; try again",
                       {"instrument_id": str(instrument_id)})


def _calendar(loaded: dict) -> dict:
    return {**loaded, "closed": sorted(day.isoformat() for day in loaded["closed"]),
            "weekly": {day: windows for day, windows in loaded["weekly"].items() if windows}}


def _utilisation(open_hours: float, used_hours: float, **about) -> dict:
    return {**about, "open_hours": round(open_hours, 2), "used_hours": round(used_hours, 2),
            "utilisation": round(used_hours / open_hours, 4) if open_hours else None}
