"""The gateway's routes of testing and certification (mixed into ``GatewayService``): the
institution's quote and samples, the enterprise's answer to the quote, and the register of
reports and certificates (docs/categories/testing-and-certification.md)."""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.http import route
from gateway.schemas import AssignmentRecordView, CursorPage, DemandView
from gateway.zones import shown
from shared.commands import (
    AcceptQuote, DeclineQuote, DisposeSample, GiveQuote, ReceiveSample, SearchReports)

EVERYONE = ("enterprise", "specialist", "institution", "supervisor", "operator")


class ReportEntry(Schema):
    number = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["report", "certificate"]})
    institution_id = fields.String(required=True)
    institution_name = fields.String(allow_none=True, required=True)
    issued_on = fields.String(allow_none=True, required=True, metadata={"format": "date"})
    valid_until = fields.String(allow_none=True, required=True, metadata={
        "format": "date", "description": "a certificate's end; null for a report"})
    scope = fields.String(allow_none=True, required=True)
    valid_today = fields.Boolean(required=True, metadata={"description": "by the platform's clock"})


class ReportPage(CursorPage):
    items = fields.List(fields.Nested(ReportEntry), required=True)


class QuoteRoutes:
    @route("POST", "/api/v1/assignments/<assignment_id>/quote", roles=("institution",),
           body=GiveQuote, response=AssignmentRecordView,
           summary="Quote for a testing or certification assignment (the total in yuan, the items "
                   "priced, valid until): work starts once the enterprise accepts it; a declined or "
                   "lapsed quote may be revised")
    def give_quote(self, request, principal, assignment_id, payload):
        return self._assignment_shown(
            self.matching.give_quote(assignment_id, payload, principal.as_actor()))

    @route("POST", "/api/v1/assignments/<assignment_id>/samples", roles=("institution",),
           body=ReceiveSample, response=AssignmentRecordView, status=201,
           summary="Record a sample received from the enterprise")
    def receive_sample(self, request, principal, assignment_id, payload):
        return self._assignment_shown(
            self.matching.receive_sample(assignment_id, payload, principal.as_actor()))

    @route("POST", "/api/v1/assignments/<assignment_id>/samples/<sample_id>/disposition",
           roles=("institution",), body=DisposeSample, response=AssignmentRecordView,
           summary="Record a sample returned to the enterprise or disposed of")
    def dispose_sample(self, request, principal, assignment_id, sample_id, payload):
        return self._assignment_shown(self.matching.dispose_sample(
            assignment_id, sample_id, payload, principal.as_actor()))

    @route("POST", "/api/v1/demands/<demand_id>/quote/acceptance", roles=("enterprise",),
           body=AcceptQuote, response=DemandView,
           summary="Accept the institution's quote for your demand: the work starts")
    def accept_quote(self, request, principal, demand_id, payload):
        return self._quote_answered(principal, demand_id, self.matching.accept_quote, payload)

    @route("POST", "/api/v1/demands/<demand_id>/quote/decline", roles=("enterprise",),
           body=DeclineQuote, response=DemandView,
           summary="Decline the institution's quote for your demand, saying why: it may give a "
                   "revised one")
    def decline_quote(self, request, principal, demand_id, payload):
        return self._quote_answered(principal, demand_id, self.matching.decline_quote, payload)

    def _quote_answered(self, principal, demand_id, answer, payload) -> dict:
        demand = self.intake.get_demand(demand_id, principal.as_actor())  # its own demands only
        answer(demand_id, payload, principal.as_actor())
        if demand["assignment"]:
            demand["institution"] = self.matching.serving(
                demand["assignment"]["assignment_id"], demand["category"], demand["items"])
        return shown(demand, {})

    @route("GET", "/api/v1/reports", roles=EVERYONE, query=SearchReports, response=ReportPage,
           summary="Find a report or certificate by its number (or the number's beginning): its "
                   "kind, issuer, dates and whether it is valid today, never the enterprise or its "
                   "files; specialists and supervisors also by institution and validity")
    def search_reports(self, request, principal, query):
        return self.matching.search_reports(query, principal.as_actor())
