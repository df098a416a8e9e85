"""Accounts' read model: a row per person and per organisation (lists and the directory of
people), and the failed sign-ins counted per name, whether the name exists or not."""
from __future__ import annotations

import json

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
    # An institution that applied by itself: its id in matching, to its organisation here.
    "CREATE TABLE IF NOT EXISTS {s}institutions (institution_id TEXT PRIMARY KEY, "
    "organisation_id TEXT NOT NULL)",
    # The trail supervisors read: one row per audited event, written with it.
    "CREATE TABLE IF NOT EXISTS {s}audit (id TEXT PRIMARY KEY, at TEXT NOT NULL, "
    "person_id TEXT, event TEXT NOT NULL, detail TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS audit_at ON {s}audit (at, id)",
    "CREATE INDEX IF NOT EXISTS audit_person ON {s}audit (person_id, at, id)",
)

#: The events of the trail, and what each says beyond who and when.
AUDITED = {
    "PersonCreated": ("by", "reason", "roles"), "PasswordReset": ("by",),
    "RoleGranted": ("by", "role", "reason"), "RoleRevoked": ("by", "role", "reason"),
    "PersonDisabled": ("by", "reason"), "PersonEnabled": ("by", "reason"),
    "PersonSignedIn": ("method",), "SignInFailed": ("reason", "locked_until"),
    "SecondFactorEnabled": (), "SecondFactorReset": ("by",),
    "OrganisationVerified": ("by", "evidence"), "DossierAccessed": ("demand_id", "action", "by"),
}


def audit_rows(events) -> list[Statement]:
    rows = []
    for domain_event in events:
        name = type(domain_event).__name__
        if name not in AUDITED:
            continue
        fields = {field: getattr(domain_event, field, None) for field in AUDITED[name]}
        by = fields.get("by") or {}
        # A person's own events are theirs; the others name who acted.
        person = str(domain_event.originator_id) if name.startswith(("Person", "Password", "Role",
                                                                        "SignIn", "SecondFactor")) \
            else by.get("person") or by.get("subject")
        rows.append(upsert("audit", ("id",), {
            "id": f"{domain_event.originator_id}:{domain_event.originator_version}",
            "at": domain_event.timestamp.isoformat(), "person_id": person, "event": name,
            "detail": json.dumps({key: value for key, value in fields.items() if value is not None},
                                 ensure_ascii=False, default=str)}))
    return rows


def rows(aggregate) -> list[Statement]:
    if isinstance(aggregate, Person):
        return [upsert("persons", ("id",), {
            "id": str(aggregate.id), "sign_in_name": aggregate.sign_in_name, "name": aggregate.name,
            "organisation_id": str(aggregate.organisation_id), "roles": ",".join(aggregate.roles),
            "disabled": int(bool(aggregate.disabled)),
            "created_at": aggregate.created_on.isoformat()})]
    if isinstance(aggregate, Organisation):
        rows = [upsert("organisations", ("id",), {
            "id": str(aggregate.id), "kind": aggregate.kind, "party": aggregate.party,
            "name": aggregate.name, "verified": int(aggregate.verified)})]
        if aggregate.institution_id:
            rows.append(upsert("institutions", ("institution_id",), {
                "institution_id": aggregate.institution_id, "organisation_id": str(aggregate.id)}))
        return rows
    return []
