"""The gateway's routes for equipment sharing (设备共享), mixed into ``GatewayService``: instruments
institutions offer, bookings of their slots, and utilisation (services/matching/sharing.py).

A booking that overlaps a slot already held answers 409 with the code ``slot_taken`` and the
clashing slot (never who holds it); a slot outside the owner's calendar answers 422 naming
``slot``, ``start`` or ``end``."""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.errors import ApiError
from gateway.http import route
from gateway.schemas import ActorView, CursorPage
from shared.commands import (
    BookSlot, CancelBooking, ChangeSharedInstrument, DeclineBooking, ListBookings, ListInstrument,
    ListInstruments, RecordUsage, UtilisationQuery, WithdrawInstrument)
from shared.errors import Conflict

EVERYONE = ("enterprise", "institution", "specialist", "supervisor", "operator")
OWNERS = ("institution", "operator")


class FeeView(Schema):
    amount_cny = fields.String(required=True, metadata={"description": "exact, in yuan; the station never bills"})
    unit = fields.String(required=True, metadata={"enum": ["per_hour", "per_sample"]})
    note = fields.String(allow_none=True, required=True)


class CalendarView(Schema):
    timezone = fields.String(required=True)
    weekly = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True,
                         metadata={"description": "opening windows (HH:MM-HH:MM) per weekday"})
    closed = fields.List(fields.String(), required=True)
    slot_minutes = fields.Integer(required=True)


class TakenSlotView(Schema):
    start = fields.String(required=True)
    end = fields.String(required=True)
    mine = fields.Boolean(required=True, metadata={"description": "booked by the enterprise asking"})


class SharedInstrumentView(Schema):
    id = fields.String(required=True)
    institution_id = fields.String(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    model = fields.String(allow_none=True, required=True)
    capabilities = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    address = fields.String(required=True)
    fees = fields.List(fields.Nested(FeeView), required=True)
    calendar = fields.Nested(CalendarView, required=True)
    status = fields.String(required=True, metadata={"enum": ["listed", "withdrawn"]})
    listed_at = fields.String(required=True)


class SharedInstrumentDetailView(SharedInstrumentView):
    taken = fields.List(fields.Nested(TakenSlotView), required=True, metadata={
        "description": "slots held by requested or confirmed bookings, from now on (never by whom)"})


class InstrumentPage(CursorPage):
    items = fields.List(fields.Nested(SharedInstrumentView), required=True)


class BookingEnterpriseView(Schema):
    credit_code = fields.String(required=True)
    name = fields.String(required=True)
    contact = fields.String(required=True)
    phone = fields.String(allow_none=True, required=True)


class UsageView(Schema):
    actual_start = fields.String(required=True)
    actual_end = fields.String(required=True)
    hours = fields.Float(required=True)
    note = fields.String(allow_none=True, required=True)


class BookingStepView(Schema):
    status = fields.String(required=True)
    by = fields.Nested(ActorView, required=True)
    at = fields.String(required=True)


class BookingView(Schema):
    id = fields.String(required=True)
    instrument_id = fields.String(required=True)
    instrument_name = fields.String(required=True)
    institution_id = fields.String(required=True)
    park = fields.String(required=True)
    enterprise = fields.Nested(BookingEnterpriseView, required=True)
    start = fields.String(required=True)
    end = fields.String(required=True)
    purpose = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "enum": ["requested", "confirmed", "declined", "cancelled", "used"]})
    reason = fields.String(allow_none=True, required=True, metadata={"description": "why declined or cancelled"})
    usage = fields.Nested(UsageView, allow_none=True, required=True)
    booked_at = fields.String(required=True)
    history = fields.List(fields.Nested(BookingStepView), required=True)


class BookingPage(CursorPage):
    items = fields.List(fields.Nested(BookingView), required=True)


class UtilisationLine(Schema):
    open_hours = fields.Float(required=True, metadata={"description": "hours the owner's calendar was open"})
    used_hours = fields.Float(required=True, metadata={"description": "hours of recorded usage"})
    utilisation = fields.Float(allow_none=True, required=True, metadata={
        "description": "used ÷ open hours; null when the calendar was never open"})


class InstrumentUtilisation(UtilisationLine):
    instrument_id = fields.String(required=True)
    name = fields.String(required=True)
    institution_id = fields.String(required=True)


class UtilisationView(Schema):
    start = fields.String(required=True, attribute="from", data_key="from", metadata={"description": "first local day"})
    end = fields.String(required=True, attribute="to", data_key="to", metadata={"description": "last local day"})
    institution_id = fields.String(allow_none=True, required=True)
    park = fields.String(allow_none=True, required=True)
    instruments = fields.List(fields.Nested(InstrumentUtilisation), required=True)
    total = fields.Nested(UtilisationLine, required=True)


