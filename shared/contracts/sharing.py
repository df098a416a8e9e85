"""Events matching publishes about shared instruments and their bookings (设备共享)."""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema


class FeeSchema(Schema):
    amount_cny = fields.String(required=True, metadata={"description": "exact, in yuan"})
    unit = fields.String(required=True, metadata={"enum": ["per_hour", "per_sample"]})
    note = fields.String(allow_none=True, required=True)


class CalendarSchema(Schema):
    timezone = fields.String(required=True)
    weekly = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True,
                         metadata={"description": "opening windows (HH:MM-HH:MM) per weekday"})
    closed = fields.List(fields.String(), required=True, metadata={"description": "closed dates"})
    slot_minutes = fields.Integer(required=True)


class _InstrumentEvent(Schema):
    instrument_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


@contract("SharedInstrumentListed", producer="matching", subject="instrument_id",
          summary="An institution offered an instrument for booking, with its calendar and fees.")
class SharedInstrumentListed(_InstrumentEvent):
    institution_id = fields.String(required=True)
    code = fields.String(required=True, metadata={"description": "the owner's own code for it"})
    name = fields.String(required=True)
    model = fields.String(allow_none=True, required=True)
    capabilities = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    address = fields.String(required=True)
    fees = fields.List(fields.Nested(FeeSchema), required=True)
    calendar = fields.Nested(CalendarSchema, required=True)


@contract("SharedInstrumentChanged", producer="matching", subject="instrument_id",
          summary="An instrument's description, fees or calendar changed (bookings keep their slots).")
class SharedInstrumentChanged(_InstrumentEvent):
    changes = fields.Dict(required=True, metadata={
        "description": "the fields changed: name, model, capabilities, address, fees, calendar"})
    reason = fields.String(required=True)


@contract("SharedInstrumentWithdrawn", producer="matching", subject="instrument_id",
          summary="The owner withdrew an instrument; it takes no more bookings.")
class SharedInstrumentWithdrawn(_InstrumentEvent):
    reason = fields.String(required=True)


class _BookingEvent(_InstrumentEvent):
    booking_id = fields.String(required=True)
    institution_id = fields.String(required=True, metadata={"description": "the owner"})
    instrument_name = fields.String(required=True, metadata={"description": "as it was then"})


class BookingEnterprise(Schema):
    credit_code = fields.String(required=True)
    name = fields.String(required=True)
    contact = fields.String(required=True)
    phone = fields.String(allow_none=True, required=True)
    person = fields.String(allow_none=True, required=True, metadata={"description": "who booked, signed in"})


@contract("SlotBooked", producer="matching", subject="instrument_id",
          summary="An enterprise booked a slot of an instrument; it awaits the owner's confirmation.")
class SlotBooked(_BookingEvent):
    enterprise = fields.Nested(BookingEnterprise, required=True)
    start = fields.String(required=True)
    end = fields.String(required=True)
    purpose = fields.String(required=True)


class _BookingChange(_BookingEvent):
    credit_code = fields.String(required=True, metadata={"description": "the enterprise that booked"})
    start = fields.String(required=True, metadata={"description": "the slot booked"})


@contract("BookingConfirmed", producer="matching", subject="instrument_id",
          summary="The owner confirmed a booking.")
class BookingConfirmed(_BookingChange):
    pass


@contract("BookingDeclined", producer="matching", subject="instrument_id",
          summary="The owner declined a booking, with the reason; the slot is free again.")
class BookingDeclined(_BookingChange):
    reason = fields.String(required=True)


@contract("BookingCancelled", producer="matching", subject="instrument_id",
          summary="The enterprise (before the slot began) or the owner cancelled a booking; the "
                  "slot is free again.")
class BookingCancelled(_BookingChange):
    reason = fields.String(required=True)


class UsageSchema(Schema):
    actual_start = fields.String(required=True)
    actual_end = fields.String(required=True)
    hours = fields.Float(required=True)
    note = fields.String(allow_none=True, required=True)


@contract("UsageRecorded", producer="matching", subject="instrument_id",
          summary="The owner recorded what a confirmed booking actually used; its hours count "
                  "towards the instrument's utilisation.")
class UsageRecorded(_BookingChange):
    usage = fields.Nested(UsageSchema, required=True)
