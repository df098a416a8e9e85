"""Integration-event contracts: one versioned marshmallow schema per event a service publishes.

A domain event becomes an integration event by its class name: the relay looks the contract up,
dumps the event's attributes through the schema (only declared fields leave the service) and adds
the aggregate's id under the contract's ``subject`` key. Consumers load the data through the same
schema, so both sides agree on types.
"""
from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema, ValidationError

from shared.contracts.plain import Slow, plain_dumper, plain_loader


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
        dump = _plain(_DUMPERS, (self.schema,), lambda: plain_dumper(self._instance()))
        return dump(values) if dump else self._instance().dump(values)

    def load(self, data: dict, *, unknown: str | None = None) -> dict:
        schema = self._instance()
        unknown = schema.unknown if unknown is None else unknown
        load = self.plain_loader(unknown)
        if load is not None:
            try:
                return load(data)
            except Slow:
                pass  # marshmallow's own load gives the result or the error it always gave
        return schema.load(data, unknown=unknown)

    def plain_loader(self, unknown: str):
        """The plain function loading this contract's messages (None: marshmallow's load)."""
        return _plain(_LOADERS, (self.schema, unknown), lambda: plain_loader(self._instance(), unknown))

    def _instance(self) -> Schema:
        # Building a schema (and its nested ones) costs more than using it: every log read and
        # every reaction would pay it per event. Schemas keep no state between calls.
        found = _INSTANCES.get(self.schema)
        if found is None:
            found = _INSTANCES[self.schema] = self.schema()
        return found


def _plain(cache: dict, key: tuple, build):
    """The plain function cached under ``key``, built on first use (None: not covered)."""
    if key not in cache:
        cache[key] = build()
    return cache[key]


class UnknownEvent(LookupError):
    pass


CONTRACTS: dict[str, Contract] = {}
_INSTANCES: dict[type[Schema], Schema] = {}
_LOADERS: dict[tuple, object] = {}
_DUMPERS: dict[tuple, object] = {}


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
    accounts, archive, evaluation, intake, inbox, matching, metrology, notices, partners, projects,
    sharing)