class SharingRoutes:
    @route("GET", "/api/v1/instruments", roles=EVERYONE, query=ListInstruments, response=InstrumentPage,
           summary="Search shared instruments by park, capability (any part of a capability, the "
                   "name or the model, 中文 too) and owner, a page at a time by name")
    def search_instruments(self, request, principal, query):
        return self.matching.search_instruments(query, principal.as_actor())

    @route("POST", "/api/v1/instruments", roles=OWNERS, body=ListInstrument,
           response=SharedInstrumentDetailView, status=201,
           summary="Offer an instrument for booking, with its capabilities, location, fees and "
                   "calendar: an institution its own (in a park it serves), an operator for one")
    def list_instrument(self, request, principal, payload):
        return self.matching.list_instrument(payload, principal.as_actor())

    @route("GET", "/api/v1/instruments/utilisation", roles=("institution", "specialist", "supervisor", "operator"),
           query=UtilisationQuery, response=UtilisationView,
           summary="Utilisation over local days from..to: used hours ÷ the hours the owner's "
                   "calendar was open, per instrument and in all; an institution its own, a "
                   "specialist their park's")
    def instrument_utilisation(self, request, principal, query):
        return self.matching.instrument_utilisation(query, principal.as_actor(), self._station(principal))

    @route("GET", "/api/v1/instruments/<instrument_id>", roles=EVERYONE, response=SharedInstrumentDetailView,
           summary="Read an instrument with its calendar and the slots taken from now on (an "
                   "enterprise learns which are its own, never who holds the others)")
    def get_instrument(self, request, principal, instrument_id):
        return self.matching.get_instrument(instrument_id, principal.as_actor())

    @route("PATCH", "/api/v1/instruments/<instrument_id>", roles=OWNERS, body=ChangeSharedInstrument,
           response=SharedInstrumentDetailView,
           summary="Change an instrument's description, fees or calendar, with the reason (its "
                   "owner, or an operator); bookings already made keep their slots")
    def change_shared_instrument(self, request, principal, instrument_id, payload):
        return self.matching.change_instrument(instrument_id, payload, principal.as_actor())

    @route("POST", "/api/v1/instruments/<instrument_id>/withdrawal", roles=OWNERS, body=WithdrawInstrument,
           response=SharedInstrumentDetailView,
           summary="Withdraw an instrument, with the reason, once no booking of it is open")
    def withdraw_instrument(self, request, principal, instrument_id, payload):
        return self.matching.withdraw_instrument(instrument_id, payload, principal.as_actor())

    @route("POST", "/api/v1/instruments/<instrument_id>/bookings", roles=("enterprise",), body=BookSlot,
           response=BookingView, status=201,
           summary="Book a slot (the enterprise of the token): it must lie in one opening window "
                   "of the owner's calendar, in whole smallest slots, not in the past (422 naming "
                   "slot, start or end), and overlap no requested or confirmed booking (409 "
                   "slot_taken, with the slot taken)")
    def book_slot(self, request, principal, instrument_id, payload):
        try:
            return self.matching.book_slot(instrument_id, payload, principal.as_actor())
        except Conflict as refused:
            if refused.details.get("reason") != "slot_taken":
                raise
            raise ApiError(409, "slot_taken", refused.args[0], {
                "slot": {"start": refused.details["taken_start"], "end": refused.details["taken_end"]}}) from None

    @route("GET", "/api/v1/bookings", roles=EVERYONE, query=ListBookings, response=BookingPage,
           summary="Bookings, latest slot first: an enterprise its own, an institution those of "
                   "its instruments, a specialist their park's, supervisors and operators all")
    def list_bookings(self, request, principal, query):
        return self.matching.list_bookings(query, principal.as_actor(), self._station(principal))

    @route("POST", "/api/v1/bookings/<booking_id>/confirmation", roles=("institution",), response=BookingView,
           answers=(409,),
           summary="Confirm a requested booking of one of your instruments")
    def confirm_booking(self, request, principal, booking_id):
        return self.matching.confirm_booking(booking_id, principal.as_actor())

    @route("POST", "/api/v1/bookings/<booking_id>/decline", roles=("institution",), body=DeclineBooking,
           response=BookingView, summary="Decline a requested booking, with the reason")
    def decline_booking(self, request, principal, booking_id, payload):
        return self.matching.decline_booking(booking_id, payload, principal.as_actor())

    @route("POST", "/api/v1/bookings/<booking_id>/cancellation", roles=("enterprise", "institution"),
           body=CancelBooking, response=BookingView,
           summary="Cancel a booking, with the reason: the enterprise its own before the slot "
                   "begins, the owner any not yet used")
    def cancel_booking(self, request, principal, booking_id, payload):
        return self.matching.cancel_booking(booking_id, payload, principal.as_actor())

    @route("POST", "/api/v1/bookings/<booking_id>/usage", roles=("institution",), body=RecordUsage,
           response=BookingView,
           summary="Record what a confirmed booking used (the booked slot unless said), once it "
                   "has begun; its hours count towards utilisation")
    def record_usage(self, request, principal, booking_id, payload):
        return self.matching.record_usage(booking_id, payload, principal.as_actor())
