"""The archive nameko service: follows every service, serves, searches, verifies and prints
dossiers, publishes their seals and records the retention acts on them."""
from services.archive.seals import ArchiveSeals
from services.archive.store import open_archive
from shared.errors import CLIENT_ERRORS
from shared.rpc import rpc
from shared.runtime import (
    EventSourced, EventSourcedService, FollowsEvaluation, FollowsIntake, FollowsMatching)


class ArchiveStore(EventSourced):
    """The projection, with the seals' event store whose log the relay publishes."""

    def __init__(self, **kwargs):
        super().__init__(ArchiveSeals, **kwargs)

    def build(self, config):
        return open_archive(config)

    def relayed(self):
        return self.follower.seals


class ArchiveService(EventSourcedService, FollowsIntake, FollowsMatching, FollowsEvaluation):
    name = "archive"
    application = ArchiveStore()

    @rpc
    def health(self):
        return {upstream: self.application.position(upstream)
                for upstream in self.application.upstreams}

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_dossier(self, demand_id, as_of=None):
        return self.application.dossier(demand_id, as_of)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def search_dossiers(self, query):
        return self.application.search(query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def verify_dossier(self, demand_id):
        return self.application.verify(demand_id, check_sources=True)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def archived_file(self, demand_id, sha256):
        return self.application.archived_file(demand_id, sha256)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def print_dossier(self, demand_id, printed_by):
        return self.application.printed(demand_id, printed_by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def disposals_due(self, query):
        return self.application.disposals_due(query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def place_legal_hold(self, demand_id, payload, by):
        return self.application.place_legal_hold(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def release_legal_hold(self, demand_id, payload, by):
        return self.application.release_legal_hold(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def dispose(self, demand_id, payload, by):
        return self.application.dispose(demand_id, payload, by)
