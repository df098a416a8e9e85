"""The gateway's routes for operators: the notifications each service set aside after they
failed every try, and their replay once the cause is fixed (``onestop deadletters`` calls these).

Mixed into ``GatewayService``, which has an RPC proxy named after each following service.
"""
from __future__ import annotations

from typing import Callable

from marshmallow import Schema, fields

from gateway.http import route
from gateway.schemas import CursorPage
from shared.commands import FOLLOWERS, ListDeadLetters, ReplayDeadLetters, load_command
from shared.errors import Invalid
from shared.field_messages import said
from shared.readmodel import cursor, cursor_position

OPERATOR = ("operator",)


class DeadLetterView(Schema):
    service = fields.String(required=True, metadata={"description": "the service that set it aside"})
    upstream = fields.String(required=True)
    notification_id = fields.Integer(required=True)
    event = fields.String(required=True)
    error = fields.String(required=True, metadata={"description": "the last try's error"})
    replayed = fields.Boolean(required=True)


class DeadLetterPage(CursorPage):
    items = fields.List(fields.Nested(DeadLetterView), required=True)


class ReplayOutcome(Schema):
    service = fields.String(required=True)
    upstream = fields.String(required=True)
    notification_id = fields.Integer(required=True)
    event = fields.String(required=True)
    outcome = fields.String(required=True, metadata={"enum": ["replayed", "failed"]})
    error = fields.String(allow_none=True, required=True, metadata={
        "description": "why it failed again (it stays set aside)"})


class ReplayReport(Schema):
    items = fields.List(fields.Nested(ReplayOutcome), required=True)


class DeadLetterRoutes:
    @route("GET", "/api/v1/dead-letters", roles=OPERATOR, query=ListDeadLetters,
           response=DeadLetterPage,
           summary="The notifications the services set aside after they failed every try, by "
                   "service, upstream and notification id, paged by cursor")
    def list_dead_letters(self, request, principal, query):
        chosen = load_command(ListDeadLetters, query)
        return letters_page(lambda service, *asked: getattr(self, service).dead_letters(*asked),
                            [chosen["service"]] if chosen["service"] else list(FOLLOWERS),
                            chosen["after"], chosen["per_page"], chosen["replayed"])

    @route("POST", "/api/v1/dead-letters/replay", roles=OPERATOR, body=ReplayDeadLetters,
           response=ReplayReport,
           summary="Apply again, after a fix, the dead letters not replayed yet; one that fails "
                   "again stays set aside")
    def replay_dead_letters(self, request, principal, payload):
        chosen = load_command(ReplayDeadLetters, payload)
        services = [chosen["service"]] if chosen["service"] else FOLLOWERS
        return {"items": [
            {"service": service, **outcome} for service in services
            for outcome in getattr(self, service).replay_dead_letters(
                principal.subject, chosen["upstream"], chosen["notification_id"])]}


def letters_page(ask: Callable[..., list[dict]], services: list[str], after: str | None,
                 per_page: int, replayed: bool | None) -> dict:
    """One page of the letters of ``services``, in that order and then by upstream and
    notification id. ``ask(service, after, limit, replayed)`` is a service's own page; each
    service is asked at most once, for what the page still lacks and one more (to know whether
    a next page exists)."""
    first, key = _letter_position(after, services)
    items = []
    for service in services[services.index(first):]:
        found = ask(service, key if service == first else None, per_page + 1 - len(items), replayed)
        items += [{"service": service, **letter} for letter in found]
        if len(items) > per_page:
            break
    last = items[per_page - 1] if len(items) > per_page else None
    return {"items": items[:per_page], "per_page": per_page, "next_after": last and cursor(
        last["service"], f"{last['upstream']}:{last['notification_id']}")}


def _letter_position(after: str | None, services: list[str]) -> tuple[str, list | None]:
    """The service a page starts in and the (upstream, notification id) it starts after."""
    if after is None:
        return services[0], None
    service, key = cursor_position(after)
    upstream, _, number = key.rpartition(":")
    if service not in services or not upstream or not number.isdigit():
        raise Invalid("after must be a cursor this list returned as next_after",
                      {"after": [said("not_a_cursor")]})
    return service, [upstream, int(number)]
