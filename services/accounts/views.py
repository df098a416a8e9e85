"""How accounts are shown: never a password hash, a second factor's secret or a session."""
from __future__ import annotations

from services.accounts.organisation import Organisation
from services.accounts.person import Person


def person_view(person: Person) -> dict:
    return {"id": str(person.id), "sign_in_name": person.sign_in_name, "name": person.name,
            "mobile": person.mobile, "email": person.email,
            "organisation_id": str(person.organisation_id), "roles": list(person.roles),
            "must_change_password": person.must_change_password,
            "second_factor": bool(person.totp_secret),
            "disabled": bool(person.disabled), "created_at": person.created_on.isoformat()}


def organisation_view(organisation: Organisation) -> dict:
    return {"id": str(organisation.id), "kind": organisation.kind, "party": organisation.party,
            "name": organisation.name, "verified": organisation.verified}
