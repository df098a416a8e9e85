"""The matching nameko service: institutions over RPC, accepted demands followed and matched."""
from services.matching.application import Matching
from services.matching.sharing_rpc import SharingRpc
from shared.errors import CLIENT_ERRORS
from shared.rpc import rpc
from shared.runtime import (
    EventSourced, EventSourcedService, FollowsEvaluation, FollowsIntake, every)


class MatchingService(SharingRpc, EventSourcedService, FollowsIntake, FollowsEvaluation):
    name = "matching"
    application = EventSourced(Matching)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_institution(self, payload, registered_by, station=None):
        return self.application.register_institution(payload, registered_by, station)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_institution(self, institution_id):
        return self.application.institution(institution_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def serving(self, assignment_id, category, items):
        return self.application.serving(assignment_id, category, items)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def change_profile(self, institution_id, payload, by, station=None):
        return self.application.change_profile(institution_id, payload, by, station)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def search_institutions(self, query, viewer):
        return self.application.search_institutions(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def review(self, institution_id, payload, by, station=None):
        return self.application.review(institution_id, payload, by, station)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def change_standing(self, institution_id, payload, by):
        return self.application.change_standing(institution_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def add_qualification(self, institution_id, payload, by, station=None):
        return self.application.add_qualification(institution_id, payload, by, station)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def change_qualification_status(self, institution_id, number, payload, by):
        return self.application.change_qualification_status(institution_id, number, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_explanation(self, demand_id):
        return self.application.explanation(demand_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_assignments(self, viewer, query=None):
        return self.application.assignments(viewer, query)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_assignment(self, assignment_id, viewer):
        return self.application.assignment(assignment_id, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def accept_offer(self, assignment_id, payload, by):
        return self.application.accept_offer(assignment_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def decline_offer(self, assignment_id, payload, by):
        return self.application.decline_offer(assignment_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def record_progress(self, assignment_id, payload, by):
        return self.application.record_progress(assignment_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def complete_service(self, assignment_id, payload, by):
        return self.application.complete_service(assignment_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def assign_manually(self, demand_id, payload, by, station=None):
        return self.application.assign_manually(demand_id, payload, by, station)

    # Standard projects and IP applications (services/matching/projects.py)
    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_standard_project(self, demand_id):
        return self.application.standard_project(demand_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def open_standard_project(self, demand_id, payload, by, station=None):
        return self.application.open_standard_project(demand_id, payload, by, station)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def complete_standard_stage(self, demand_id, payload, documents, by):
        return self.application.complete_standard_stage(demand_id, payload, documents, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_ip_applications(self, demand_id):
        return self.application.ip_applications(demand_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def record_ip_application(self, demand_id, payload, by):
        return self.application.record_ip_application(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def move_ip_application(self, demand_id, application_id, payload, by):
        return self.application.move_ip_application(demand_id, application_id, payload, by)

    # The demand hall (services/matching/hall.py)
    @rpc(expected_exceptions=CLIENT_ERRORS)
    def hall(self, query, viewer, station=None):
        return self.application.hall(query, viewer, station)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def hall_demand(self, demand_id, viewer, station=None):
        return self.application.hall_demand(demand_id, viewer, station)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def express_interest(self, demand_id, payload, by):
        return self.application.express_interest(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def withdraw_interest(self, demand_id, by):
        return self.application.withdraw_interest(demand_id, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def close_hall(self, demand_id, by, station=None):
        return self.application.close_hall(demand_id, by, station)

    @every("MATCHING.hall_check_interval", 60)
    def check_hall(self):
        self.application.check_hall()

    # Testing and certification (quoting.py)
    @rpc(expected_exceptions=CLIENT_ERRORS)
    def give_quote(self, assignment_id, payload, by):
        return self.application.give_quote(assignment_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def accept_quote(self, demand_id, payload, by):
        return self.application.accept_quote(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def decline_quote(self, demand_id, payload, by):
        return self.application.decline_quote(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def receive_sample(self, assignment_id, payload, by):
        return self.application.receive_sample(assignment_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def dispose_sample(self, assignment_id, sample_id, payload, by):
        return self.application.dispose_sample(assignment_id, sample_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def search_reports(self, query, viewer):
        return self.application.search_reports(query, viewer)

    @every("MATCHING.offer_check_interval", 60)
    def check_offers(self):
        self.application.check_offers()

    @every("MATCHING.qualification_check_interval", 3600)
    def check_qualifications(self):
        self.application.check_qualifications()
