"""The gateway's routes for the demand hall (需求大厅), mixed into ``GatewayService``: open
demands without who asks, the interest institutions express in them, and a station closing
one early (docs/categories/demand-hall.md)."""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.http import route
from gateway.schemas import CursorPage, time_zone_field
from gateway.zones import in_station_zone
from shared.commands import AsShown, ExpressInterest, ListHall

READERS = ("institution", "specialist", "supervisor")


class InterestView(Schema):
    institution_id = fields.String(required=True)
    name = fields.String(allow_none=True, metadata={"description": "staff only"})
    note = fields.String(required=True)
    proposed_date = fields.String(allow_none=True, required=True)
    at = fields.String(required=True)


class HallRequest(Schema):
    """What the hall shows of the request: never the enterprise, its contact or its files."""
    title = fields.String(required=True)
    description = fields.String(required=True)
    sub_items = fields.List(fields.String(), required=True)
    station_id = fields.String(required=True)
    station = fields.String(allow_none=True, required=True)
    submitted_at = fields.String(required=True)


class HallEntryView(Schema):
    demand_id = fields.String(required=True)
    category = fields.String(required=True)
    items = fields.List(fields.String(), required=True)
    park = fields.String(required=True)
    expected_by = fields.String(allow_none=True, required=True)
    round = fields.Integer(required=True)
    opened_at = fields.String(required=True)
    closes_at = fields.String(required=True)
    open = fields.Boolean(required=True)
    closed_at = fields.String(allow_none=True, required=True)
    closed_because = fields.String(allow_none=True, required=True)
    seconds_left = fields.Integer(required=True, metadata={"description": "until the hall closes"})
    interest_count = fields.Integer(required=True, metadata={"description": "how many expressed interest"})
    my_interest = fields.Nested(InterestView, allow_none=True, metadata={
        "description": "an institution: its own interest, if it expressed one"})
    exclusion = fields.String(allow_none=True, metadata={
        "description": "an institution: why it may not express interest now (Chinese), or null"})
    interests = fields.List(fields.Nested(InterestView), metadata={
        "description": "staff: who expressed interest, in order"})
    request = fields.Nested(HallRequest, allow_none=True, required=True)
    time_zone = time_zone_field()


class HallPage(CursorPage):
    items = fields.List(fields.Nested(HallEntryView), required=True)


class HallRoutes:
    @route("GET", "/api/v1/hall", roles=READERS, query=ListHall, response=HallPage,
           summary="The demand hall: open demands, soonest closing first, without who asks; an "
                   "institution sees those of the categories and parks it serves, a specialist "
                   "their station's, a supervisor all")
    def list_hall(self, request, principal, query):
        page = self.matching.hall(query, principal.as_actor(), self._station(principal))
        return {**page, "items": self._hall_shown(page["items"], query)}

    @route("GET", "/api/v1/hall/<demand_id>", roles=READERS, query=AsShown, response=HallEntryView,
           summary="One demand of the hall (an institution: while it is open)")
    def get_hall_demand(self, request, principal, demand_id, query):
        entry = self.matching.hall_demand(demand_id, principal.as_actor(), self._station(principal))
        return self._hall_shown([entry], query)[0]

    @route("POST", "/api/v1/hall/<demand_id>/interest", roles=("institution",), body=ExpressInterest,
           response=HallEntryView, status=201,
           summary="Express interest in a demand of the hall, with a note (and a date you could "
                   "deliver by); refused (409) with the reason if you do not meet its hard "
                   "constraints, twice, or once the hall closed")
    def express_interest(self, request, principal, demand_id, payload):
        return self._hall_shown([self.matching.express_interest(demand_id, payload, principal.as_actor())])[0]

    @route("POST", "/api/v1/hall/<demand_id>/interest/withdrawal", roles=("institution",),
           response=HallEntryView, summary="Withdraw your interest before the hall closes")
    def withdraw_interest(self, request, principal, demand_id):
        return self._hall_shown([self.matching.withdraw_interest(demand_id, principal.as_actor())])[0]

    @route("POST", "/api/v1/hall/<demand_id>/closing", roles=("specialist", "supervisor"),
           response=HallEntryView,
           summary="Close a demand's time in the hall early (its station's specialist or a "
                   "supervisor): matching decides now, with the interest expressed so far")
    def close_hall(self, request, principal, demand_id):
        self.intake.get_demand(demand_id, principal.as_actor())  # a specialist: own station's only
        closed = self.matching.close_hall(demand_id, principal.as_actor(), self._station(principal))
        return self._hall_shown([closed])[0]

    def _hall_shown(self, entries: list[dict], query: dict | None = None) -> list[dict]:
        """Each entry with its request's text from intake (one read for the page) and its
        instants where its station is."""
        asked = self.intake.hall_requests(sorted({entry["demand_id"] for entry in entries}))
        return [in_station_zone(self, {**entry, "request": asked.get(entry["demand_id"])}, query,
                                park=entry["park"]) for entry in entries]
