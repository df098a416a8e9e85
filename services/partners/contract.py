"""The public contract for institutions' systems: integration events, distinct from the
platform's internal events, each versioned, with the least personal data that serves.

Every message is an envelope::

    {"event_id": "<uuid>", "event": "offer.made", "schema_version": 1,
     "occurred_at": "<ISO 8601>", "institution_id": "<uuid>", "data": {...}}

An enterprise's name and contact reach an institution only once the case is its own
(``assignment.started``), or with the booking it made of the institution's instrument
(``booking.requested``); an offer says what is asked, where and by when, never by whom.
docs/partners/ holds the JSON Schema of each version (generated from these schemas) and the
changelog; a version stays published beside its successor for DEPRECATION_DAYS.
"""
from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema, fields

from shared.contracts.values import category_field

#: How long an old schema version keeps being published beside its successor.
DEPRECATION_DAYS = 180


@dataclass(frozen=True)
class PartnerEvent:
    name: str
    version: int
    schema: type[Schema]
    summary: str


class _Assignment(Schema):
    assignment_id = fields.UUID(required=True)
    demand_id = fields.UUID(required=True)


class OfferMade(_Assignment):
    category = category_field(required=True)
    items = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    respond_by = fields.String(required=True, metadata={"description": "answer by then or it expires"})


class OfferClosed(_Assignment):
    outcome = fields.String(required=True, metadata={
        "enum": ["expired", "declined", "withdrawn"],
        "description": "expired: no answer in time; declined: you declined; withdrawn: the "
                       "demand was withdrawn, reassessed or cancelled"})


class EnterpriseContact(Schema):
    name = fields.String(required=True)
    credit_code = fields.String(required=True)
    contact = fields.String(required=True)
    phone = fields.String(required=True)


class AssignmentStarted(_Assignment):
    category = category_field(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    items = fields.List(fields.String(), required=True)
    promised_date = fields.Date(allow_none=True, required=True)
    enterprise = fields.Nested(EnterpriseContact, required=True)


class AssignmentCancelled(_Assignment):
    reason = fields.String(required=True)


class AssignmentCompleted(_Assignment):
    completed_at = fields.String(required=True)


class FeedbackReceived(_Assignment):
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={
        "description": "overall, timeliness, professionalism, attitude, outcome: 1 to 5"})
    comment = fields.String(allow_none=True, required=True)


class StandingChanged(Schema):
    status = fields.String(required=True, metadata={
        "enum": ["active", "rejected", "suspended", "exited"]})
    reason = fields.String(required=True)


class QualificationExpiring(Schema):
    number = fields.String(required=True)
    type = fields.String(required=True)
    valid_until = fields.String(required=True)
    expired = fields.Boolean(required=True)


class _Booking(Schema):
    instrument_id = fields.UUID(required=True)
    booking_id = fields.UUID(required=True)


class BookingRequested(_Booking):
    start = fields.String(required=True, metadata={"description": "ISO 8601, in the instrument's time zone"})
    end = fields.String(required=True)
    purpose = fields.String(required=True)
    enterprise = fields.Nested(EnterpriseContact, required=True, metadata={
        "description": "who booked your instrument (the booking is made with you)"})


class BookingCancelled(_Booking):
    reason = fields.String(required=True)
class StandardProjectOpened(_Assignment):
    standard_project_id = fields.UUID(required=True)
    kind = fields.String(required=True, metadata={
        "description": "enterprise, group, local, industry or national standard"})
    title = fields.String(required=True)
    planned_number = fields.String(allow_none=True, required=True)
class QuoteAnswered(_Assignment):
    revision = fields.Integer(required=True, metadata={"description": "which of your quotes"})
    amount = fields.String(required=True, metadata={"description": "its total in yuan, exact decimal text"})
    reason = fields.String(allow_none=True, required=True, metadata={
        "description": "why the enterprise declined it (null when accepted)"})


class HallOpened(Schema):
    """A demand in the hall: what is asked, where and until when; never by whom."""
    demand_id = fields.UUID(required=True)
    category = category_field(required=True)
    items = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    expected_by = fields.Date(allow_none=True, required=True)
    closes_at = fields.String(required=True, metadata={
        "description": "express interest before then (POST /api/v1/hall/{demand_id}/interest)"})


EVENTS = {e.name: e for e in (
    PartnerEvent("offer.made", 1, OfferMade,
                 "Matching offers you a demand; accept or decline by respond_by."),
    PartnerEvent("offer.closed", 1, OfferClosed,
                 "An offer to you ended without an assignment."),
    PartnerEvent("assignment.started", 1, AssignmentStarted,
                 "The service is yours: what is asked, and the enterprise to contact."),
    PartnerEvent("assignment.cancelled", 1, AssignmentCancelled,
                 "The enterprise cancelled the service; your capacity is free again."),
    PartnerEvent("assignment.completed", 1, AssignmentCompleted,
                 "The station recorded your completion; the case is closed."),
    PartnerEvent("feedback.received", 1, FeedbackReceived,
                 "The enterprise rated your service (or a specialist recorded it on a revisit)."),
    PartnerEvent("standing.changed", 1, StandingChanged,
                 "Your standing on the platform changed (reviewed, suspended, reinstated, exited)."),
    PartnerEvent("qualification.expiring", 1, QualificationExpiring,
                 "One of your qualifications expires soon (or expired)."),
    PartnerEvent("booking.requested", 1, BookingRequested,
                 "An enterprise booked a slot of one of your shared instruments; confirm or decline it."),
    PartnerEvent("booking.cancelled", 1, BookingCancelled,
                 "The enterprise cancelled its booking of your instrument; the slot is free again."),
    PartnerEvent("standard_project.opened", 1, StandardProjectOpened,
                 "The station opened the standard project of a standardisation demand you serve: "
                 "complete its stages, each with its documents."),
    PartnerEvent("hall.opened", 1, HallOpened,
                 "A demand you are eligible for opened in a station's demand hall; express "
                 "interest before closes_at."),
    PartnerEvent("quote.accepted", 1, QuoteAnswered,
                 "The enterprise accepted your quote: the work may start."),
    PartnerEvent("quote.declined", 1, QuoteAnswered,
                 "The enterprise declined your quote, saying why; you may give a revised one."),
)}

_SCHEMAS: dict[str, Schema] = {}


def dump(event: str, values: dict) -> dict:
    schema = _SCHEMAS.get(event) or _SCHEMAS.setdefault(event, EVENTS[event].schema())
    return schema.dump(values)


def envelope(event_id: str, event: str, occurred_at: str, institution_id: str, data: dict) -> dict:
    return {"event_id": event_id, "event": event, "schema_version": EVENTS[event].version,
            "occurred_at": occurred_at, "institution_id": institution_id, "data": data}


def routing_key(institution_id: str, event: str) -> str:
    return f"inst.{institution_id}.{event}"
