"""Events any following service publishes about its own consumption."""
from marshmallow import Schema, fields

from shared.contracts import contract


@contract("NotificationDeadLettered", producer="any following service", subject="dead_letter_id",
          summary="An upstream notification failed every try and was set aside; the stream moved on.")
class NotificationDeadLettered(Schema):
    dead_letter_id = fields.UUID(required=True)
    upstream = fields.String(required=True)
    notification_id = fields.Integer(required=True)
    event = fields.String(required=True)
    data = fields.Dict(required=True)
    error = fields.String(required=True)


@contract("DeadLetterReplayed", producer="any following service", subject="dead_letter_id",
          summary="An operator replayed a dead-lettered notification after a fix; its effects "
                  "were recorded with this event.")
class DeadLetterReplayed(Schema):
    dead_letter_id = fields.UUID(required=True)
    by = fields.String(required=True)
