"""Accounts' read model: a row per person and per organisation (lists and the directory of
people), and the failed sign-ins counted per name, whether the name exists or not."""
from __future__ import annotations

from services.accounts.organisation import Organisation
from services.accounts.person import Person
from shared.readmodel import Statement, upsert

TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}persons (id TEXT PRIMARY KEY, sign_in_name TEXT NOT NULL, "
    "name TEXT NOT NULL, organisation_id TEXT NOT NULL, roles TEXT NOT NULL, "
    "disabled INTEGER NOT NULL, created_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS persons_organisation ON {s}persons (organisation_id, sign_in_name)",
    "CREATE TABLE IF NOT EXISTS {s}organisations (id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
    "party TEXT NOT NULL, name TEXT NOT NULL, verified INTEGER NOT NULL)",
    # Not event-sourced: a count that decides lock-outs, for names of nobody too (an answer
    # that differed for them would tell which names exist).
    "CREATE TABLE IF NOT EXISTS {s}sign_in_failures (name TEXT PRIMARY KEY, "
    "failures INTEGER NOT NULL, locked_until TEXT)",
)


def rows(aggregate) -> list[Statement]:
    if isinstance(aggregate, Person):
        return [upsert("persons", ("id",), {
            "id": str(aggregate.id), "sign_in_name": aggregate.sign_in_name, "name": aggregate.name,
            "organisation_id": str(aggregate.organisation_id), "roles": ",".join(aggregate.roles),
            "disabled": int(bool(aggregate.disabled)),
            "created_at": aggregate.created_on.isoformat()})]
    if isinstance(aggregate, Organisation):
        return [upsert("organisations", ("id",), {
            "id": str(aggregate.id), "kind": aggregate.kind, "party": aggregate.party,
            "name": aggregate.name, "verified": int(aggregate.verified)})]
    return []
