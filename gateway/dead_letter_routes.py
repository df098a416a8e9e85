"""The gateway's routes for operators: the notifications each service set aside after they
failed every try, and their replay once the cause is fixed (``onestop deadletters`` calls these).

Mixed into ``GatewayService``, which has an RPC proxy named after each following service.
"""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.http import route
from shared.commands import FOLLOWERS, ReplayDeadLetters, load_command

OPERATOR = ("operator",)


class DeadLetterView(Schema):
    service = fields.String(required=True, metadata={"description": "the service that set it aside"})
    upstream = fields.String(required=True)
    notification_id = fields.Integer(required=True)
    event = fields.String(required=True)
    error = fields.String(required=True, metadata={"description": "the last try's error"})
    replayed = fields.Boolean(required=True)


class DeadLetterPage(Schema):
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
    @route("GET", "/api/v1/dead-letters", roles=OPERATOR, response=DeadLetterPage,
           summary="Every notification a service set aside after it failed every try")
    def list_dead_letters(self, request, principal):
        return {"items": [{"service": service, **letter} for service in FOLLOWERS
                          for letter in getattr(self, service).dead_letters()]}

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
