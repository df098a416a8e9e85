"""Events of accounts: organisations, people, their roles and their sign-ins.

No contract carries a password hash, a second factor's secret or a refresh token's hash: what
leaves the service is who did what to which account, and when.
"""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema


@contract("OrganisationRegistered", producer="accounts", subject="organisation_id",
          summary="An organisation (enterprise, institution, station, agency, the platform) was "
                  "registered, with the party the other services know it by.")
class OrganisationRegistered(Schema):
    organisation_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    party = fields.String(required=True)
    name = fields.String(required=True)
    verified = fields.Boolean(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("OrganisationVerified", producer="accounts", subject="organisation_id",
          summary="A specialist verified a self-registered enterprise (its business licence).")
class OrganisationVerified(Schema):
    organisation_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)
    evidence = fields.String(required=True)


@contract("PersonCreated", producer="accounts", subject="person_id",
          summary="An account was created for a person in an organisation, with roles.")
class PersonCreated(Schema):
    person_id = fields.UUID(required=True)
    sign_in_name = fields.String(required=True)
    name = fields.String(required=True)
    organisation_id = fields.UUID(required=True)
    roles = fields.List(fields.String(), required=True)
    by = fields.Nested(ActorSchema, required=True)
    reason = fields.String(required=True)


@contract("PasswordChanged", producer="accounts", subject="person_id",
          summary="A person changed their password; their other sessions end.")
class PasswordChanged(Schema):
    person_id = fields.UUID(required=True)


@contract("PasswordRehashed", producer="accounts", subject="person_id",
          summary="A sign-in renewed the person's password hash under today's parameters.")
class PasswordRehashed(Schema):
    person_id = fields.UUID(required=True)


@contract("PasswordReset", producer="accounts", subject="person_id",
          summary="An administrator gave a person a one-time password, to be changed at sign-in.")
class PasswordReset(Schema):
    person_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("RoleGranted", producer="accounts", subject="person_id",
          summary="A person was given a role in their organisation.")
class RoleGranted(Schema):
    person_id = fields.UUID(required=True)
    role = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)
    reason = fields.String(required=True)


@contract("RoleRevoked", producer="accounts", subject="person_id",
          summary="A role was taken from a person.")
class RoleRevoked(RoleGranted):
    pass


@contract("PersonDisabled", producer="accounts", subject="person_id",
          summary="An account was disabled: no sign-in, no refresh; its access tokens lapse.")
class PersonDisabled(Schema):
    person_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)
    reason = fields.String(required=True)


@contract("PersonEnabled", producer="accounts", subject="person_id",
          summary="A disabled account was enabled again.")
class PersonEnabled(PersonDisabled):
    pass


@contract("PersonSignedIn", producer="accounts", subject="person_id",
          summary="A person signed in (method: password, or password+totp) and a session started.")
class PersonSignedIn(Schema):
    person_id = fields.UUID(required=True)
    session_id = fields.UUID(required=True)
    method = fields.String(required=True)


@contract("SignInFailed", producer="accounts", subject="person_id",
          summary="A sign-in to an existing account failed; locked_until is set when it locked "
                  "the name.")
class SignInFailed(Schema):
    person_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    locked_until = fields.String(allow_none=True, required=True)


@contract("SessionStarted", producer="accounts", subject="session_id",
          summary="A session began (its refresh token's hash is kept, never published).")
class SessionStarted(Schema):
    session_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    expires_at = fields.String(required=True)
    method = fields.String(required=True)


@contract("SessionRefreshed", producer="accounts", subject="session_id",
          summary="A refresh token was used and replaced.")
class SessionRefreshed(Schema):
    session_id = fields.UUID(required=True)
    expires_at = fields.String(required=True)


@contract("SessionEnded", producer="accounts", subject="session_id",
          summary="A session ended: signed out, its refresh token reused, or its person disabled.")
class SessionEnded(Schema):
    session_id = fields.UUID(required=True)
    reason = fields.String(required=True)


@contract("SecondFactorProposed", producer="accounts", subject="person_id",
          summary="A person began setting up an authenticator (its secret is kept, never published).")
class SecondFactorProposed(Schema):
    person_id = fields.UUID(required=True)


@contract("SecondFactorEnabled", producer="accounts", subject="person_id",
          summary="A code from the person's authenticator confirmed it: sign-ins now need a code.")
class SecondFactorEnabled(Schema):
    person_id = fields.UUID(required=True)


@contract("SecondFactorReset", producer="accounts", subject="person_id",
          summary="An administrator removed a person's authenticator (a lost phone).")
class SecondFactorReset(Schema):
    person_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("DossierAccessed", producer="accounts", subject="dossier_access_id",
          summary="A supervisor read, exported or verified a case's dossier, or a party "
                  "downloaded one of its files (action: read, export, verify, download <sha256>).")
class DossierAccessed(Schema):
    dossier_access_id = fields.UUID(required=True)
    demand_id = fields.String(required=True)
    action = fields.String(required=True)
    by = fields.Nested(ActorSchema, required=True)


@contract("OrganisationStandingChanged", producer="accounts", subject="organisation_id",
          summary="An institution's people follow its standing in matching: suspended or exited, "
                  "they act for it no more; reinstated, they do again.")
class OrganisationStandingChanged(Schema):
    organisation_id = fields.UUID(required=True)
    standing = fields.String(required=True)
    reason = fields.String(required=True)


@contract("InstitutionLinked", producer="accounts", subject="organisation_id",
          summary="An institution that registered itself applied in matching: its organisation "
                  "knows its id there, which its people act for once the application is approved.")
class InstitutionLinked(Schema):
    organisation_id = fields.UUID(required=True)
    institution_id = fields.String(required=True)
