"""The envelope notifications travel in: over the log-pull RPC one by one, and on the internal
exchanges a run at a time.

A ``Message`` is one notification of a service's log: the integration event's data (dumped by
its contract) and where it comes from. ``previous_id`` is the id of the notification before it
in the same log (PostgreSQL logs have holes, so ``id - 1`` is not it): a consumer whose position
equals ``previous_id`` knows nothing was missed in between.

A relay batch (the notifications that follow one another from its position) is published as
one AMQP message (``to_amqp``/``from_amqp``): one publish, one confirm, one delivery and one ack
in each follower for what was dozens of each under load, and a follower receives the run it
applies in one transaction as it was recorded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

HEADER_PREFIX = "x-onestop-"
#: The routing key of every message on a service's internal exchange (followers bind "#").
ROUTING_KEY = "notifications"


class MalformedMessage(ValueError):
    """A message whose envelope is incomplete: it cannot be placed in any log."""


@dataclass(frozen=True)
class Message:
    service: str
    id: int
    previous_id: int
    event: str
    schema_version: int
    originator_id: str
    originator_version: int
    occurred_at: str
    data: dict = field(default_factory=dict)

    def to_wire(self) -> dict:
        # Not dataclasses.asdict: it copies ``data`` deeply, which the JSON encoder is about to
        # read once anyway (it was a tenth of a relay's process under load).
        return {"service": self.service, **self._envelope(), "data": self.data}

    def _envelope(self) -> dict:
        return {"id": self.id, "previous_id": self.previous_id, "event": self.event,
                "schema_version": self.schema_version, "originator_id": self.originator_id,
                "originator_version": self.originator_version, "occurred_at": self.occurred_at}

    @classmethod
    def from_wire(cls, wire: dict) -> "Message":
        if not isinstance(wire, dict):
            raise MalformedMessage("a notification is not a JSON object")
        values = dict(wire)
        data = values.pop("data", {})
        if not isinstance(data, dict):
            raise MalformedMessage("a notification's data is not a JSON object")
        try:
            return cls(
                service=str(values["service"]),
                id=int(values["id"]),
                previous_id=int(values["previous_id"]),
                event=str(values["event"]),
                schema_version=int(values["schema_version"]),
                originator_id=str(values["originator_id"]),
                originator_version=int(values["originator_version"]),
                occurred_at=str(values["occurred_at"]),
                data=data,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise MalformedMessage(f"envelope is malformed: {error}") from None


def to_amqp(messages: Sequence[Message]) -> tuple[list[dict], dict]:
    """The body and headers of one AMQP message carrying a run of one log's notifications."""
    first, last = messages[0], messages[-1]
    body = [{**message._envelope(), "data": message.data} for message in messages]
    headers = {
        HEADER_PREFIX + "service": first.service,
        HEADER_PREFIX + "previous-id": first.previous_id,
        HEADER_PREFIX + "first-id": first.id,
        HEADER_PREFIX + "last-id": last.id,
        HEADER_PREFIX + "count": len(messages),
    }
    return body, headers


def from_amqp(body: object, headers: dict | None) -> list[Message]:
    """The notifications of one AMQP message, in log order; MalformedMessage when the message
    is not a run of one log's notifications that follow one another."""
    service = (headers or {}).get(HEADER_PREFIX + "service")
    if not isinstance(service, str) or not service:
        raise MalformedMessage(f"header {HEADER_PREFIX}service is missing")
    if not isinstance(body, list) or not body:
        raise MalformedMessage("body is not a non-empty JSON array of notifications")
    messages = [Message.from_wire({**wire, "service": service} if isinstance(wire, dict) else wire)
                for wire in body]
    for before, after in zip(messages, messages[1:]):
        if after.previous_id != before.id:
            raise MalformedMessage(f"notification {after.id} does not follow {before.id}")
    return messages
