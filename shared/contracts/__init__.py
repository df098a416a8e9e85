"""Integration-event contracts: one versioned marshmallow schema per event a service publishes.

A domain event becomes an integration event by its class name: the relay looks the contract up,
dumps the event's attributes through the schema (only declared fields leave the service) and adds
the aggregate's id under the contract's ``subject`` key. Consumers load the data through the same
schema, so both sides agree on types.
"""
from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema, ValidationError


@dataclass(frozen=True)
class Contract:
    event: str
    producer: str
    version: int
    subject: str
    schema: type[Schema]
    summary: str

    def dump(self, domain_event) -> dict:
        values = dict(vars(domain_event))
        values[self.subject] = domain_event.originator_id
        return self._instance().dump(values)

    def load(self, data: dict, **kwargs) -> dict:
        return self._instance().load(data, **kwargs)

    def _instance(self) -> Schema:
        # Building a schema (and its nested ones) costs more than using it: every log read and
        # every reaction would pay it per event. Schemas keep no state between calls.
        found = _INSTANCES.get(self.schema)
        if found is None:
            found = _INSTANCES[self.schema] = self.schema()
        return found


class UnknownEvent(LookupError):
    pass


CONTRACTS: dict[str, Contract] = {}
_INSTANCES: dict[type[Schema], Schema] = {}


def contract(event, *, producer, subject, summary, version=1):
    """Class decorator registering a schema as the contract of ``event``."""

    def register(schema):
        if event in CONTRACTS:
            raise ValueError(f"{event} has two contracts")
        CONTRACTS[event] = Contract(event, producer, version, subject, schema, summary)
        return schema

    return register


def contract_for(event: str) -> Contract:
    try:
        return CONTRACTS[event]
    except KeyError:
        raise UnknownEvent(f"no contract for event {event!r}") from None


__all__ = ["CONTRACTS", "Contract", "UnknownEvent", "ValidationError", "contract", "contract_for"]

# The producers' modules register their contracts on import.
from shared.contracts import (  # noqa: E402,F401
    accounts, archive, evaluation, intake, inbox, matching, notices, partners, sharing)
