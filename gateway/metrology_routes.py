"""The gateway's routes for metrology (mixed into ``GatewayService``): the enterprise's register
of measuring instruments with their due dates, and the demand one click makes of a reminder
(docs/categories/metrology.md). The enterprise keeps its register; the specialists of its park's
station read it and may make the demand for it; supervisors read every register."""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.schemas import CursorPage, DemandView
from gateway.zones import shown
from shared.commands import (
    ChangeInstrument, ListInstrumentRegisters, OpenInstrumentRegister, ReadInstrumentRegister,
    RegisterInstrument, RequestVerification, RetireInstrument)
from shared.contracts.metrology import CertificateSchema
from shared.contracts.values import ActorSchema, EnterpriseSchema
from shared.errors import NotFound
from gateway.http import route

READERS = ("enterprise", "specialist", "supervisor", "operator")
DUE = ("overdue", "due_soon", "ok")


class ShownCertificate(CertificateSchema):
    institution_name = fields.String(allow_none=True, metadata={
        "description": "the serving institution's current name, for a certificate recorded at a completion"})


class Retirement(Schema):
    reason = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


class InstrumentView(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    model = fields.String(allow_none=True, required=True)
    serial_number = fields.String(required=True)
    location = fields.String(allow_none=True, required=True)
    mandatory = fields.Boolean(required=True, metadata={"description": "mandatory verification (强制检定)"})
    interval_months = fields.Integer(required=True)
    last_certificate = fields.Nested(ShownCertificate, allow_none=True, required=True)
    certificates = fields.List(fields.Nested(ShownCertificate), required=True, metadata={
        "description": "those recorded at completions, oldest first"})
    next_due = fields.String(required=True, metadata={"description": "YYYY-MM-DD, in the station's days"})
    due = fields.String(allow_none=True, required=True, metadata={
        "enum": list(DUE), "description": "null for a retired instrument"})
    days_left = fields.Integer(required=True, metadata={"description": "negative: overdue by so many days"})
    state = fields.String(required=True, metadata={"enum": ["in_use", "retired"]})
    retirement = fields.Nested(Retirement, allow_none=True, required=True)
    open_demand = fields.String(allow_none=True, required=True, metadata={
        "description": "the demand it asked for, while that demand is open"})
    reminded_for = fields.String(allow_none=True, required=True, metadata={
        "description": "the due date the last reminder was about"})
    registered_on = fields.String(required=True)
    registered_at = fields.String(required=True)


class RegisterListing(Schema):
    id = fields.String(required=True)
    enterprise = fields.Nested(EnterpriseSchema, required=True)
    park = fields.String(required=True)
    instruments_in_use = fields.Integer(required=True)
    next_due = fields.String(allow_none=True, required=True, metadata={"description": "the earliest of those in use"})


class RegisterView(RegisterListing):
    opened_at = fields.String(required=True)
    today = fields.String(required=True, metadata={"description": "the station's day the badges are judged on"})
    reminder_days = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    due_soon = fields.Integer(required=True)
    time_zone = fields.String(required=True)
    instruments = fields.List(fields.Nested(InstrumentView), required=True)


class RegisterPage(CursorPage):
    items = fields.List(fields.Nested(RegisterListing), required=True)


class MetrologyRoutes:
    @route("PUT", "/api/v1/metrology/register", roles=("enterprise",), body=OpenInstrumentRegister,
           response=RegisterView,
           summary="Open your register of measuring instruments (again: change its contact or park)")
    def open_instrument_register(self, request, principal, payload):
        return self._register_shown(self.intake.open_instrument_register(payload, principal.as_actor()), {})

    @route("GET", "/api/v1/metrology/register", roles=READERS, query=ReadInstrumentRegister,
           response=RegisterView,
           summary="An enterprise's register with each instrument's due badge (overdue, due_soon "
                   "within the reminder days, ok), sorted by next due date; staff name the "
                   "enterprise (a specialist reads those of its station's park)")
    def instrument_register(self, request, principal, query):
        return self._register_shown(self.intake.instrument_register(query, principal.as_actor()), query)

    @route("GET", "/api/v1/metrology/registers", roles=("specialist", "supervisor", "operator"),
           query=ListInstrumentRegisters, response=RegisterPage,
           summary="The instrument registers, a page at a time by enterprise name (a specialist: "
                   "its station's park's)")
    def list_instrument_registers(self, request, principal, query):
        return self.intake.list_instrument_registers(query, principal.as_actor())

    @route("POST", "/api/v1/metrology/instruments", roles=("enterprise",), body=RegisterInstrument,
           response=RegisterView, status=201,
           summary="Register a measuring instrument: mandatory verification or calibration by "
                   "choice, its interval and last certificate (its next due date follows)")
    def register_instrument(self, request, principal, payload):
        return self._register_shown(self.intake.register_instrument(payload, principal.as_actor()), {})

    @route("PATCH", "/api/v1/metrology/instruments/<instrument_id>", roles=("enterprise",),
           body=ChangeInstrument, response=RegisterView,
           summary="Change an instrument's details, with the reason")
    def change_instrument(self, request, principal, instrument_id, payload):
        return self._register_shown(
            self.intake.change_instrument(instrument_id, payload, principal.as_actor()), {})

    @route("POST", "/api/v1/metrology/instruments/<instrument_id>/retirement", roles=("enterprise",),
           body=RetireInstrument, response=RegisterView,
           summary="Retire an instrument, with the reason: no more reminders or demands for it")
    def retire_instrument(self, request, principal, instrument_id, payload):
        return self._register_shown(
            self.intake.retire_instrument(instrument_id, payload, principal.as_actor()), {})

    @route("POST", "/api/v1/metrology/instruments/<instrument_id>/demand",
           roles=("enterprise", "specialist"), body=RequestVerification, response=DemandView,
           status=201,
           summary="One click: the demand for the instrument's verification (mandatory) or "
                   "calibration, written from the register; 409 while its last one is open, "
                   "or for a retired instrument")
    def request_verification(self, request, principal, instrument_id, payload):
        demand = self.intake.request_verification(instrument_id, payload, principal.as_actor())
        return shown(demand, {})

    def _register_shown(self, register: dict, query: dict) -> dict:
        """The register with the current names of the institutions that served it."""
        names: dict[str, str | None] = {}
        for instrument in register["instruments"]:
            for certificate in [instrument["last_certificate"], *instrument["certificates"]]:
                institution_id = (certificate or {}).get("institution_id")
                if institution_id is None:
                    continue
                if institution_id not in names:
                    try:
                        names[institution_id] = self.matching.get_institution(institution_id)["name"]
                    except NotFound:
                        names[institution_id] = None
                certificate["institution_name"] = names[institution_id]
        return shown(register, query)
