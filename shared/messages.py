"""The envelope every notification travels in: as an AMQP message and over the log-pull RPC.

One notification of a service's log becomes one message. The body is the integration event's
data (dumped by its contract); the headers say where it comes from. ``previous_id`` is the id of
the notification before it in the same log (PostgreSQL logs have holes, so ``id - 1`` is not it):
a consumer whose position equals ``previous_id`` knows nothing was missed in between.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

HEADER_PREFIX = "x-onestop-"
_HEADERS = (
    "service", "id", "previous_id", "event", "schema_version",
    "originator_id", "originator_version", "occurred_at",
)


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

    def headers(self) -> dict:
        return {HEADER_PREFIX + name.replace("_", "-"): getattr(self, name) for name in _HEADERS}

    @classmethod
    def from_amqp(cls, body: dict, headers: dict | None) -> "Message":
        headers = headers or {}
        try:
            values = {name: headers[HEADER_PREFIX + name.replace("_", "-")] for name in _HEADERS}
        except KeyError as missing:
            raise MalformedMessage(f"header {missing} is missing") from None
        if not isinstance(body, dict):
            raise MalformedMessage("body is not a JSON object")
        return cls._typed(values, body)

    def to_wire(self) -> dict:
        return asdict(self)

    @classmethod
    def from_wire(cls, wire: dict) -> "Message":
        values = dict(wire)
        data = values.pop("data", {})
        return cls._typed(values, data)

    @classmethod
    def _typed(cls, values: dict, data: dict) -> "Message":
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
