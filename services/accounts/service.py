"""The accounts nameko service: organisations, people, sign-ins and the keys that sign tokens.
The gateway asks it to sign people in and for its public keys; it follows intake for the
specialists who leave a station, and matching for the institutions suspended."""
from datetime import datetime, timezone

from nameko.extensions import DependencyProvider

from services.accounts.application import Accounts
from services.accounts.keys import key_ring
from shared.errors import CLIENT_ERRORS
from shared.rpc import rpc
from shared.runtime import EventSourced, EventSourcedService, FollowsIntake, FollowsMatching


class SigningKey(DependencyProvider):
    """Makes the first signing key at the service's first start (a deployment may have made
    it already with `onestop keys rotate`); other commands that open the store never do."""

    def setup(self):
        key_ring(self.container.config).ensure(datetime.now(timezone.utc))


class AccountsService(EventSourcedService, FollowsIntake, FollowsMatching):
    name = "accounts"
    signing_key = SigningKey()
    application = EventSourced(Accounts)

    @rpc
    def jwks(self):
        return self.application.jwks()

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def sign_in(self, payload):
        return self.application.sign_in(payload)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def refresh(self, payload):
        return self.application.refresh(payload)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def sign_out(self, payload):
        return self.application.sign_out(payload)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def change_password(self, payload, by):
        return self.application.change_password(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_organisation(self, payload, by):
        return self.application.register_organisation(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_organisation(self, organisation_id, viewer):
        return self.application.organisation(organisation_id, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def create_person(self, payload, by):
        return self.application.create_person(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_person(self, person_id, viewer):
        return self.application.person(person_id, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_persons(self, query, viewer):
        return self.application.list_persons(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def reset_password(self, person_id, by):
        return self.application.reset_password(person_id, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def change_role(self, person_id, payload, by):
        return self.application.change_role(person_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def set_enabled(self, person_id, payload, by):
        return self.application.disable_person(person_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def propose_second_factor(self, by):
        return self.application.propose_second_factor(by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def confirm_second_factor(self, payload, by):
        return self.application.confirm_second_factor(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def reset_second_factor(self, person_id, by):
        return self.application.reset_second_factor(person_id, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_enterprise(self, payload):
        return self.application.register_enterprise(payload)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_institution(self, payload):
        return self.application.register_institution(payload)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def verify_enterprise(self, organisation_id, payload, by):
        return self.application.verify_enterprise(organisation_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_organisations(self, query, viewer):
        return self.application.list_organisations(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def recipients(self, audiences):
        return self.application.recipients(audiences)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def record_access(self, demand_id, action, by):
        return self.application.record_access(demand_id, action, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def audit(self, query, viewer):
        return self.application.audit(query, viewer)
