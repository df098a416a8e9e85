"""The archive nameko service: follows every service and serves dossiers."""
from nameko.rpc import rpc

from services.archive.projection import Archive
from services.archive.store import open_database
from shared.errors import CLIENT_ERRORS
from shared.runtime import Following, follow


class ArchiveStore(Following):
    def build(self, config):
        return Archive(open_database(config))


class ArchiveService:
    name = "archive"
    archive = ArchiveStore()

    @rpc
    def health(self):
        return {upstream: self.archive.position(upstream) for upstream in self.archive.upstreams}

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_dossier(self, demand_id):
        return self.archive.dossier(demand_id)

    @follow("intake")
    def on_intake_event(self, message):
        self.archive.receive(message)

    @follow("matching")
    def on_matching_event(self, message):
        self.archive.receive(message)

    @follow("evaluation")
    def on_evaluation_event(self, message):
        self.archive.receive(message)
